import Testing
import Tasks

/// Strict IOB2 entity scores (seqeval `mode="strict"`) and accuracies on hand-made tag sequences
/// whose answers are worked out in the comments.
@Suite("NLP metrics")
struct NLPMetricTests {
    static func spans(_ tags: String) -> [String] {
        EntitySpan.spans(in: tags.split(separator: " ").map(String.init)).map(\.description)
    }

    @Test("entities: B- then every following I- of the same type")
    func basicSpans() {
        #expect(Self.spans("B-PER I-PER O B-LOC") == ["PER 0..<2", "LOC 3..<4"])
        #expect(Self.spans("O O O") == [])
        #expect(Self.spans("B-creative-work I-creative-work I-creative-work")
                == ["creative-work 0..<3"])
    }

    @Test("an I- without a preceding B- of its type starts no entity")
    func insideWithoutBegin() {
        #expect(Self.spans("I-PER I-PER O") == [])
        #expect(Self.spans("O I-LOC B-LOC I-LOC") == ["LOC 2..<4"])
        #expect(Self.spans("<pad> I-ORG <pad>") == [])
    }

    @Test("adjacent entities: B-PER B-PER is two entities of one word")
    func adjacent() {
        #expect(Self.spans("B-PER B-PER") == ["PER 0..<1", "PER 1..<2"])
        #expect(Self.spans("B-PER I-PER B-PER I-PER") == ["PER 0..<2", "PER 2..<4"])
    }

    @Test("an entity at the sentence end is closed there")
    func atEnd() {
        #expect(Self.spans("O O B-LOC") == ["LOC 2..<3"])
        #expect(Self.spans("O B-LOC I-LOC") == ["LOC 1..<3"])
    }

    @Test("a type change ends the entity, and the changed I- starts none")
    func typeChange() {
        #expect(Self.spans("B-PER I-LOC") == ["PER 0..<1"])
        #expect(Self.spans("B-PER I-LOC I-LOC O") == ["PER 0..<1"])
        #expect(Self.spans("B-PER I-PER I-LOC I-PER") == ["PER 0..<2"])
        #expect(Self.spans("B-PER B-LOC I-LOC") == ["PER 0..<1", "LOC 1..<3"])
    }

    @Test("<pad>, O and tags without B-/I- are outside every entity")
    func outsideTags() {
        #expect(Self.spans("<pad> B-PER <pad>") == ["PER 1..<2"])
        #expect(Self.spans("NN B-NP I-NP Bob I") == ["NP 1..<3"])
    }

    @Test("strict P/R/F1 over five hand-checked sentences: 2 correct of 5 predicted, 7 gold")
    func entityScore() throws {
        let pairs: [(gold: String, predicted: String)] = [
            ("B-PER I-PER O B-LOC", "B-PER O O B-LOC"),     // gold PER 0..<2, LOC 3; pred PER 0..<1, LOC 3 → 1 of 2
            ("B-ORG I-ORG I-ORG", "I-ORG I-ORG I-ORG"),     // gold 1; pred none (I- without B-)
            ("B-PER B-PER", "B-PER I-PER"),                 // gold 2 one-word; pred PER 0..<2 → 0
            ("O B-LOC", "O B-LOC"),                         // at the end → 1 of 1
            ("B-PER I-PER", "B-PER I-LOC"),                 // pred PER 0..<1 ≠ gold PER 0..<2 → 0
        ]
        func split(_ s: String) -> [String] { s.split(separator: " ").map(String.init) }
        let score = try EntityScore(gold: pairs.map { split($0.gold) }, predicted: pairs.map { split($0.predicted) })
        #expect(score == EntityScore(correct: 2, predictedCount: 5, goldCount: 7))
        #expect(score.precision == 0.4)
        #expect(abs(score.recall - 2.0 / 7.0) < 1e-15)
        #expect(abs(score.f1 - 1.0 / 3.0) < 1e-15)        // 2·2 / (5 + 7)
    }

    @Test("the entity scores are 0, not NaN, when nothing is predicted or nothing is gold")
    func zeroDivision() throws {
        let none = try EntityScore(gold: [["B-PER", "O"]], predicted: [["O", "O"]])
        #expect([none.precision, none.recall, none.f1] == [0, 0, 0])
        let noGold = try EntityScore(gold: [["O"]], predicted: [["B-PER"]])
        #expect([noGold.precision, noGold.recall, noGold.f1] == [0, 0, 0])
        let perfect = try EntityScore(gold: [["B-X", "I-X"], ["O"]], predicted: [["B-X", "I-X"], ["O"]])
        #expect([perfect.precision, perfect.recall, perfect.f1] == [1, 1, 1])
    }

    @Test("mismatched shapes are errors, not traps")
    func shapes() {
        #expect(taskErrorMessage { _ = try EntityScore(gold: [["O"]], predicted: []) }
                == "entity score: 1 gold sentences but 0 predicted")
        #expect(taskErrorMessage { _ = try EntityScore(gold: [["O"], ["O", "O"]], predicted: [["O"], ["O"]]) }
                == "entity score: sentence 1 has 2 gold tags but 1 predicted")
        #expect(taskErrorMessage { _ = try LabelAccuracy.tokens(gold: [["O"]], predicted: [["O", "O"]]) }
                == "accuracy: sequence 0 has 1 gold labels but 2 predicted")
    }

    @Test("token accuracy skips <pad> targets; sequence accuracy needs every scored position")
    func accuracy() throws {
        let gold = [["<pad>", "O", "B-PER", "<pad>"], ["NUM", "<pad>", "<pad>"], ["DESC", "<pad>"]]
        let pred = [["O", "O", "O", "O"], ["NUM", "DESC", "<pad>"], ["NUM", "<pad>"]]
        #expect(try LabelAccuracy.tokens(gold: gold, predicted: pred) == 2.0 / 4.0)     // O ✓, B-PER ✗, NUM ✓, DESC ✗
        #expect(try LabelAccuracy.sequences(gold: gold, predicted: pred) == 1.0 / 3.0)  // only the NUM sentence
        #expect(try LabelAccuracy.tokens(gold: [["<pad>"]], predicted: [["O"]]) == 0)
        #expect(try LabelAccuracy.sequences(gold: [], predicted: []) == 0)
    }
}
