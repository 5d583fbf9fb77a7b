import ArgumentParser
import Foundation
import Testing
import TransformerPrograms
@testable import tprog

/// `tprog report` tells a run being trained from one that stopped (resumable or not).
@Suite("Command line: unfinished runs in a report")
struct UnfinishedRunsTests {
    @Test("training, stopped with a state, stopped with nothing to resume; finished runs are not listed")
    func listed() throws {
        let root = try makeScratchFolder("tprog-unfinished")
        defer { removeScratchFolder(root) }
        let options = ["--task", "hist", "--dataset-size", "300", "--max-length", "5", "--epochs", "4", "--batch-size", "64", "--json"]
        var command = try TProg.parseAsRoot(["train"] + options + ["--out", root.appendingPathComponent("a-done").path])
        try command.run()
        command = try TProg.parseAsRoot(["train"] + options + ["--out", root.appendingPathComponent("b-stopped").path,
                                                            "--stop-after-epoch", "3"])
        try command.run()
        // A run that diverged or stopped in its first epoch: a config.json and nothing to resume.
        let bare = root.appendingPathComponent("c-bare")
        try FileManager.default.createDirectory(at: bare, withIntermediateDirectories: false)
        try FileManager.default.copyItem(at: root.appendingPathComponent("a-done/config.json"),
                                         to: bare.appendingPathComponent("config.json"))
        // A run being trained: its lock held (here by this process).
        let busy = root.appendingPathComponent("d-busy")
        try FileManager.default.copyItem(at: root.appendingPathComponent("b-stopped"), to: busy)
        let lock = try RunLock(folder: busy)
        defer { lock.release(in: busy) }

        #expect(TProg.Report.unfinishedRuns(in: root.path) == [
            "b-stopped (stopped after 3 of 4 epochs; tprog resume continues it)",
            "c-bare (stopped with nothing saved to resume: train it again)",
            "d-busy (training: 3 of 4 epochs done)",
        ])
    }

    @Test("--stop-after-epoch at or past the last epoch trains the whole run")
    func stopAtTheEnd() throws {
        let root = try makeScratchFolder("tprog-unfinished")
        defer { removeScratchFolder(root) }
        let out = root.appendingPathComponent("run").path
        var command = try TProg.parseAsRoot(["train", "--task", "hist", "--dataset-size", "300", "--max-length", "5",
                                             "--epochs", "2", "--json", "--out", out, "--stop-after-epoch", "5"])
        try command.run()
        #expect(FileManager.default.fileExists(atPath: out + "/results.json"))
        #expect(!FileManager.default.fileExists(atPath: out + "/" + TrainingState.fileName))
        // --force with a stop replaces the finished run with the stopped one.
        command = try TProg.parseAsRoot(["train", "--task", "hist", "--dataset-size", "300", "--max-length", "5",
                                         "--epochs", "2", "--json", "--out", out, "--force", "--stop-after-epoch", "1"])
        try command.run()
        #expect(!FileManager.default.fileExists(atPath: out + "/results.json"))
        #expect(TrainingState.epochsDone(at: URL(fileURLWithPath: out + "/" + TrainingState.fileName)) == 1)
    }
}
