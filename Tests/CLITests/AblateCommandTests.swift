import ArgumentParser
import Foundation
import Testing
import TransformerPrograms
@testable import tprog

/// `tprog ablate` end to end: a trained run, the pruned program it writes, and its refusals.
@Suite("Command line: ablate")
struct AblateCommandTests {
    /// A small hist run (short sequences, few epochs) in a fresh folder.
    static func trainedRun(in root: URL) throws -> String {
        let out = root.appendingPathComponent("hist").path
        var train = try TProg.parseAsRoot(["train", "--task", "hist", "--dataset-size", "400", "--max-length", "4",
                                           "--epochs", "6", "--batch-size", "64", "--json", "--out", out])
        try train.run()
        return out
    }

    /// The exit code `tprog ARGUMENTS…` ends with (a failed validation is 2, as `TProg.main` makes it).
    static func exitCode(_ arguments: [String]) -> Int32? {
        do {
            var command = try TProg.parseAsRoot(arguments)
            try command.run()
            return 0
        } catch let code as ExitCode {
            return code.rawValue
        } catch {
            let code = TProg.exitCode(for: error)
            return code == .validationFailure ? 2 : code.rawValue
        }
    }

    @Test("the pruned program it writes labels every input of the task as the run's own program does")
    func prunedEqualsOnInputSpace() throws {
        let root = try makeScratchFolder("tprog-ablate")
        defer { removeScratchFolder(root) }
        let run = try Self.trainedRun(in: root)
        let pruned = root.appendingPathComponent("pruned.json").path
        #expect(Self.exitCode(["ablate", run, "--exhaustive", "-o", pruned, "--json"]) == 0)
        let program = try ProgramFile.read(pruned)
        let whole = try ProgramFile.read(run + "/program.json")
        #expect(program.layers.count == whole.layers.count)
        // diff exits 1 when any label differs: on the whole input space it must not.
        #expect(Self.exitCode(["diff", run, pruned, "--exhaustive", "--json"]) == 0)
        // The program file is kept without --force, replaced with it.
        let before = try Data(contentsOf: URL(fileURLWithPath: pruned))
        try Data("keep me".utf8).write(to: URL(fileURLWithPath: pruned))
        #expect(Self.exitCode(["ablate", run, "--split", "test", "-o", pruned]) == 2)
        #expect(try String(contentsOfFile: pruned, encoding: .utf8) == "keep me")
        #expect(Self.exitCode(["ablate", run, "--exhaustive", "-o", pruned, "--force", "--json"]) == 0)
        #expect(try Data(contentsOf: URL(fileURLWithPath: pruned)) == before)
    }

    @Test("bad input: an unknown split, two input sets, a program file without --data, --force without -o")
    func refusals() throws {
        let root = try makeScratchFolder("tprog-ablate")
        defer { removeScratchFolder(root) }
        let run = try Self.trainedRun(in: root)
        #expect(Self.exitCode(["ablate", run, "--split", "dev"]) == 2)
        #expect(Self.exitCode(["ablate", run, "--exhaustive", "--split", "test"]) == 2)
        #expect(Self.exitCode(["ablate", run + "/program.json"]) == 2)
        #expect(Self.exitCode(["ablate", run, "--force"]) == 2)
        #expect(Self.exitCode(["ablate", root.appendingPathComponent("missing").path]) == 2)
    }
}
