import Testing
import Tasks
@testable import Training

/// The score on an NLP task's whole test set: long sentences fitted to the model's length.
@Suite("Unfiltered test score")
struct UnfilteredScoreTests {
    static func tagged(_ words: String, _ tags: String) -> TaggedSentence {
        TaggedSentence(tokens: words.split(separator: " ").map(String.init), tags: tags.split(separator: " ").map(String.init))
    }

    /// At most 5 words (length 7); the second test sentence has 7 words and an entity across the
    /// first window's end.
    static func tagging() throws -> NLPDataset {
        try NLPDataset(name: "demo",
                       train: [tagged("Anna visited Rome", "B-PER O B-LOC")],
                       val: [tagged("Rome", "B-LOC")],
                       test: [tagged("Rome is big", "B-LOC O O"), tagged("a b c d Ann Lee g", "O O O O B-PER I-PER O")],
                       options: NLPOptions(vocabSize: 10, replaceNumbers: false, maxWords: 5))
    }

    @Test("a long tagged sentence becomes consecutive framed windows; a pooled one keeps its first words")
    func windows() throws {
        let data = try Self.tagging()
        let w = Windows(data.testUnfiltered, maxLength: data.maxLength, pooled: false)
        #expect(w.sentence == [0, 1, 1])
        #expect(w.examples[0] == data.testUnfiltered[0])
        #expect(w.examples[1] == Example(tokens: ["<s>", "a", "b", "c", "d", "Ann", "</s>"],
                                         labels: ["<pad>", "O", "O", "O", "O", "B-PER", "<pad>"]))
        #expect(w.examples[2] == Example(tokens: ["<s>", "Lee", "g", "</s>"], labels: ["<pad>", "I-PER", "O", "<pad>"]))
        let long = Example(tokens: ["<s>", "a", "b", "c", "</s>"], labels: ["NUM", "<pad>", "<pad>", "<pad>", "<pad>"])
        let pooled = Windows([long], maxLength: 4, pooled: true)
        #expect(pooled.sentence == [0])
        #expect(pooled.examples == [Example(tokens: ["<s>", "a", "b", "</s>"], labels: ["NUM", "<pad>", "<pad>", "<pad>"])])
    }

    @Test("windows are scored as whole sentences: an entity cut by a window is found when both halves are right")
    func score() throws {
        let data = try Self.tagging()
        // A perfect tagger (it copies the gold labels): every token and both entities right.
        let perfect = try data.unfilteredTestScore(length: data.maxLength) { encoded, predictions in
            for i in encoded.labels.indices { predictions[i] = encoded.labels[i] }
        }
        #expect(perfect.accuracy == 1)
        #expect(perfect.entities?.correct == 2 && perfect.entities?.goldCount == 2 && perfect.entities?.predictedCount == 2)
        // Everything `O`: 7 of the 10 tags right, no entity found.
        let o = Int32(data.labels.symbols.firstIndex(of: "O")!)
        let none = try data.unfilteredTestScore(length: data.maxLength) { encoded, predictions in
            for i in encoded.labels.indices { predictions[i] = o }
        }
        #expect(abs(none.accuracy - 0.7) < 1e-12)
        #expect(none.entities?.correct == 0 && none.entities?.goldCount == 2 && none.entities?.recall == 0)
    }
}
