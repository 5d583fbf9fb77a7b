/// Examples encoded as padded id matrices: row-major `[count × length]`, padding id 0.
///
/// For `sort` with the vocabularies `<pad> 0 1 2 3 4 </s> <s>` and `<pad> 0 1 2 3 4`, and
/// `length` 6:
///
/// ```
/// tokens <s> 3 1 2 </s>     → 7 4 2 3 6 0
/// labels <pad> 1 2 3 <pad>  → 0 2 3 4 0 0
/// ```
///
/// A token missing from the vocabulary becomes its ``UnknownShape`` symbol or `<unk>`
/// (``Vocabulary/idOrUnknown(_:)``) when the vocabulary has them and is an error otherwise; a
/// missing label is always an error (in induction `<unk>` is a real label).
public struct EncodedSplit: Sendable {
    /// The number of examples (rows).
    public let count: Int
    /// The padded sequence length (columns).
    public let length: Int
    /// Token ids, `count × length`, row-major.
    public let tokens: [Int32]
    /// Label ids, `count × length`, row-major; 0 (`<pad>`) where not scored.
    public let labels: [Int32]

    /// Encodes `examples` (numbered from 1 in errors), right-padding each to `length` with id 0. Throws a ``TaskError`` for
    /// a sequence longer than `length`, tokens and labels of different lengths, a token the
    /// vocabulary lacks (and has no `<unk>` for), or a label the label vocabulary lacks.
    public init(_ examples: [Example], vocabulary: Vocabulary, labels labelVocabulary: Vocabulary,
                length: Int) throws {
        guard length >= 0 else { throw TaskError("the padded length must not be negative, got \(length)") }
        var tokens = [Int32](repeating: 0, count: examples.count * length)
        var labels = [Int32](repeating: 0, count: examples.count * length)
        for (row, example) in examples.enumerated() {
            guard example.tokens.count <= length else {
                throw TaskError("example \(row + 1) has \(example.tokens.count) tokens, more than the padded length \(length)")
            }
            guard example.labels.count == example.tokens.count else {
                throw TaskError("example \(row + 1) has \(example.tokens.count) tokens but \(example.labels.count) labels")
            }
            let base = row * length
            for (i, token) in example.tokens.enumerated() {
                guard let id = vocabulary.idOrUnknown(token) else {
                    throw TaskError("example \(row + 1): token '\(token)' is not in the vocabulary")
                }
                tokens[base + i] = Int32(id)
            }
            for (i, label) in example.labels.enumerated() {
                guard let id = labelVocabulary.id(label) else {
                    throw TaskError("example \(row + 1): label '\(label)' is not in the label vocabulary")
                }
                labels[base + i] = Int32(id)
            }
        }
        self.count = examples.count
        self.length = length
        self.tokens = tokens
        self.labels = labels
    }

    /// The number of scored targets (labels other than `<pad>`).
    public var scoredTargets: Int { labels.reduce(0) { $0 + ($1 != 0 ? 1 : 0) } }
}

extension EncodedSplit {
    /// The most tokens before the first `<pad>` in any example (0 when there are none): the
    /// length the original pads a split to.
    public var longest: Int {
        var best = 0
        for row in 0..<count {
            var n = 0
            while n < length && tokens[row * length + n] != 0 { n += 1 }
            best = max(best, n)
        }
        return best
    }
}
