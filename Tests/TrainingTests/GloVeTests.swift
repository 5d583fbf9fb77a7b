import Foundation
import Testing
@testable import Training

@Suite("GloVe files")
struct GloVeTests {
    func read(_ text: String, words: Set<String>) throws -> GloVe {
        var result: GloVe?
        try inScratchFolder("tprog-glove") { dir in
            let url = dir.appendingPathComponent("g.txt")
            try Data(text.utf8).write(to: url)
            result = try GloVe.read(url.path, words: words)
        }
        return result!
    }

    @Test("spaces, tabs and CRLF line ends; lower-cased forms; other words skipped")
    func formats() throws {
        let g = try read("the 0.5 -1\ncat\t2\t3\r\nOther x y z\ndog 1 1\n", words: ["The", "cat", "dog"])
        #expect(g.dimension == 2)
        #expect(g.vector("The") == [0.5, -1])
        #expect(g.vector("cat") == [2, 3])
        #expect(g.vector("dog") == [1, 1])
        #expect(g.vector("Other") == nil)
    }

    @Test("840B-style entries whose word holds spaces are skipped, not taken for the word before the space")
    func spacedWords() throws {
        let g = try read(". 1 2\n. . . 3 4\nat name@domain.com 5 6\nat 7 8\n", words: [".", "at"])
        #expect(g.vector(".") == [1, 2])
        #expect(g.vector("at") == [7, 8])
    }

    @Test("a malformed vector of a vocabulary word is named with its line")
    func malformed() throws {
        #expect(throws: RunFolderError.self) { _ = try read("the 1 2\ncat 1\n", words: ["the", "cat"]) }
        #expect(throws: RunFolderError.self) { _ = try read("the 1 nan\n", words: ["the"]) }
        #expect(throws: RunFolderError.self) { _ = try read("the one two\n", words: ["the"]) }
        #expect(throws: RunFolderError.self) { _ = try read("other 1 2\n", words: ["the"]) }
    }
}
