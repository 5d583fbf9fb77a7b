import ArgumentParser
import Testing
@testable import tprog

/// `train` refuses an option the run would ignore, whichever branch (program or `--standard`,
/// synthetic or NLP task) the run takes.
@Suite("Command line: options that do not apply")
struct OptionsApplyTests {
    func check(_ arguments: [String]) throws {
        let train = try #require(try TProg.parseAsRoot(["train"] + arguments) as? TProg.Train)
        try train.checkOptionsApply()
    }

    @Test("refused where they do nothing", arguments: [
        ["--task", "hist", "--dropout", "0.1"],                      // baseline option, program run
        ["--task", "hist", "--standard", "--tau-init", "2"],         // program option, baseline run
        ["--task", "hist", "--standard", "--cat-heads", "2"],
        ["--task", "hist", "--standard", "--glove", "g.txt"],        // NLP option, synthetic baseline run
        ["--task", "hist", "--unknown-shapes"],
        ["--task", "ner", "--standard", "--sample-fn", "softmax"],
    ])
    func refused(arguments: [String]) {
        #expect(throws: ExitCode(2)) { try check(arguments) }
    }

    @Test("accepted where they apply", arguments: [
        ["--task", "hist", "--tau-init", "2", "--cat-heads", "2"],
        ["--task", "hist", "--standard", "--dropout", "0.1", "--heads", "4", "--lr", "0.001"],
        ["--task", "ner", "--standard", "--glove", "g.txt"],
        ["--task", "ner", "--n-vars-cat", "2", "--unknown-shapes"],
    ])
    func accepted(arguments: [String]) throws {
        try check(arguments)
    }
}
