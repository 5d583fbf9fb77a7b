/// A sentence with one label for the whole of it, as read from a classification corpus.
///
/// ```swift
/// let q = LabeledSentence(tokens: ["How", "far", "is", "it", "?"], label: "NUM")   // TREC
/// let r = LabeledSentence(tokens: ["a", "gem", "."], label: "positive")           // MR
/// ```
///
/// ``NLPDataset`` turns it into an ``Example`` with `<s>` … `</s>` around the words, the label
/// at position 0 and `<pad>` everywhere else (the pooled convention).
public struct LabeledSentence: Sendable, Codable, Equatable, Hashable {
    /// The words.
    public var tokens: [String]
    /// The class of the sentence.
    public var label: String

    /// Creates a sentence from its words and its label.
    public init(tokens: [String], label: String) {
        self.tokens = tokens
        self.label = label
    }
}
