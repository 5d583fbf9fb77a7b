import ArgumentParser
import Foundation
import TransformerPrograms

/// The task and its generation options, shared by every subcommand that needs data
/// (`@OptionGroup var task: TaskArguments`). Unset options take the task's paper defaults
/// (``TaskOptions/defaults(for:)``).
///
/// The values are read as text (numbers unconditionally, so `--seed -1` reaches the check) and
/// checked by ``resolved(defaultTask:)``: a bad value gives one error line and exit code 2,
/// like an unknown task, instead of a usage dump and code 64.
struct TaskArguments: ParsableArguments {
    @Option(help: "The task: \(TaskName.allCases.map(\.rawValue).joined(separator: ", ")).")
    var task: String?

    @Option(parsing: .unconditional, help: "Seed of the generator and the split (default 0).")
    var seed: String?

    @Option(parsing: .unconditional, help: "Vocabulary size counting special tokens; Dyck: bracket types (default: the task's).")
    var vocabSize: String?

    @Option(parsing: .unconditional, help: "Shortest length the generator draws (default: the task's).")
    var minLength: String?

    @Option(parsing: .unconditional, help: "Longest length the generator draws (default: the task's); NLP: the most positions, <s> and </s> included (default 32 for ner, 64 for classification).")
    var maxLength: String?

    @Option(parsing: .unconditional, help: "Number of examples to draw (default 20000).")
    var datasetSize: String?

    @Option(help: "Remove repeated inputs: true or false (default true).")
    var unique: String?

    /// The task (or `defaultTask` when `--task` is absent) and its options, or — on an unknown
    /// task, a malformed value or options the task cannot satisfy — one line on stderr and
    /// exit code 2.
    func resolved(defaultTask: TaskName? = nil) throws -> (task: TaskName, options: TaskOptions) {
        do {
            return try parse(defaultTask: defaultTask)
        } catch let error as TaskError {
            throw usageError(error.description)
        }
    }

    /// The task and options, throwing a ``TaskError`` on a bad value.
    func parse(defaultTask: TaskName?) throws -> (task: TaskName, options: TaskOptions) {
        let name: TaskName
        if let task {
            name = try TaskName(parsing: task)
        } else if let defaultTask {
            name = defaultTask
        } else {
            throw TaskError("--task is required; expected one of \(TaskName.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        var options = TaskOptions.defaults(for: name)
        if let seed {
            guard let value = UInt64(seed) else {
                throw TaskError("--seed: expected a non-negative integer, got '\(seed)'")
            }
            options.seed = value
        }
        options.vocabSize = try Self.integer(vocabSize, "--vocab-size") ?? options.vocabSize
        options.minLength = try Self.integer(minLength, "--min-length") ?? options.minLength
        options.maxLength = try Self.integer(maxLength, "--max-length") ?? options.maxLength
        options.datasetSize = try Self.integer(datasetSize, "--dataset-size") ?? options.datasetSize
        if let unique {
            switch unique.lowercased() {
            case "true", "1", "yes": options.unique = true
            case "false", "0", "no": options.unique = false
            default: throw TaskError("--unique: expected true or false, got '\(unique)'")
            }
        }
        // Check the options now, so a bad value fails before any work.
        try TaskDataset.validate(name, options: options)
        return (name, options)
    }

    private static func integer(_ text: String?, _ flag: String) throws -> Int? {
        guard let text else { return nil }
        guard let value = Int(text) else { throw TaskError("\(flag): expected an integer, got '\(text)'") }
        return value
    }
}

/// Writes `Error: message` on stderr and returns the exit code 2 to throw.
func usageError(_ message: String) -> ExitCode {
    failure(message, code: 2)
}

/// Writes `Error: message` on stderr and returns the exit code to throw (1: the input was valid,
/// the work failed).
func failure(_ message: String, code: Int32 = 1) -> ExitCode {
    FileHandle.standardError.write(Foundation.Data("Error: \(message)\n".utf8))
    return ExitCode(code)
}

/// The failure of a run that diverged, saying what of the run folder is left (a run that was to
/// replace another is dropped by ``RunFolder/completing(_:)``, and the earlier one stays).
func divergence(_ error: DivergenceError, folder: RunFolder) -> ExitCode {
    if folder.isReplacing {
        return failure(error.description + " (the existing run in \(folder.path) is unchanged)")
    }
    return failure(error.description + (error.epoch == 0
        ? " (no epoch finished; \(folder.path)/config.json is kept)"
        : " (the epochs finished before are in \(folder.path)/metrics.jsonl)"))
}

extension Split {
    /// The splits `--split NAME` selects: `train`, `val`, `test`, or `all` (also when the option
    /// is absent) for the three in order; a usage error for anything else.
    static func selected(by name: String?) throws -> [Split] {
        switch name ?? "all" {
        case "all": return Split.allCases
        case let name:
            guard let one = Split(rawValue: name) else {
                throw usageError("--split: expected train, val, test or all, got '\(name)'")
            }
            return [one]
        }
    }
}
