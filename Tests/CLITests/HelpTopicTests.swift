import Testing
@testable import tprog

/// `tprog help PATH` names a command or fails: ArgumentParser alone prints the root's help and
/// exits 0 for a name it does not know.
@Suite("Command line: help topics")
struct HelpTopicTests {
    @Test("every subcommand path is a known topic")
    func known() {
        #expect(TProg.unknownHelpTopic([]) == nil)
        #expect(TProg.unknownHelpTopic(["train"]) == nil)
        #expect(TProg.unknownHelpTopic(["bench", "train"]) == nil)
        #expect(TProg.unknownHelpTopic(["train", "--help"]) == nil)
    }

    @Test("an unknown name is reported with the path that led to it")
    func unknown() {
        #expect(TProg.unknownHelpTopic(["nosuch"]) == "nosuch")
        #expect(TProg.unknownHelpTopic(["bench", "nosuch"]) == "bench nosuch")
        #expect(TProg.unknownHelpTopic(["train", "sort"]) == "train sort")
        #expect(TProg.unknownHelpTopic(["bench", "bench"]) == "bench bench", "a name met twice on the path")
    }
}
