import ArgumentParser
import Foundation
import TransformerPrograms

/// The `RUN` argument of the program commands: a run folder (its `program.json`, or the program
/// converted from its `model.json` when there is none yet) or a `program.json` file.
struct ProgramArgument: ParsableArguments {
    @Argument(help: "A run folder, or a program.json file.") var run: String

    /// The program; a usage error (exit 2) when it cannot be read.
    func load() throws -> Program { try Self.load(run) }

    /// Whether `path` names a folder.
    static func isFolder(_ path: String) -> Bool {
        var isDir: ObjCBool = false
        return FileManager.default.fileExists(atPath: path, isDirectory: &isDir) && isDir.boolValue
    }

    /// The program of a run folder or `program.json` file; a usage error (exit 2) when it cannot
    /// be read.
    static func load(_ run: String) throws -> Program {
        do {
            if isFolder(run) {
                let folder = RunFolder(run)
                if FileManager.default.fileExists(atPath: folder.file("program.json").path) {
                    return try ProgramFile.read(folder.file("program.json").path)
                }
                return try TrainedRun(path: run).program()
            }
            return try ProgramFile.read(run)
        } catch let e as ExitCode {
            throw e
        } catch {
            throw usageError("\(error)")
        }
    }
}

/// Reading and writing `program.json`.
enum ProgramFile {
    static func read(_ path: String) throws -> Program {
        guard let data = FileManager.default.contents(atPath: path) else { throw ProgramError(FileErrors.unreadable(path)) }
        let program: Program
        do { program = try JSONDecoder().decode(Program.self, from: data) } catch {
            let hint = (path as NSString).lastPathComponent == "model.json"
                ? " (model.json is the network; give the run folder, or its program.json)" : ""
            throw ProgramError("\(path) is not a valid program: \(JSONCoding.describe(error, in: data))\(hint)")
        }
        try program.validate()
        return program
    }
}

extension TrainedRun {
    /// The run's program, converted from its network.
    func program() -> Program {
        Program(network: model, task: config.task, vocabulary: checkpoint.vocabulary, labels: checkpoint.labels)
    }

    /// The contents of `program.json` and `program.py` for `program`.
    static func programFiles(_ program: Program) throws -> [(name: String, data: Foundation.Data)] {
        [("program.json", try JSONCoding.pretty(program)), ("program.py", Foundation.Data(PythonEmitter.emit(program).utf8))]
    }
}

/// The `--exhaustive` inputs of `verify` and `diff`.
enum InputSpaceArgument {
    /// Every input of the run's task; a usage error when the task has none to enumerate.
    static func inputs(of config: RunConfig) throws -> [[String]] {
        guard let options = config.taskOptions, let task = try? TaskName(parsing: config.task) else {
            throw usageError("--exhaustive needs a synthetic task; \(config.task) has no enumerable input space")
        }
        guard let space = try TaskDataset.inputSpace(task, options: options) else {
            let size = try TaskDataset.inputSpaceSize(task, options: options)
            throw usageError("\(task.rawValue)'s input space is not enumerable here (\(size.map { "\($0) inputs" } ?? "structured inputs"); the limit is 1,000,000)")
        }
        return space
    }
}
