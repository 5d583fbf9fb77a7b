import Testing
@testable import tprog

/// Numeric options read the next word as their value, so a negative number reaches the check
/// that can say what is wrong with it (ArgumentParser would otherwise read `-1` as a flag and
/// report a missing value).
@Suite("Command line: negative numbers")
struct NegativeValueTests {
    @Test("train's numeric options take negative values")
    func train() throws {
        let command = try TProg.parseAsRoot(["train", "--task", "sort", "--lr", "-1", "--layers", "-2",
                                             "--tau-init", "-3", "--dropout", "-0.5", "--seed", "4"])
        let train = try #require(command as? TProg.Train)
        #expect(train.training.lr == -1)
        #expect(train.model.layers == -2)
        #expect(train.training.tauInit == -3)
        #expect(train.baseline.dropout == -0.5)
        #expect(train.task.seed == "4")
    }

    @Test("bench train rejects a temperature that is not positive")
    func benchTau() {
        #expect(throws: (any Error).self) { try TProg.parseAsRoot(["bench", "train", "--tau", "-1"]) }
        #expect(throws: (any Error).self) { try TProg.parseAsRoot(["bench", "train", "--tau", "0"]) }
        #expect(throws: Never.self) { try TProg.parseAsRoot(["bench", "train", "--tau", "0.5"]) }
    }

    @Test("a numeric option followed by another option names the bad value")
    func missingValue() {
        do {
            _ = try TProg.parseAsRoot(["train", "--task", "sort", "--lr", "--epochs", "3"])
            Issue.record("accepted --lr --epochs")
        } catch {
            #expect(TProg.message(for: error).contains("'--epochs' is invalid for '--lr <lr>'"))
        }
    }
}
