/// Word shapes for words outside the vocabulary (`--unknown-shapes`): instead of one `<unk>`,
/// an unknown word reads as the symbol of its shape, so a model still sees that it was
/// capitalised. The rule looks at ASCII letters only, so the emitted Python applies it exactly:
///
/// | symbol | the unknown word | examples |
/// |---|---|---|
/// | `<unk:Xx>` | starts with a capital A–Z and has a lower-case letter a–z | `Zurich`, `McDonald`, `Jo` |
/// | `<unk:XX>` | starts with a capital A–Z and has no lower-case letter a–z | `NASA`, `A`, `R2D2` |
/// | `<unk:x>` | starts with a lower-case letter a–z | `iphone`, `eBay` |
/// | `<unk>` | anything else | `@user`, `#tag`, `Émile`, `3pm` |
///
/// On WNUT-17, 54% of the test set's capitalised unknown words are entity words, against 8% of
/// its lower-case ones.
///
/// ```swift
/// UnknownShape.symbol(of: "Zurich")   // "<unk:Xx>"
/// UnknownShape.symbol(of: "@user")    // "<unk>"
/// ```
public enum UnknownShape {
    /// The shape symbols, in the order a vocabulary lists them (after `<pad> <unk> <s> </s>`).
    public static let symbols = ["<unk:Xx>", "<unk:XX>", "<unk:x>"]

    /// The symbol an unknown `word` reads as (see the table above).
    public static func symbol(of word: String) -> String {
        guard let first = word.unicodeScalars.first else { return Special.unk }
        if ("A"..."Z").contains(first) {
            return word.unicodeScalars.contains { ("a"..."z").contains($0) } ? symbols[0] : symbols[1]
        }
        return ("a"..."z").contains(first) ? symbols[2] : Special.unk
    }
}

extension Vocabulary {
    /// The id an unknown `token` reads as: its ``UnknownShape`` symbol's when the vocabulary has
    /// the shape symbols (and that one is not `<unk>`), else `<unk>`'s; nil when neither is listed.
    public func unknownID(_ token: String) -> Int? {
        if hasUnknownShapes, let id = id(UnknownShape.symbol(of: token)) { return id }
        return id(Special.unk)
    }

    /// The id `token` reads as: its own, else ``unknownID(_:)``.
    public func idOrUnknown(_ token: String) -> Int? { id(token) ?? unknownID(token) }

    /// `tokens` as this vocabulary reads them: each one itself when listed, else the symbol of
    /// ``unknownID(_:)``; unchanged when neither is listed.
    public func reading(_ tokens: [String]) -> [String] {
        tokens.map { token in id(token) != nil ? token : unknownID(token).map { self[$0] } ?? token }
    }
}
