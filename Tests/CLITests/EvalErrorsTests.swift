import Foundation
import Testing
import TransformerPrograms
@testable import tprog

/// `tprog eval --errors` on a trained run: the analysis agrees with the accuracy eval reports,
/// and bad combinations of options are refused.
@Suite("Command line: eval --errors")
struct EvalErrorsTests {
    @Test("the wrong targets it lists are exactly the ones the split's accuracy misses")
    func agreesWithAccuracy() throws {
        let root = try makeScratchFolder("tprog-eval")
        defer { removeScratchFolder(root) }
        // Two epochs leave the model imperfect, so there are errors to count.
        let out = root.appendingPathComponent("hist").path
        var train = try TProg.parseAsRoot(["train", "--task", "hist", "--dataset-size", "400", "--max-length", "5",
                                           "--epochs", "2", "--batch-size", "64", "--json", "--out", out])
        try train.run()
        let run = try TrainedRun(path: out)
        let examples = try run.dataset().examples(.test)
        let encoded = try run.encode(examples)
        var predictions = [Int32](repeating: 0, count: encoded.count * encoded.length)
        let accuracy = predictions.withUnsafeMutableBufferPointer { run.evaluate(encoded, predictions: $0.baseAddress!) }.accuracy
        let m = Mistakes(examples, predictions: predictions, length: encoded.length, labels: run.labels, keep: 5)
        try #require(m.wrongTargets > 0, "the short run must leave errors to count")
        #expect(m.targets == encoded.scoredTargets)
        #expect(abs(m.accuracy - accuracy) < 1e-12)
        #expect(m.byLength.reduce(0) { $0 + $1.wrongTargets } == m.wrongTargets)
        #expect(m.confusions.reduce(0) { $0 + $1.count } == m.wrongTargets)
        for w in m.wrong {
            let e = examples[w.index - 1]
            #expect(w.tokens == e.tokens)
            #expect(zip(w.labels, w.predicted).contains { $0 != "<pad>" && $0 != $1 })
        }
        #expect(AblateCommandTests.exitCode(["eval", out, "--errors", "3", "--split", "all", "--json"]) == 0)
        #expect(AblateCommandTests.exitCode(["eval", out, "--errors", "-1"]) == 2)
        #expect(AblateCommandTests.exitCode(["eval", out, "--split", "test"]) == 2)
        #expect(AblateCommandTests.exitCode(["eval", out, "--errors", "1", "--split", "dev"]) == 2)
        #expect(AblateCommandTests.exitCode(["eval", out, "--errors", "1", "--split", "test", "--data", "x.jsonl"]) == 2)
        // Inputs no task draws (no <s> first, or <s> later) are refused by run and --data.
        #expect(AblateCommandTests.exitCode(["run", out, "--tokens", "<s> 1 2"]) == 0)
        #expect(AblateCommandTests.exitCode(["run", out, "--tokens", "1 2"]) == 2)
        #expect(AblateCommandTests.exitCode(["run", out, "--tokens", "<s> 1 <s>"]) == 2)
        let bad = root.appendingPathComponent("bad.jsonl")
        try Data(#"{"tokens": ["1", "2"], "labels": ["1", "1"]}"#.utf8).write(to: bad)
        #expect(AblateCommandTests.exitCode(["eval", out, "--data", bad.path]) == 2)
    }

    @Test("a run without model.json: being trained, or finished and the model lost, each said so")
    func missingModel() throws {
        let root = try makeScratchFolder("tprog-eval")
        defer { removeScratchFolder(root) }
        let run = try AblateCommandTests.trainedRun(in: root)
        try FileManager.default.removeItem(atPath: run + "/model.json")
        func message() -> String? {
            do { _ = try TrainedRun(path: run); return nil } catch { return "\(error)" }
        }
        #expect(message() == "\(run) has results.json but no model.json: the model was deleted or moved; train it again with --force")
        let url = URL(fileURLWithPath: run).resolvingSymlinksInPath()
        let lock = try RunLock(folder: url)
        #expect(message() == "\(url.path) is being trained by another tprog process (pid \(getpid())) and has no model.json yet: wait for it to finish")
        lock.release(in: url)
    }

    @Test("the text report: totals, the length table, confusions, aligned examples with ^ under wrong targets")
    func text() {
        let labels = Vocabulary(["<pad>", "1", "2"])
        let examples = [Example(tokens: ["<s>", "a", "bb"], labels: ["<pad>", "1", "2"])]
        let m = Mistakes(examples, predictions: [1, 1, 1], length: 3, labels: labels, keep: 1)
        let text = m.text(of: "test")
        #expect(text.hasPrefix("test: 1 of 2 targets wrong, in 1 of 1 examples\n"))
        #expect(text.contains("2 → 1 (1)"))
        #expect(text.contains("""
              #1
                tokens     <s>    a  bb
                expected   <pad>  1  2
                predicted  ·      1  1
                                     ^
            """))
        #expect(Mistakes.percent(61_365, of: 61_368) == ">99.99%")
        #expect(Mistakes.percent(1, of: 2) == "50.00%")
    }
}
