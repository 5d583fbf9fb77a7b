import Foundation
import Testing
import Tasks

@Suite("Encoded splits")
struct EncodedSplitTests {
    let tokens = Vocabulary(["<pad>", "0", "1", "2", "3", "4", "</s>", "<s>"])
    let labels = Vocabulary(["<pad>", "0", "1", "2", "3", "4"])

    @Test("rows are right-padded with id 0, row-major")
    func padding() throws {
        let examples = [
            Example(tokens: ["<s>", "3", "1", "2", "</s>"], labels: ["<pad>", "1", "2", "3", "<pad>"]),
            Example(tokens: ["<s>", "4", "</s>"], labels: ["<pad>", "4", "<pad>"]),
        ]
        let encoded = try EncodedSplit(examples, vocabulary: tokens, labels: labels, length: 6)
        #expect(encoded.count == 2 && encoded.length == 6)
        #expect(encoded.tokens == [7, 4, 2, 3, 6, 0,
                                   7, 5, 6, 0, 0, 0])
        #expect(encoded.labels == [0, 2, 3, 4, 0, 0,
                                   0, 5, 0, 0, 0, 0])
    }

    @Test("a sequence longer than the padded length is an error")
    func tooLong() {
        let example = Example(tokens: ["<s>", "3", "1", "</s>"], labels: ["<pad>", "1", "3", "<pad>"])
        #expect(throws: TaskError("example 1 has 4 tokens, more than the padded length 3")) {
            try EncodedSplit([example], vocabulary: tokens, labels: labels, length: 3)
        }
    }

    @Test("unknown tokens become <unk> when the vocabulary has it, else name the token")
    func unknownTokens() throws {
        let example = Example(tokens: ["<s>", "9"], labels: ["<pad>", "1"])
        #expect(throws: TaskError("example 1: token '9' is not in the vocabulary")) {
            try EncodedSplit([example], vocabulary: tokens, labels: labels, length: 2)
        }
        let withUnk = Vocabulary(["<pad>", "<unk>", "<s>"])
        let encoded = try EncodedSplit([example], vocabulary: withUnk, labels: labels, length: 3)
        #expect(encoded.tokens == [2, 1, 0])
        #expect(throws: TaskError("example 1: label '7' is not in the label vocabulary")) {
            try EncodedSplit([Example(tokens: ["<s>"], labels: ["7"])], vocabulary: tokens, labels: labels, length: 2)
        }
    }

    @Test("every split of a generated task encodes at its maxLength")
    func generated() throws {
        var options = TaskOptions.defaults(for: .induction)
        options.datasetSize = 300
        let data = try TaskDataset.generate(.induction, options: options)
        for split in Split.allCases {
            let encoded = try data.encoded(split)
            #expect(encoded.count == data.examples(split).count && encoded.length == 10)
            #expect(encoded.tokens.allSatisfy { $0 > 0 })    // every induction sequence has 10 tokens
            let unk = Int32(data.labels.id("<unk>")!)
            #expect(encoded.labels.contains(unk))
        }
    }

    @Test("options and vocabularies round-trip through JSON")
    func codable() throws {
        let options = TaskOptions.defaults(for: .dyck2)
        let decoded = try JSONDecoder().decode(TaskOptions.self, from: JSONEncoder().encode(options))
        #expect(decoded == options)
        let vocabulary = try JSONDecoder().decode(Vocabulary.self, from: JSONEncoder().encode(tokens))
        #expect(vocabulary == tokens && vocabulary.id("</s>") == 6)
        #expect(String(decoding: try JSONEncoder().encode(labels), as: UTF8.self) == #"["<pad>","0","1","2","3","4"]"#)
    }
}
