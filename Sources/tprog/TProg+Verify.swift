import ArgumentParser
import Foundation
import TransformerPrograms

extension TProg {
    /// `tprog verify`: prove a program equal to its network on every input we can run.
    struct Verify: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Check that the discrete network, the interpreter and (with --python) the emitted Python agree on every example of every split.",
            discussion: "With --exhaustive, on every input of the task's input space instead (when it has at most 1,000,000 inputs). Any disagreement is printed with its input, and the exit code is 1.")

        @Argument(help: "The run folder.") var path: String
        @Flag(help: "Run every input of the task's input space.") var exhaustive = false
        @Flag(help: "Also run the emitted program.py with python3.") var python = false
        @Flag(help: "Print one JSON object.") var json = false

        func run() throws {
            let trained: TrainedRun
            do { trained = try TrainedRun(path: path) } catch { throw usageError("\(error)") }
            // A run or program that cannot be read is bad input (exit 2); a disagreement exit 1.
            let program: Program, verifier: Verifier
            var sets: [(String, [[String]])] = []
            do {
                let programPath = trained.folder.file("program.json").path
                program = FileManager.default.fileExists(atPath: programPath) ? try ProgramFile.read(programPath) : trained.program()
                verifier = try Verifier(model: trained.model, program: program)
                if exhaustive {
                    sets.append(("input space", try InputSpaceArgument.inputs(of: trained.config)))
                } else {
                    let dataset = try trained.dataset()
                    for split in Split.allCases { sets.append((split.rawValue, dataset.examples(split).map(\.tokens))) }
                }
            } catch let e as ExitCode { throw e } catch { throw usageError("\(error)") }
            var script: String? = nil
            if python {
                guard PythonRunner.interpreterPath != nil else { throw usageError("--python needs python3, which is not installed") }
                let dir = FileManager.default.temporaryDirectory.appendingPathComponent("tprog-verify-\(getpid())")
                try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
                let file = dir.appendingPathComponent("program.py")
                try Foundation.Data(PythonEmitter.emit(program).utf8).write(to: file)
                script = file.path
            }
            defer { if let script { try? FileManager.default.removeItem(atPath: (script as NSString).deletingLastPathComponent) } }
            var allPassed = true
            var summary: [SetReport] = []
            for (name, inputs) in sets {
                let pythonLabels = try script.map { try PythonRunner.run(script: $0, inputs: inputs) }
                let report = try verifier.verify(inputs, python: pythonLabels)
                allPassed = allPassed && report.passed
                summary.append(SetReport(set: name, inputs: report.inputs, positions: report.positions,
                                         interpreterAgree: report.interpreterAgreements, pythonAgree: report.pythonAgreements))
                if !json {
                    var line = "\(name): \(report.inputs) inputs, network = interpreter on \(report.interpreterAgreements)"
                    if let p = report.pythonAgreements { line += ", network = python on \(p)" }
                    print(line + (report.passed ? "  ✓" : "  ✗"))
                }
                for m in report.mismatches { FileHandle.standardError.write(Foundation.Data("mismatch: \(m)\n".utf8)) }
            }
            if json { print(try JSONCoding.line(VerifyReport(passed: allPassed, sets: summary))) }
            if !allPassed { throw ExitCode(1) }
            if !json { print("verified: the program computes exactly what its network computes") }
        }
    }
}

/// `tprog verify --json`: `{"passed": true, "sets": [{"set": "test", "inputs": 1412, …}]}`.
struct VerifyReport: Encodable {
    var passed: Bool
    var sets: [SetReport]
}

struct SetReport: Encodable {
    var set: String
    var inputs: Int
    var positions: Int
    var interpreterAgree: Int
    var pythonAgree: Int?
    enum CodingKeys: String, CodingKey {
        case set, inputs, positions, interpreterAgree = "interpreter_agree", pythonAgree = "python_agree"
    }
}
