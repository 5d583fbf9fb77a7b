/// A named entity in a tag sequence: its type and the half-open range of positions it covers.
///
/// ``spans(in:)`` reads the entities of IOB2 tags as seqeval's strict mode does: an entity is a
/// `B-X` followed by every directly following `I-X`; an `I-` that does not continue an entity
/// of its type starts none (it is ignored), and any tag that is not `B-…`/`I-…` (`O`, `<pad>`)
/// is outside every entity.
///
/// ```
/// position:  0     1     2     3     4     5     6     7
/// tags:      B-PER I-PER O     I-LOC B-PER B-PER I-LOC B-ORG
/// entities:  PER 0..<2               PER 4..<5   PER 5..<6  ORG 7..<8
/// ```
///
/// (`I-LOC` at 3 has no `B-LOC`; the `I-LOC` at 6 follows a `B-PER`, so it ends that entity and
/// starts none.)
///
/// ```swift
/// EntitySpan.spans(in: ["B-PER", "I-PER", "O", "B-LOC"])
/// // [EntitySpan(type: "PER", range: 0..<2), EntitySpan(type: "LOC", range: 3..<4)]
/// ```
public struct EntitySpan: Sendable, Hashable, Codable, CustomStringConvertible {
    /// The entity type: the tag without its `B-`/`I-` prefix (`PER`, `location`, …).
    public var type: String
    /// The positions of the entity, end exclusive.
    public var range: Range<Int>

    /// Creates an entity of `type` over `range`.
    public init(type: String, range: Range<Int>) {
        self.type = type
        self.range = range
    }

    /// `TYPE start..<end`.
    public var description: String { "\(type) \(range.lowerBound)..<\(range.upperBound)" }

    /// The entities of `tags`, in order, by the strict IOB2 rule above.
    public static func spans(in tags: [String]) -> [EntitySpan] {
        var spans: [EntitySpan] = []
        var i = 0
        while i < tags.count {
            let (prefix, type) = split(tags[i])
            guard prefix == "B" else {
                i += 1
                continue
            }
            var end = i + 1
            while end < tags.count, split(tags[end]) == ("I", type) { end += 1 }
            spans.append(EntitySpan(type: type, range: i..<end))
            i = end
        }
        return spans
    }

    /// The prefix (`"B"`, `"I"`, or nil for any other tag) and the type of a tag: `B-PER` →
    /// (`B`, `PER`); a bare `B` or `I` has the empty type (seqeval's `_`).
    static func split(_ tag: String) -> (prefix: String?, type: String) {
        let utf8 = tag.utf8
        guard let first = utf8.first, first == UInt8(ascii: "B") || first == UInt8(ascii: "I") else {
            return (nil, "")
        }
        let prefix = first == UInt8(ascii: "B") ? "B" : "I"
        if utf8.count == 1 { return (prefix, "") }
        guard utf8.dropFirst().first == UInt8(ascii: "-") else { return (nil, "") }
        return (prefix, String(tag.dropFirst(2)))
    }
}
