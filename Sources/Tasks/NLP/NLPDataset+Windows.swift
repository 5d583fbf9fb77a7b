/// Sentences of any length fitted to a model that allows at most `maxLength` positions, for the
/// score on the unfiltered test set.
///
/// A tagged sentence `<s> w₁ … wₙ </s>` with more than `m = maxLength − 2` words is cut into
/// consecutive windows of at most `m` words, each framed `<s> … </s>` with its own tags; the
/// windows' predictions are put back together into one sentence before scoring, so an entity
/// cut by a window boundary can still be found only if both halves are tagged right. A pooled
/// (classification) sentence keeps its first `m` words and its label.
///
/// ```swift
/// // maxLength 4 (two words a window):
/// // <s> a b c </s> / <pad> B-PER I-PER O <pad>
/// //   → [<s> a b </s> / <pad> B-PER I-PER <pad>] and [<s> c </s> / <pad> O <pad>], sentence [0, 0]
/// ```
public struct Windows: Sendable {
    /// The windows, each at most `maxLength` tokens.
    public let examples: [Example]
    /// For each window, the index of the sentence it came from, in order.
    public let sentence: [Int]

    public init(_ examples: [Example], maxLength: Int, pooled: Bool) {
        let m = max(maxLength - 2, 1)
        var windows: [Example] = [], sentence: [Int] = []
        for (s, example) in examples.enumerated() {
            let words = Array(example.tokens.dropFirst().dropLast())
            let tags = Array(example.labels.dropFirst().dropLast())
            if example.tokens.count <= maxLength {
                windows.append(example)
                sentence.append(s)
            } else if pooled {
                windows.append(Example(tokens: [Special.bos] + words.prefix(m) + [Special.eos],
                                       labels: [example.labels[0]] + Array(repeating: Special.pad, count: m + 1)))
                sentence.append(s)
            } else {
                for start in stride(from: 0, to: words.count, by: m) {
                    let end = min(start + m, words.count)
                    windows.append(Example(tokens: [Special.bos] + words[start..<end] + [Special.eos],
                                           labels: [Special.pad] + tags[start..<end] + [Special.pad]))
                    sentence.append(s)
                }
            }
        }
        self.examples = windows
        self.sentence = sentence
    }
}
