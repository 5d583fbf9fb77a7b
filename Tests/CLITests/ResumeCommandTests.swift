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

    @Test("a run interrupted after epoch 2 and resumed ends with the uninterrupted run's files")
    func resumedRunMatches() throws {
        try inScratch { dir in
            let whole = dir.appendingPathComponent("whole").path, cut = dir.appendingPathComponent("cut").path
            try run(["train", "--task", "hist", "--dataset-size", "300", "--max-length", "5", "--epochs", "4",
                     "--batch-size", "64", "--out", whole, "--json"])
            #expect(!FileManager.default.fileExists(atPath: whole + "/" + TrainingState.fileName), "a complete run keeps no state")

            // What an interruption after epoch 2 leaves: config.json, two epochs' metrics (and a
            // third, written after the last save), and the state saved after epoch 2.
            try FileManager.default.createDirectory(atPath: cut, withIntermediateDirectories: false)
            try FileManager.default.copyItem(atPath: whole + "/config.json", toPath: cut + "/config.json")
            let metrics = try String(contentsOfFile: whole + "/metrics.jsonl", encoding: .utf8).split(separator: "\n")
            try (metrics.prefix(3).joined(separator: "\n") + "\n").write(toFile: cut + "/metrics.jsonl", atomically: true, encoding: .utf8)
            let config = try RunFolder(cut).readJSON(RunConfig.self, "config.json")
            let trainer = try Trainer(dataset: try config.dataset(), model: config.model, options: config.training)
            var state: TrainingState?
            _ = try trainer.train(onEpoch: { if $0.epoch == 1 { state = trainer.state(epochsDone: 2, elapsed: $0.elapsed) } })
            try #require(state).encoded().write(to: URL(fileURLWithPath: cut + "/" + TrainingState.fileName))

            // train refuses the folder and points to resume.
            #expect(throws: ExitCode(2)) {
                try run(["train", "--task", "hist", "--dataset-size", "300", "--max-length", "5", "--epochs", "4", "--out", cut])
            }
            try run(["resume", cut, "--json"])
            for file in ["model.json", "program.json", "program.py"] {
                #expect(FileManager.default.contents(atPath: cut + "/" + file) == FileManager.default.contents(atPath: whole + "/" + file), "\(file)")
            }
            struct Scores: Decodable, Equatable { var discrete: [String: RunResults.Score] }
            let a = try RunFolder(whole).readJSON(Scores.self, "results.json"), b = try RunFolder(cut).readJSON(Scores.self, "results.json")
            #expect(a == b)
            let lines = try String(contentsOfFile: cut + "/metrics.jsonl", encoding: .utf8).split(separator: "\n")
            #expect(lines.count == 4)
            #expect(!FileManager.default.fileExists(atPath: cut + "/" + TrainingState.fileName))
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
    }
}
