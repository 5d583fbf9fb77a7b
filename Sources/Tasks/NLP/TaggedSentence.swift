/// A sentence with one tag per word, as read from a tagging corpus (named-entity recognition).
///
/// ```swift
/// let s = TaggedSentence(tokens: ["Empire", "State", "Building", "=", "ESB"],
///                        tags: ["B-location", "I-location", "I-location", "O", "B-location"])
/// s.tokens.count == s.tags.count   // true: every reader checks it
/// ```
///
/// ``NLPDataset`` turns it into an ``Example`` with `<s>` … `</s>` around the words and
/// `<pad>` around the tags.
public struct TaggedSentence: Sendable, Codable, Equatable, Hashable {
    /// The words.
    public var tokens: [String]
    /// One tag per word (IOB2 for the NER readers: `O`, `B-TYPE`, `I-TYPE`).
    public var tags: [String]

    /// Creates a sentence from its words and their tags (of the same length).
    public init(tokens: [String], tags: [String]) {
        self.tokens = tokens
        self.tags = tags
    }

    /// IOB1 tags rewritten as IOB2: an `I-X` that does not continue an entity of type X (at the
    /// start, after `O` or after a tag of another type) becomes `B-X`; every other tag is kept.
    ///
    /// ```
    /// IOB1:  I-PER I-PER O I-LOC B-LOC I-ORG
    /// IOB2:  B-PER I-PER O B-LOC B-LOC B-ORG
    /// ```
    ///
    /// A sequence that is already IOB2 comes back unchanged, so the readers apply it to every
    /// file (CoNLL-2003 is IOB1, WNUT-17 is IOB2). Tags that are neither `B-`/`I-` nor `O`
    /// (part-of-speech tags, say) pass through.
    public static func iob2(fromIOB1 tags: [String]) -> [String] {
        var result = tags
        var previousType: String? = nil     // the entity type of the previous tag, if any
        for (i, tag) in tags.enumerated() {
            let (prefix, type) = EntitySpan.split(tag)
            if prefix == "I", previousType != type { result[i] = "B-" + type }
            previousType = prefix == nil ? nil : type
        }
        return result
    }
}
