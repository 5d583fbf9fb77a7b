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
        ["--task", "induction", "--standard", "--unembed-mask", "false"],
    ])
    func refused(arguments: [String]) {
        #expect(throws: ExitCode(2)) { try check(arguments) }
    }

    @Test("an unknown task is refused; synthetic and NLP tasks are not")
    func unknownTask() throws {
        func train(_ name: String) throws -> TProg.Train {
            try #require(try TProg.parseAsRoot(["train", "--task", name]) as? TProg.Train)
        }
        #expect(throws: ExitCode(2)) { try train("sorting").checkTask() }
        #expect(throws: ExitCode(2)) { try train("").checkTask() }
        for name in ["sort", "induction", "ner", "sst2"] { try train(name).checkTask() }
    }

    @Test("accepted where they apply", arguments: [
        ["--task", "hist", "--tau-init", "2", "--cat-heads", "2"],
        ["--task", "hist", "--standard", "--dropout", "0.1", "--heads", "4", "--lr", "0.001"],
        ["--task", "ner", "--standard", "--glove", "g.txt"],
        ["--task", "ner", "--n-vars-cat", "2", "--unknown-shapes"],
        ["--task", "induction", "--unembed-mask", "false"],
    ])
    func accepted(arguments: [String]) throws {
        try check(arguments)
    }

    @Test("--unembed-mask takes true or false, and reaches the model options")
    func unembedMask() throws {
        let off = try #require(try TProg.parseAsRoot(["train", "--task", "induction", "--unembed-mask", "false"]) as? TProg.Train)
        #expect(off.model.options(for: .induction).unembedMask == false)
        let unset = try #require(try TProg.parseAsRoot(["train", "--task", "induction"]) as? TProg.Train)
        #expect(unset.model.options(for: .induction).unembedMask == true)
        #expect(throws: (any Error).self) { try TProg.parseAsRoot(["train", "--unembed-mask", "maybe"]) }
    }
}
