/// An ordered list of symbols and their ids (the position in the list).
///
/// A synthetic task's token vocabulary is `[<pad>] + sorted(its tokens)` and its label vocabulary
/// `[<pad>] + sorted(its distinct non-pad labels)`, both in Python's string order (by code
/// point: digits < `</s>` < `<s>` < letters). For `sort` at the paper's settings:
///
/// ```
/// tokens: <pad> 0 1 2 3 4 </s> <s>      (ids 0…7)
/// labels: <pad> 0 1 2 3 4               (ids 0…5)
/// ```
public struct Vocabulary: Sendable, Codable, Equatable {
    /// The symbols in id order.
    public let symbols: [String]
    private let ids: [String: Int]
    /// Whether unknown words read as their shape (the vocabulary lists every ``UnknownShape``
    /// symbol) rather than as `<unk>`.
    public let hasUnknownShapes: Bool

    /// Creates a vocabulary whose ids are the positions in `symbols` (the first wins on repeats).
    public init(_ symbols: [String]) {
        self.symbols = symbols
        var ids = [String: Int](minimumCapacity: symbols.count)
        for (i, s) in symbols.enumerated() where ids[s] == nil { ids[s] = i }
        self.ids = ids
        hasUnknownShapes = UnknownShape.symbols.allSatisfy { ids[$0] != nil }
    }

    /// `[<pad>] + sorted(distinct symbols other than <pad>)` in Python's string order.
    public init<S: Sequence>(padFirst symbols: S) where S.Element == String {
        var distinct = Set(symbols)
        distinct.remove(Special.pad)
        self.init([Special.pad] + distinct.sorted(by: Vocabulary.pythonOrder))
    }

    /// The id of `symbol`, or nil if it is not in the vocabulary.
    public func id(_ symbol: String) -> Int? { ids[symbol] }

    /// The symbol with id `id`.
    public subscript(id: Int) -> String { symbols[id] }

    /// The number of symbols.
    public var count: Int { symbols.count }

    /// Python's `str` order: lexicographic by code point, which is UTF-8 byte order.
    public static func pythonOrder(_ a: String, _ b: String) -> Bool {
        a.utf8.lexicographicallyPrecedes(b.utf8)
    }

    public init(from decoder: any Decoder) throws {
        self.init(try decoder.singleValueContainer().decode([String].self))
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(symbols)
    }

    public static func == (a: Vocabulary, b: Vocabulary) -> Bool { a.symbols == b.symbols }
}
