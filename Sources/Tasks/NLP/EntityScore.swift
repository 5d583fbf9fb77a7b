/// Entity-level precision, recall and F1 over IOB2 tags, micro-averaged over all sentences and
/// types: seqeval's `mode="strict", scheme=IOB2`, the paper's NER metric (reference §5.4).
///
/// A predicted entity is correct only when a gold entity in the same sentence has the same type
/// and both the same start and end (``EntitySpan/spans(in:)`` reads the entities).
///
/// ```
/// gold:       B-PER I-PER O B-LOC      → PER 0..<2, LOC 3..<4
/// predicted:  B-PER O     O B-LOC      → PER 0..<1, LOC 3..<4
/// ```
///
/// ```swift
/// let score = try EntityScore(gold: [["B-PER", "I-PER", "O", "B-LOC"]],
///                             predicted: [["B-PER", "O", "O", "B-LOC"]])
/// score.correct, score.predictedCount, score.goldCount   // 1, 2, 2
/// score.precision, score.recall, score.f1                // 0.5, 0.5, 0.5
/// ```
///
/// Each score is 0 when its denominator is (seqeval's `zero_division` default). `<pad>` and
/// every other tag that is not `B-`/`I-` count as outside, so the labels of an ``Example``
/// (`<pad>` tags `<pad>`) can be scored directly.
public struct EntityScore: Sendable, Equatable, Codable {
    /// Predicted entities that match a gold entity exactly (true positives).
    public var correct: Int
    /// All predicted entities.
    public var predictedCount: Int
    /// All gold entities.
    public var goldCount: Int

    /// Creates a score from its counts.
    public init(correct: Int, predictedCount: Int, goldCount: Int) {
        self.correct = correct
        self.predictedCount = predictedCount
        self.goldCount = goldCount
    }

    /// Scores `predicted` against `gold`, sentence by sentence. Throws a ``TaskError`` when the
    /// numbers of sentences, or of tags in a sentence, differ.
    public init(gold: [[String]], predicted: [[String]]) throws {
        guard gold.count == predicted.count else {
            throw TaskError("entity score: \(gold.count) gold sentences but \(predicted.count) predicted")
        }
        var correct = 0, predictedCount = 0, goldCount = 0
        for (i, (g, p)) in zip(gold, predicted).enumerated() {
            guard g.count == p.count else {
                throw TaskError("entity score: sentence \(i) has \(g.count) gold tags but \(p.count) predicted")
            }
            let goldSpans = Set(EntitySpan.spans(in: g))
            let predictedSpans = EntitySpan.spans(in: p)
            goldCount += goldSpans.count
            predictedCount += predictedSpans.count
            correct += predictedSpans.lazy.filter { goldSpans.contains($0) }.count
        }
        self.init(correct: correct, predictedCount: predictedCount, goldCount: goldCount)
    }

    /// `correct / predictedCount` (0 when nothing is predicted).
    public var precision: Double { predictedCount == 0 ? 0 : Double(correct) / Double(predictedCount) }
    /// `correct / goldCount` (0 when there is no gold entity).
    public var recall: Double { goldCount == 0 ? 0 : Double(correct) / Double(goldCount) }
    /// The harmonic mean `2PR / (P + R)` (0 when both are 0).
    public var f1: Double {
        let p = precision, r = recall
        return p + r == 0 ? 0 : 2 * p * r / (p + r)
    }
}
