import Foundation
import Testing
import Tasks

/// Tiny corpora written to a fresh temporary folder (the real data never enters the repository).
struct NLPFixture {
    let folder: URL

    init() throws {
        folder = FileManager.default.temporaryDirectory
            .appendingPathComponent("tprog-nlp-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    }

    /// Writes `bytes` to `name` (sub-folders created) and returns its path.
    @discardableResult
    func write(_ name: String, bytes: [UInt8]) throws -> String {
        let url = folder.appendingPathComponent(name)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(),
                                                withIntermediateDirectories: true)
        try Data(bytes).write(to: url)
        return url.path
    }

    /// Writes `text` as UTF-8 to `name` and returns its path.
    @discardableResult
    func write(_ name: String, _ text: String) throws -> String {
        try write(name, bytes: Array(text.utf8))
    }

    func remove() { try? FileManager.default.removeItem(at: folder) }
}

/// The message of the `TaskError` `body` throws, or a note that it did not.
func taskErrorMessage(_ body: () throws -> Void) -> String {
    do {
        try body()
        return "no error"
    } catch let error as TaskError {
        return error.description
    } catch {
        return "unexpected \(error)"
    }
}

/// Every reader parses its format exactly, and names the file and line of malformed input.
@Suite("NLP file readers")
struct NLPLoaderTests {
    @Test("CoNLL: WNUT-17 style, tab-separated, lone-TAB and white-space lines between sentences")
    func conllTabs() throws {
        let fixture = try NLPFixture()
        defer { fixture.remove() }
        let path = try fixture.write("a.conll", """
            @paulwalk\tO
            Empire\tB-location
            State\tI-location
            \t
            From\tO
            ESB\tB-location
            \u{20}\u{20}
            \t\t

            😂\tO
            """)
        let sentences = try TaggedSentence.readCoNLL(path)
        #expect(sentences == [
            TaggedSentence(tokens: ["@paulwalk", "Empire", "State"], tags: ["O", "B-location", "I-location"]),
            TaggedSentence(tokens: ["From", "ESB"], tags: ["O", "B-location"]),
            TaggedSentence(tokens: ["😂"], tags: ["O"]),
        ])
    }

    @Test("CoNLL-2003: space-separated 4 columns, -DOCSTART- skipped, IOB1 converted to IOB2, CRLF")
    func conll2003() throws {
        let fixture = try NLPFixture()
        defer { fixture.remove() }
        let text = "-DOCSTART- -X- -X- O\r\n\r\nEU NNP B-NP I-ORG\r\nrejects VBZ B-VP O\r\n"
            + "German JJ B-NP I-MISC\r\nBritish JJ B-NP B-MISC\r\n\r\nPeter NNP B-NP I-PER\r\n"
            + "Blackburn NNP I-NP I-PER\r\n-DOCSTART- -X- -X- O\r\nJapan NNP B-NP I-LOC\r\n"
        let sentences = try TaggedSentence.readCoNLL(try fixture.write("b.txt", text))
        #expect(sentences == [
            TaggedSentence(tokens: ["EU", "rejects", "German", "British"], tags: ["B-ORG", "O", "B-MISC", "B-MISC"]),
            TaggedSentence(tokens: ["Peter", "Blackburn"], tags: ["B-PER", "I-PER"]),
            TaggedSentence(tokens: ["Japan"], tags: ["B-LOC"]),
        ])
    }

    @Test("IOB1 → IOB2: an I- that does not continue its type becomes B-; IOB2 is unchanged")
    func iob1ToIOB2() {
        #expect(TaggedSentence.iob2(fromIOB1: ["I-PER", "I-PER", "O", "I-LOC", "B-LOC", "I-ORG"])
                == ["B-PER", "I-PER", "O", "B-LOC", "B-LOC", "B-ORG"])
        #expect(TaggedSentence.iob2(fromIOB1: ["I-PER", "I-LOC", "I-LOC", "NN", "I-LOC"])
                == ["B-PER", "B-LOC", "I-LOC", "NN", "B-LOC"])
        let iob2 = ["B-PER", "I-PER", "B-PER", "O", "B-LOC", "I-LOC", "B-ORG", "I-ORG"]
        #expect(TaggedSentence.iob2(fromIOB1: iob2) == iob2)
        #expect(TaggedSentence.iob2(fromIOB1: []) == [])
    }

    @Test("CoNLL: a line without a tag, a tag outside IOB, or invalid UTF-8, is an error naming file and line")
    func conllErrors() throws {
        let fixture = try NLPFixture()
        defer { fixture.remove() }
        let noTag = try fixture.write("c.conll", "a\tO\nb\tO\n\nlonely\n")
        #expect(taskErrorMessage { _ = try TaggedSentence.readCoNLL(noTag) }
                == "\(noTag):4: expected a word and its tag separated by a tab or spaces, found only 'lonely'")
        let latin1 = try fixture.write("d.conll", bytes: Array("a\tO\n".utf8) + [0x63, 0xE9, 0x09, 0x4F, 0x0A])
        #expect(taskErrorMessage { _ = try TaggedSentence.readCoNLL(latin1) }
                == "\(latin1):2: invalid UTF-8 at character 2 (is the file Latin-1?)")
        #expect(try TaggedSentence.readCoNLL(latin1, encoding: .latin1)[0].tokens == ["a", "cé"])
        for bad in ["X", "B-", "b-PER", "PER"] {
            let file = try fixture.write("e.conll", "a\tO\nb\t\(bad)\n")
            #expect(taskErrorMessage { _ = try TaggedSentence.readCoNLL(file) }
                    == "\(file):2: tag '\(bad)' is not O, B-TYPE or I-TYPE")
        }
    }

    @Test("a missing file or a folder is an error naming it")
    func missingFile() throws {
        let fixture = try NLPFixture()
        defer { fixture.remove() }
        let missing = fixture.folder.appendingPathComponent("nope.conll").path
        #expect(taskErrorMessage { _ = try TaggedSentence.readCoNLL(missing) } == "\(missing): no such file")
        #expect(taskErrorMessage { _ = try LabeledSentence.readTREC(fixture.folder.path) }
                == "\(fixture.folder.path): is a folder, not a file")
    }

    @Test("TREC: the coarse class, Latin-1 (bytes 0xAD and 0xF0 decode to U+00AD and U+00F0)")
    func trec() throws {
        let fixture = try NLPFixture()
        defer { fixture.remove() }
        let path = try fixture.write("trec.txt", bytes: Array("DESC:manner How did serfdom develop ?\n\n".utf8)
            + Array("LOC:city Which sister".utf8) + [0xF0] + Array("city ? \nENTY:other co".utf8) + [0xAD]
            + Array("op ?".utf8))
        let questions = try LabeledSentence.readTREC(path)
        #expect(questions == [
            LabeledSentence(tokens: ["How", "did", "serfdom", "develop", "?"], label: "DESC"),
            LabeledSentence(tokens: ["Which", "sister\u{F0}city", "?"], label: "LOC"),
            LabeledSentence(tokens: ["co\u{AD}op", "?"], label: "ENTY"),
        ])
    }

    @Test("TREC: a label without ':' or without a question is an error naming file and line")
    func trecErrors() throws {
        let fixture = try NLPFixture()
        defer { fixture.remove() }
        let noColon = try fixture.write("t1.txt", "NUM:dist How far ?\nHow far is it ?\n")
        #expect(taskErrorMessage { _ = try LabeledSentence.readTREC(noColon) }
                == "\(noColon):2: expected 'COARSE:fine question …', found 'How' as the label")
        let emptyClass = try fixture.write("t2.txt", ":dist How far ?\n")
        #expect(taskErrorMessage { _ = try LabeledSentence.readTREC(emptyClass) }
                == "\(emptyClass):1: expected 'COARSE:fine question …', found ':dist' as the label")
        let noQuestion = try fixture.write("t3.txt", "\n\nNUM:dist   \n")
        #expect(taskErrorMessage { _ = try LabeledSentence.readTREC(noQuestion) }
                == "\(noQuestion):3: no question after the label 'NUM:dist'")
        // A malformed line of any length is quoted in 40 characters, not whole.
        let long = try fixture.write("t4.txt", String(repeating: "x", count: 100_000) + "\n")
        #expect(taskErrorMessage { _ = try LabeledSentence.readTREC(long) }
                == "\(long):1: expected 'COARSE:fine question …', found '\(String(repeating: "x", count: 40))…' as the label")
    }

    @Test("one sentence per line: the file's label, white-space words, blank lines skipped")
    func sentencePerLine() throws {
        let fixture = try NLPFixture()
        defer { fixture.remove() }
        let path = try fixture.write("pos.txt", bytes: Array("a gem . \n\n  the best\tfilm \n".utf8)
            + Array("na".utf8) + [0xEF] + Array("ve".utf8))
        #expect(try LabeledSentence.readLines(path, label: "positive", encoding: .latin1) == [
            LabeledSentence(tokens: ["a", "gem", "."], label: "positive"),
            LabeledSentence(tokens: ["the", "best", "film"], label: "positive"),
            LabeledSentence(tokens: ["na\u{EF}ve"], label: "positive"),
        ])
        #expect(taskErrorMessage { _ = try LabeledSentence.readLines(path, label: "positive") }
                == "\(path):4: invalid UTF-8 at character 3 (is the file Latin-1?)")
    }

    @Test("label first (SST-2): label, then words; a Unicode no-break space stays inside its token")
    func labelFirst() throws {
        let fixture = try NLPFixture()
        defer { fixture.remove() }
        let path = try fixture.write("sst.txt", "1 a stirring , funny film\n0 its 2\u{A0}1\\/2 - hour running time .\n")
        #expect(try LabeledSentence.readLabelFirst(path) == [
            LabeledSentence(tokens: ["a", "stirring", ",", "funny", "film"], label: "1"),
            LabeledSentence(tokens: ["its", "2\u{A0}1\\/2", "-", "hour", "running", "time", "."], label: "0"),
        ])
        let bad = try fixture.write("bad.txt", "1 fine\n0\n")
        #expect(taskErrorMessage { _ = try LabeledSentence.readLabelFirst(bad) }
                == "\(bad):2: no sentence after the label '0'")
    }

    @Test("JSON Lines: labels as strings or integers, tags converted to IOB2, other keys ignored")
    func jsonLines() throws {
        let fixture = try NLPFixture()
        defer { fixture.remove() }
        let labelled = try fixture.write("l.jsonl", """
            {"tokens": ["a", "gem", "."], "label": "positive", "id": 7}

            {"label": 0, "tokens": ["dull", "."]}
            """)
        #expect(try LabeledSentence.readJSONLines(labelled) == [
            LabeledSentence(tokens: ["a", "gem", "."], label: "positive"),
            LabeledSentence(tokens: ["dull", "."], label: "0"),
        ])
        let tagged = try fixture.write("t.jsonl", """
            {"tokens": ["Anna", "lives", "in", "New", "York"], "tags": ["I-PER", "O", "O", "B-LOC", "I-LOC"]}
            """)
        #expect(try TaggedSentence.readJSONLines(tagged) == [
            TaggedSentence(tokens: ["Anna", "lives", "in", "New", "York"], tags: ["B-PER", "O", "O", "B-LOC", "I-LOC"]),
        ])
    }

    @Test("JSON Lines: malformed lines are errors naming file and line", arguments: [
        ("{\"tokens\": [\"a\"], \"label\": \"x\"}\n{\"tokens\": [\"a\"] \"label\": 1}", 2, "not a valid JSON object"),
        ("{\"label\": \"x\"}", 1, "missing key \"tokens\""),
        ("{\"tokens\": [\"a\"]}", 1, "missing key \"label\""),
        ("{\"tokens\": [\"a\", 3], \"label\": \"x\"}", 1, "\"tokens\" must be a list of strings"),
        ("{\"tokens\": \"a b\", \"label\": \"x\"}", 1, "\"tokens\" must be a list of strings"),
        ("{\"tokens\": [\"a\"], \"label\": [1]}", 1, "\"label\" must be a string or an integer"),
        ("{\"tokens\": [], \"label\": \"x\"}", 1, "\"tokens\" is empty"),
        ("[1, 2]", 1, "not a valid JSON object"),
    ])
    func jsonLinesErrors(text: String, line: Int, message: String) throws {
        let fixture = try NLPFixture()
        defer { fixture.remove() }
        let path = try fixture.write("e.jsonl", text)
        let got = taskErrorMessage { _ = try LabeledSentence.readJSONLines(path) }
        #expect(got.hasPrefix("\(path):\(line): "), "\(got)")
        #expect(got == "\(path):\(line): \(message)")
    }

    @Test("JSON Lines tagged: a missing \"tags\" or a count mismatch names file and line")
    func jsonLinesTagErrors() throws {
        let fixture = try NLPFixture()
        defer { fixture.remove() }
        let missing = try fixture.write("m.jsonl", "{\"tokens\": [\"a\"], \"label\": \"x\"}")
        #expect(taskErrorMessage { _ = try TaggedSentence.readJSONLines(missing) } == "\(missing):1: missing key \"tags\"")
        let mismatch = try fixture.write("n.jsonl", "\n{\"tokens\": [\"a\", \"b\"], \"tags\": [\"O\"]}")
        #expect(taskErrorMessage { _ = try TaggedSentence.readJSONLines(mismatch) } == "\(mismatch):2: 2 tokens but 1 tags")
    }
}
