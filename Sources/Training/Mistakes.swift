import Tasks

/// Where a model goes wrong on a set of examples: its wrong targets counted by input length and
/// by (expected, predicted) label, and the wrong examples themselves.
///
/// A target is a position whose label is not `<pad>`; an example is wrong when any of its
/// targets is. For reverse, where short inputs are rare in training:
/// ```
/// let m = Mistakes(examples, predictions: ids, length: 8, labels: run.labels, keep: 10)
/// m.byLength   // [(length 4: 2 examples, 1 wrong, 4 targets, 2 wrong), (length 5: …), …]
/// m.confusions // [("3" → "2", 5), …], most frequent first
/// m.wrong      // the first 10 wrong examples, in order, with what was predicted
/// ```
public struct Mistakes: Sendable, Encodable {
    /// One wrong example: its 1-based position in the examples given, its tokens and labels,
    /// and the predicted labels (`<pad>` where the position is not scored).
    public struct Wrong: Sendable, Encodable, Equatable {
        public var index: Int
        public var tokens: [String]
        public var labels: [String]
        public var predicted: [String]
    }

    /// The examples of one input length (number of tokens) and how many of them, and of their
    /// targets, are wrong.
    public struct Length: Sendable, Encodable, Equatable {
        public var length: Int
        public var examples: Int
        public var wrongExamples: Int
        public var targets: Int
        public var wrongTargets: Int

        enum CodingKeys: String, CodingKey {
            case length, examples, wrongExamples = "wrong_examples", targets, wrongTargets = "wrong_targets"
        }
    }

    /// A label predicted in place of another, and how often.
    public struct Confusion: Sendable, Encodable, Equatable {
        public var expected: String
        public var predicted: String
        public var count: Int
    }

    public private(set) var examples = 0
    public private(set) var wrongExamples = 0
    public private(set) var targets = 0
    public private(set) var wrongTargets = 0
    /// By input length, shortest first; lengths with no examples are left out.
    public private(set) var byLength: [Length] = []
    /// Every (expected, predicted) pair that occurs, most frequent first (ties: expected, then
    /// predicted, in label order).
    public private(set) var confusions: [Confusion] = []
    /// The first `keep` wrong examples, in the order given.
    public private(set) var wrong: [Wrong] = []

    /// Counts the mistakes in `predictions` (label ids, `examples.count × length`, row-major, as
    /// ``EncodedSplit`` lays examples out) against the examples' labels.
    public init(_ examples: [Example], predictions: [Int32], length: Int, labels: Vocabulary, keep: Int) {
        precondition(predictions.count >= examples.count * length, "one prediction per padded position")
        var lengths: [Int: Length] = [:]
        var pairs: [Pair: Int] = [:]
        for (row, example) in examples.enumerated() {
            var predicted = [String](repeating: Special.pad, count: example.tokens.count)
            var scored = 0, missed = 0
            for (i, label) in example.labels.enumerated() where label != Special.pad {
                let id = Int(predictions[row * length + i])
                predicted[i] = labels.symbols[id]
                scored += 1
                if predicted[i] != label {
                    missed += 1
                    pairs[Pair(expected: labels.id(label) ?? -1, predicted: id), default: 0] += 1
                }
            }
            let n = example.tokens.count
            var entry = lengths[n] ?? Length(length: n, examples: 0, wrongExamples: 0, targets: 0, wrongTargets: 0)
            entry.examples += 1
            entry.targets += scored
            entry.wrongTargets += missed
            self.examples += 1
            targets += scored
            wrongTargets += missed
            if missed > 0 {
                entry.wrongExamples += 1
                wrongExamples += 1
                if wrong.count < keep {
                    wrong.append(Wrong(index: row + 1, tokens: example.tokens, labels: example.labels, predicted: predicted))
                }
            }
            lengths[n] = entry
        }
        byLength = lengths.values.sorted { $0.length < $1.length }
        confusions = pairs.sorted { a, b in
            a.value != b.value ? a.value > b.value
                : (a.key.expected, a.key.predicted) < (b.key.expected, b.key.predicted)
        }.map { pair, count in
            Confusion(expected: pair.expected >= 0 ? labels.symbols[pair.expected] : "?",
                      predicted: labels.symbols[pair.predicted], count: count)
        }
    }

    /// The fraction of targets predicted correctly (1 when there are none).
    public var accuracy: Double { targets == 0 ? 1 : Double(targets - wrongTargets) / Double(targets) }

    private struct Pair: Hashable {
        var expected: Int
        var predicted: Int
    }

    enum CodingKeys: String, CodingKey {
        case examples, wrongExamples = "wrong_examples", targets, wrongTargets = "wrong_targets",
             byLength = "by_length", confusions, wrong
    }
}
