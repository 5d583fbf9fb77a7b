/// The options of a synthetic task, with the original command-line meaning.
///
/// `vocabSize` counts the special tokens (`vocabSize 8` gives `sort` the 5 symbols `0`–`4`);
/// for the Dyck tasks it is the number of bracket types. `minLength`/`maxLength` bound the
/// sequence as the original generators read them (see each task's generator); `datasetSize`
/// examples are drawn from `seed`, de-duplicated when `unique`, then split 80/10/10-ish
/// (``TaskDataset/generate(_:options:)``).
///
/// ```swift
/// TaskOptions.defaults(for: .sort)       // vocab 8, lengths 1…8, 20,000 examples, seed 0, unique
/// TaskOptions.defaults(for: .dyck2)      // vocab 2 (bracket types), lengths 16…16
/// TaskOptions.defaults(for: .induction)  // vocab 10, lengths 9…9 (sequences of 10 tokens)
/// ```
public struct TaskOptions: Sendable, Codable, Equatable {
    /// The vocabulary size counting special tokens (Dyck: the number of bracket types).
    public var vocabSize: Int
    /// The shortest length the generator may draw.
    public var minLength: Int
    /// The longest length the generator may draw.
    public var maxLength: Int
    /// How many examples to draw (fewer survive de-duplication when the input space is small).
    public var datasetSize: Int
    /// The seed of the generator and of the split.
    public var seed: UInt64
    /// Whether duplicate inputs are removed (the original's `--unique 1`).
    public var unique: Bool

    /// Creates options; see ``defaults(for:)`` for the paper's values.
    public init(vocabSize: Int, minLength: Int, maxLength: Int, datasetSize: Int,
                seed: UInt64 = 0, unique: Bool = true) {
        self.vocabSize = vocabSize
        self.minLength = minLength
        self.maxLength = maxLength
        self.datasetSize = datasetSize
        self.seed = seed
        self.unique = unique
    }

    /// The paper's settings: vocab 8, lengths 1…8 for the RASP tasks; length 16 for Dyck (vocab
    /// = bracket types); vocab 10, lengths 9…9 for induction; always 20,000 examples, seed 0,
    /// unique.
    public static func defaults(for task: TaskName) -> TaskOptions {
        switch task {
        case .reverse, .hist, .doubleHist, .sort, .mostFreq:
            return TaskOptions(vocabSize: 8, minLength: 1, maxLength: 8, datasetSize: 20_000)
        case .dyck1:
            return TaskOptions(vocabSize: 1, minLength: 16, maxLength: 16, datasetSize: 20_000)
        case .dyck2:
            return TaskOptions(vocabSize: 2, minLength: 16, maxLength: 16, datasetSize: 20_000)
        case .induction:
            return TaskOptions(vocabSize: 10, minLength: 9, maxLength: 9, datasetSize: 20_000)
        }
    }

    /// The largest `datasetSize` accepted (the draw is up to five times larger).
    public static let maxDatasetSize = 10_000_000
    /// The largest `maxLength` accepted.
    public static let maxSequenceLength = 4_096
    /// The largest `vocabSize` accepted.
    public static let maxVocabularySize = 100_000
    /// The most tokens a data set may hold (`datasetSize × maxLength`): each costs tens of bytes
    /// as a token and a label, so this bounds the memory at a few GB.
    public static let maxTokens = 50_000_000

    /// Checks what every task needs: positive sizes within bounds and `minLength ≤ maxLength`.
    /// Each generator then checks what its task needs (``TaskDataset/generate(_:options:)``).
    func validate(for task: TaskName) throws {
        func fail(_ message: String) -> TaskError { TaskError("\(task.rawValue): \(message)") }
        for (name, value) in [("vocabSize", vocabSize), ("minLength", minLength),
                              ("maxLength", maxLength), ("datasetSize", datasetSize)] where value <= 0 {
            throw fail("\(name) must be positive, got \(value)")
        }
        guard minLength <= maxLength else {
            throw fail("minLength (\(minLength)) is greater than maxLength (\(maxLength))")
        }
        guard datasetSize <= Self.maxDatasetSize else {
            throw fail("datasetSize must be at most \(Self.maxDatasetSize), got \(datasetSize)")
        }
        guard maxLength <= Self.maxSequenceLength else {
            throw fail("maxLength must be at most \(Self.maxSequenceLength), got \(maxLength)")
        }
        guard vocabSize <= Self.maxVocabularySize else {
            throw fail("vocabSize must be at most \(Self.maxVocabularySize), got \(vocabSize)")
        }
        guard datasetSize * maxLength <= Self.maxTokens else {
            throw fail("datasetSize × maxLength is \(datasetSize * maxLength) tokens, more than \(Self.maxTokens) (several GB of memory): draw fewer or shorter examples")
        }
    }
}
