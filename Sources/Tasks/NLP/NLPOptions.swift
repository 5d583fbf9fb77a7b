/// The preprocessing options of a real-data task (reference §5.4–5.5), with the paper's defaults.
///
/// | option | NER default | classification default | meaning |
/// |---|---|---|---|
/// | `vocabSize` | 10,000 | 10,000 | most frequent training words kept (plus specials) |
/// | `lowercase` | false | false | lower-case every word (the paper keeps case) |
/// | `replaceNumbers` | true | false | every run of ASCII digits → `@` (`W2000` → `W@`) |
/// | `maxWords` | 30 | 62 | longest sentence kept, in words, on every split |
/// | `unknownShapes` | false | false | unknown words read as their shape (``UnknownShape``), not `<unk>` |
/// | `seed` | 0 | 0 | seed of the split where a data set has none |
///
/// ```swift
/// var options = NLPOptions.defaults(for: .trec)   // vocab 10,000, ≤ 62 words, seed 0
/// options.lowercase = true
/// let data = try NLPDataset.load(.trec, options: options)
/// ```
///
/// `maxWords` is the original's `max_length − 2` (`<s>` and `</s>` take two positions), so the
/// padded length is `maxWords + 2`: 32 for NER, 64 for classification.
public struct NLPOptions: Sendable, Codable, Equatable {
    /// How many of the most frequent training words the vocabulary keeps (besides `<pad>`,
    /// `<unk>`, `<s>`, `</s>`).
    public var vocabSize: Int
    /// Whether words are lower-cased (`String.lowercased()`, Unicode rules).
    public var lowercase: Bool
    /// Whether each run of ASCII digits becomes `@` (the original's regex `[0-9]+` → `@`).
    public var replaceNumbers: Bool
    /// The longest sentence kept, in words (sentences of 1…`maxWords` words are kept).
    public var maxWords: Int
    /// The seed of the split of MR and Subj (80/10/10) and of TREC's validation set.
    public var seed: UInt64
    /// Whether the vocabulary has the ``UnknownShape`` symbols, so that an unknown word reads as
    /// its shape (`<unk:Xx>`, `<unk:XX>`, `<unk:x>`) and only other unknown words as `<unk>`.
    /// Not in the paper, which reads every unknown word as `<unk>`.
    public var unknownShapes: Bool

    /// Creates options; see ``defaults(for:)`` for the paper's values.
    public init(vocabSize: Int = 10_000, lowercase: Bool = false, replaceNumbers: Bool,
                maxWords: Int, seed: UInt64 = 0, unknownShapes: Bool = false) {
        self.vocabSize = vocabSize
        self.lowercase = lowercase
        self.replaceNumbers = replaceNumbers
        self.maxWords = maxWords
        self.seed = seed
        self.unknownShapes = unknownShapes
    }

    private enum CodingKeys: String, CodingKey { case vocabSize, lowercase, replaceNumbers, maxWords, seed, unknownShapes }

    /// Decodes options; runs written before `unknownShapes` existed read every unknown word as
    /// `<unk>`.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        try self.init(vocabSize: c.decode(Int.self, forKey: .vocabSize), lowercase: c.decode(Bool.self, forKey: .lowercase),
                      replaceNumbers: c.decode(Bool.self, forKey: .replaceNumbers),
                      maxWords: c.decode(Int.self, forKey: .maxWords), seed: c.decode(UInt64.self, forKey: .seed),
                      unknownShapes: c.decodeIfPresent(Bool.self, forKey: .unknownShapes) ?? false)
    }

    /// The paper's settings: 10,000 words, case kept, seed 0; NER replaces numbers and keeps
    /// ≤ 30 words, classification keeps ≤ 62 words.
    public static func defaults(for task: NLPTask) -> NLPOptions {
        task.isTagging
            ? NLPOptions(replaceNumbers: true, maxWords: 30)
            : NLPOptions(replaceNumbers: false, maxWords: 62)
    }

    /// `word` as the model sees it: lower-cased if ``lowercase``, digit runs replaced if
    /// ``replaceNumbers``. `"Route66"` → `"Route@"` (or `"route@"`).
    public func normalise(_ word: String) -> String {
        let cased = lowercase ? word.lowercased() : word
        guard replaceNumbers, cased.utf8.contains(where: Self.isDigit) else { return cased }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(cased.utf8.count)
        var inRun = false
        for byte in cased.utf8 {
            if Self.isDigit(byte) {
                if !inRun { bytes.append(UInt8(ascii: "@")) }
                inRun = true
            } else {
                bytes.append(byte)
                inRun = false
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    private static func isDigit(_ byte: UInt8) -> Bool { (0x30...0x39).contains(byte) }

    /// Throws a ``TaskError`` for a negative vocabulary size or a `maxWords` outside
    /// 1…``TaskOptions/maxSequenceLength`` − 2.
    func validate(_ name: String) throws {
        guard vocabSize >= 0 else { throw TaskError("\(name): vocabSize must not be negative, got \(vocabSize)") }
        let limit = TaskOptions.maxSequenceLength - 2
        guard (1...limit).contains(maxWords) else {
            throw TaskError("\(name): maxWords must be between 1 and \(limit), got \(maxWords)")
        }
    }
}
