/// Accuracy of predicted label sequences against gold ones, scoring only the positions whose gold
/// label is not `<pad>` (as training does).
///
/// For tagging, ``tokens(gold:predicted:)`` is the fraction of scored positions right; for pooled
/// classification, where only position 0 is scored, ``sequences(gold:predicted:)`` (every scored
/// position of a sequence right) is the fraction of sentences classified right.
///
/// ```swift
/// let gold = [["<pad>", "O", "B-PER", "<pad>"], ["NUM", "<pad>", "<pad>"]]
/// let pred = [["O",     "O", "O",     "O"],     ["NUM", "DESC",  "<pad>"]]
/// try LabelAccuracy.tokens(gold: gold, predicted: pred)      // 2 of 3 scored positions: 0.667
/// try LabelAccuracy.sequences(gold: gold, predicted: pred)   // 1 of 2 sequences: 0.5
/// ```
///
/// Both are 0 when nothing is scored, and throw a ``TaskError`` when the shapes differ.
public enum LabelAccuracy {
    /// The fraction of positions with a gold label other than `<pad>` whose prediction equals it.
    public static func tokens(gold: [[String]], predicted: [[String]]) throws -> Double {
        var right = 0, scored = 0
        try forEachScored(gold, predicted) { _, g, p in
            scored += 1
            if g == p { right += 1 }
        }
        return scored == 0 ? 0 : Double(right) / Double(scored)
    }

    /// The fraction of sequences with at least one scored position whose every scored position is
    /// right.
    public static func sequences(gold: [[String]], predicted: [[String]]) throws -> Double {
        var wrong = Set<Int>(), scored = Set<Int>()
        try forEachScored(gold, predicted) { row, g, p in
            scored.insert(row)
            if g != p { wrong.insert(row) }
        }
        return scored.isEmpty ? 0 : Double(scored.count - wrong.count) / Double(scored.count)
    }

    private static func forEachScored(_ gold: [[String]], _ predicted: [[String]],
                                      _ body: (Int, String, String) -> Void) throws {
        guard gold.count == predicted.count else {
            throw TaskError("accuracy: \(gold.count) gold sequences but \(predicted.count) predicted")
        }
        for (row, (g, p)) in zip(gold, predicted).enumerated() {
            guard g.count == p.count else {
                throw TaskError("accuracy: sequence \(row) has \(g.count) gold labels but \(p.count) predicted")
            }
            for (a, b) in zip(g, p) where a != Special.pad { body(row, a, b) }
        }
    }
}
