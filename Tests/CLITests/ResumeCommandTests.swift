import ArgumentParser
import Foundation
import Testing
import TransformerPrograms
@testable import tprog

/// `tprog resume`: an interrupted run, continued, writes the files the uninterrupted run wrote;
/// anything that is not an unfinished run is refused with exit code 2.
@Suite("Command line: resume")
struct ResumeCommandTests {
    func inScratch(_ body: (URL) throws -> Void) throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("tprog-resume-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        try body(dir)
    }

    func run(_ arguments: [String]) throws {
        var command = try TProg.parseAsRoot(arguments)
        try command.run()
    }

    @Test("a run stopped after epoch 2, resumed to epoch 3, then to the end, has the uninterrupted run's files")
    func resumedRunMatches() throws {
        try inScratch { dir in
            let whole = dir.appendingPathComponent("whole").path, cut = dir.appendingPathComponent("cut").path
            let options = ["--task", "hist", "--dataset-size", "300", "--max-length", "5", "--epochs", "4", "--batch-size", "64"]
            try run(["train"] + options + ["--out", whole, "--json"])
            #expect(!FileManager.default.fileExists(atPath: whole + "/" + TrainingState.fileName), "a complete run keeps no state")

            // Stopped as an interruption would stop it: config.json, two epochs' metrics, the state.
            try run(["train"] + options + ["--out", cut, "--json", "--stop-after-epoch", "2"])
            #expect(TrainingState.epochsDone(at: URL(fileURLWithPath: cut + "/" + TrainingState.fileName)) == 2)
            #expect(!FileManager.default.fileExists(atPath: cut + "/results.json"))
            // Commands that need the model name the unfinished run.
            #expect(throws: RunFolderError("\(cut) is an unfinished run (no model.json yet): 'tprog resume \(cut)' continues it")) {
                _ = try TrainedRun(path: cut)
            }
            #expect(throws: ExitCode(2)) { try run(["eval", cut]) }
            // train refuses the folder, and points to resume.
            #expect(throws: ExitCode(2)) { try run(["train"] + options + ["--out", cut]) }
            let resolved = URL(fileURLWithPath: cut).resolvingSymlinksInPath().path
            #expect(throws: RunFolderError("run folder \(resolved) holds an unfinished run: 'tprog resume \(cut)' continues it (or use --force to start it again, or --out to pick another folder)")) {
                var folder = RunFolder(cut)
                try folder.create(force: false)
            }
            #expect(throws: ExitCode(2)) { try run(["resume", cut, "--stop-after-epoch", "2"]) }   // already there
            try run(["resume", cut, "--json", "--stop-after-epoch", "3"])
            #expect(TrainingState.epochsDone(at: URL(fileURLWithPath: cut + "/" + TrainingState.fileName)) == 3)
            try run(["resume", cut, "--json"])

            for file in ["model.json", "program.json", "program.py"] {
                #expect(FileManager.default.contents(atPath: cut + "/" + file) == FileManager.default.contents(atPath: whole + "/" + file), "\(file)")
            }
            struct Scores: Decodable, Equatable { var discrete: [String: RunResults.Score] }
            let a = try RunFolder(whole).readJSON(Scores.self, "results.json"), b = try RunFolder(cut).readJSON(Scores.self, "results.json")
            #expect(a == b)
            struct Timeless: Decodable, Equatable { var epoch: Int; var tau: Double; var train_loss: Double }
            func epochs(_ path: String) throws -> [Timeless] {
                try String(contentsOfFile: path + "/metrics.jsonl", encoding: .utf8).split(separator: "\n")
                    .map { try JSONDecoder().decode(Timeless.self, from: Data($0.utf8)) }
            }
            #expect(try epochs(cut) == epochs(whole))
            #expect(try epochs(cut).count == 4)
            #expect(!FileManager.default.fileExists(atPath: cut + "/" + TrainingState.fileName))
            #expect(!FileManager.default.fileExists(atPath: cut + "/" + RunLock.fileName), "the lock goes with the run")
            // Now complete: nothing to resume.
            #expect(throws: ExitCode(2)) { try run(["resume", cut]) }
        }
    }

    @Test("anything but an unfinished run is refused")
    func refused() throws {
        try inScratch { dir in
            #expect(throws: ExitCode(2)) { try run(["resume", dir.appendingPathComponent("missing").path]) }
            #expect(throws: ExitCode(2)) { try run(["resume", dir.path]) }                 // no config.json
            try Data("{\"standard\": true}".utf8).write(to: dir.appendingPathComponent("config.json"))
            #expect(throws: ExitCode(2)) { try run(["resume", dir.path]) }                 // a baseline run
            try Data("{}".utf8).write(to: dir.appendingPathComponent("config.json"))
            #expect(throws: ExitCode(2)) { try run(["resume", dir.path]) }                 // not a run's config
        }
        // resume takes no training options: they all come from config.json.
        #expect(throws: (any Error).self) { _ = try TProg.parseAsRoot(["resume", "x", "--epochs", "5"]) }
        #expect(throws: ExitCode(2)) { try run(["train", "--task", "hist", "--stop-after-epoch", "0"]) }
        #expect(throws: ExitCode(2)) { try run(["train", "--task", "hist", "--standard", "--stop-after-epoch", "1"]) }
    }
}
