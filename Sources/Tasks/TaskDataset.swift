import Autograd

/// A generated synthetic task: its train/val/test examples, token and label vocabularies, the
/// padded length and whether the model must be causal.
///
/// ```swift
/// let data = try TaskDataset.generate(.sort, options: .defaults(for: .sort))
/// data.train.count, data.val.count, data.test.count   // about 11,439 / 1,272 / 1,413
/// data.test[0]          // tokens <s> 3 1 2 </s>,  labels <pad> 1 2 3 <pad>  (for example)
/// data.vocabulary       // <pad> 0 1 2 3 4 </s> <s>
/// data.labels           // <pad> 0 1 2 3 4
/// data.maxLength        // 8
/// let batch = try data.encoded(.train)   // padded id matrices
/// ```
///
/// The same task and options give byte-identical data on every platform (all randomness comes
/// from `RandomStream`).
public struct TaskDataset: Sendable {
    /// The task.
    public let task: TaskName
    /// The options the data was generated with.
    public let options: TaskOptions
    /// The training examples.
    public let train: [Example]
    /// The validation examples (model selection).
    public let val: [Example]
    /// The test examples (reported accuracy).
    public let test: [Example]
    /// `[<pad>] + sorted(all tokens)`: id 0 is `<pad>`.
    public let vocabulary: Vocabulary
    /// `[<pad>] + sorted(distinct non-pad labels)`: id 0 is `<pad>`.
    public let labels: Vocabulary
    /// Whether the model must use a causal attention mask (dyck1, dyck2, induction).
    public let causal: Bool
    /// The longest sequence over all splits, specials included: the padded length `N`.
    public let maxLength: Int

    /// Builds a dataset from given splits. The vocabularies list the tokens and labels of all three
    /// splits (a synthetic task has no unknown words): the original takes them from the training
    /// split, which gives the same lists whenever training holds every symbol — always at the
    /// paper's settings — and cannot encode the other splits when it does not (a small
    /// `--dataset-size`, a large `--vocab-size`).
    public init(task: TaskName, options: TaskOptions,
                train: [Example], val: [Example], test: [Example]) {
        self.task = task
        self.options = options
        self.train = train
        self.val = val
        self.test = test
        let all = [train, val, test].joined()
        vocabulary = Vocabulary(padFirst: all.lazy.flatMap(\.tokens))
        labels = Vocabulary(padFirst: all.lazy.flatMap(\.labels))
        causal = task.isCausal
        maxLength = [train, val, test].joined().lazy.map(\.tokens.count).max() ?? 0
    }

    /// Checks that `task` can be generated with `options`, throwing the ``TaskError`` that
    /// ``generate(_:options:)`` would throw for them (except a too-small distinct pool).
    public static func validate(_ task: TaskName, options: TaskOptions) throws {
        _ = try task.generator(options)
    }

    /// Generates `task` with `options` by the original protocol (reference §5.1): draw with
    /// de-duplication (the distinct samples of the seed's stream until `datasetSize` of them, or
    /// until `5·datasetSize` draws), then a seeded shuffle cut into test, val and train
    /// (``splitSizes(_:)``).
    ///
    /// Throws a ``TaskError`` for options the task cannot satisfy (a length it cannot have, a
    /// vocabulary too small, non-positive sizes) or when fewer than 3 distinct examples exist.
    public static func generate(_ task: TaskName, options: TaskOptions) throws -> TaskDataset {
        let generator = try task.generator(options)
        let pool = drawPool(generator, options: options)
        let parts = try split(pool, seed: options.seed, task: task)
        return TaskDataset(task: task, options: options,
                           train: parts.train, val: parts.val, test: parts.test)
    }
}
