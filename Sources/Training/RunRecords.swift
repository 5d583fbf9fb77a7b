import Network
import Tasks

/// `config.json`: everything needed to reproduce a run.
public struct RunConfig: Codable, Sendable {
    public var task: String
    public var seed: UInt64
    public var taskOptions: TaskOptions
    public var model: ModelOptions
    public var training: TrainingOptions
    /// The resolved network configuration (vocabulary size, `k`, length, …).
    public var program: ProgramConfig
    /// The `tprog` version that trained it.
    public var version: String

    public init(task: String, seed: UInt64, taskOptions: TaskOptions, model: ModelOptions, training: TrainingOptions,
                program: ProgramConfig, version: String) {
        self.task = task
        self.seed = seed
        self.taskOptions = taskOptions
        self.model = model
        self.training = training
        self.program = program
        self.version = version
    }
}

/// `results.json`: the discrete model's accuracy on every split.
///
/// `{"task": "sort", "seed": 0, "epochs": 250, "train_seconds": 41.2,
///   "discrete": {"train": {"accuracy": 0.9991}, "val": {"accuracy": 0.998}, "test": {"accuracy": 0.9985}}}`
public struct RunResults: Codable, Sendable {
    /// The metrics of one split.
    public struct Score: Codable, Sendable {
        public var accuracy: Double
    }
    public var task: String
    public var seed: UInt64
    public var epochs: Int
    public var trainSeconds: Double
    public var discrete: [String: Score]

    enum CodingKeys: String, CodingKey {
        case task, seed, epochs, trainSeconds = "train_seconds", discrete
    }

    public init(task: String, seed: UInt64, epochs: Int, trainSeconds: Double, discrete: [Split: SplitMetrics]) {
        self.task = task
        self.seed = seed
        self.epochs = epochs
        self.trainSeconds = (trainSeconds * 10).rounded() / 10
        self.discrete = Dictionary(uniqueKeysWithValues: discrete.map { ($0.key.rawValue, Score(accuracy: $0.value.accuracy)) })
    }
}
