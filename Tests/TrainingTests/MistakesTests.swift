import Foundation
import Testing
@testable import Training
import Tasks

@Suite("Mistakes (tprog eval --errors)")
struct MistakesTests {
    let labels = Vocabulary(["<pad>", "a", "b", "c"])

    /// Three examples padded to 5 positions; the predictions are label ids, also at unscored
    /// positions (which must not count).
    func mistakes(keep: Int) -> Mistakes {
        let examples = [
            Example(tokens: ["<s>", "x", "y", "</s>"], labels: ["<pad>", "a", "b", "<pad>"]),        // right
            Example(tokens: ["<s>", "x", "y", "z", "</s>"], labels: ["<pad>", "a", "b", "c", "<pad>"]), // 2 wrong
            Example(tokens: ["<s>", "y", "</s>"], labels: ["<pad>", "b", "<pad>"]),                    // 1 wrong
        ]
        let predictions: [Int32] = [
            3, 1, 2, 3, 3,   // the pad positions predict c: not scored
            0, 2, 2, 1, 0,   // a → b, c → a
            0, 1, 0, 0, 0,   // b → a
        ]
        return Mistakes(examples, predictions: predictions, length: 5, labels: labels, keep: keep)
    }

    @Test("totals, by length and confusions count only scored positions")
    func counts() {
        let m = mistakes(keep: 10)
        #expect((m.examples, m.wrongExamples, m.targets, m.wrongTargets) == (3, 2, 6, 3))
        #expect(m.accuracy == 0.5)
        #expect(m.byLength == [
            .init(length: 3, examples: 1, wrongExamples: 1, targets: 1, wrongTargets: 1),
            .init(length: 4, examples: 1, wrongExamples: 0, targets: 2, wrongTargets: 0),
            .init(length: 5, examples: 1, wrongExamples: 1, targets: 3, wrongTargets: 2),
        ])
        // Each pair once; equal counts in label order of (expected, predicted).
        #expect(m.confusions == [.init(expected: "a", predicted: "b", count: 1),
                                 .init(expected: "b", predicted: "a", count: 1),
                                 .init(expected: "c", predicted: "a", count: 1)])
        #expect(m.wrong.map(\.index) == [2, 3])
        #expect(m.wrong[0].predicted == ["<pad>", "b", "b", "a", "<pad>"])
    }

    @Test("keep bounds the examples listed, not the counts")
    func keep() {
        let m = mistakes(keep: 1)
        #expect(m.wrong.map(\.index) == [2])
        #expect(m.wrongExamples == 2)
        #expect(mistakes(keep: 0).wrong.isEmpty)
    }

    @Test("the JSON tprog eval --json prints under \"errors\"")
    func json() throws {
        let data = try JSONEncoder().encode(mistakes(keep: 1))
        let object = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        #expect(object["wrong_targets"] as? Int == 3)
        #expect(object["wrong_examples"] as? Int == 2)
        #expect((object["by_length"] as? [[String: Any]])?.first?["wrong_targets"] as? Int == 1)
        #expect((object["wrong"] as? [[String: Any]])?.first?["index"] as? Int == 2)
    }

    @Test("the most frequent confusion comes first")
    func order() {
        let examples = [Example(tokens: ["p", "q", "r"], labels: ["a", "a", "c"])]
        let m = Mistakes(examples, predictions: [3, 3, 1], length: 3, labels: labels, keep: 1)
        #expect(m.confusions.map(\.count) == [2, 1])
        #expect(m.confusions[0].expected == "a" && m.confusions[0].predicted == "c")
    }
}
