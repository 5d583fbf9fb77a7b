import Network
import Tasks

/// `config.json`: everything needed to reproduce a run.
public struct RunConfig: Codable, Sendable {
    public var task: String
    public var seed: UInt64
    /// The generator options of a synthetic task.
    public var taskOptions: TaskOptions?
    /// The data of an NLP task.
    public var nlp: NLPData?
    public var model: ModelOptions
    public var training: TrainingOptions
    /// The resolved network configuration (vocabulary size, `k`, length, …).
    public var program: ProgramConfig
    /// The `tprog` version that trained it.
    public var version: String
    /// The saved model the run started from (`--init-from`), if any.
    public var initialization: Initialization?

    /// A warm start: the model whose parameters replaced the random initial values.
    public struct Initialization: Codable, Sendable {
        /// The run folder or `model.json` given.
        public var from: String
        /// The parameter-name prefixes taken from it (empty: every parameter).
        public var only: [String]
        public init(from: String, only: [String]) {
            self.from = from
            self.only = only
        }
    }

    /// Where an NLP run's data came from, and how it was prepared.
    public struct NLPData: Codable, Sendable {
        public var options: NLPOptions
        /// The folder the data were read from: absolute since 6 December 2026 (runs before
        /// recorded it as typed, so a relative one is read from the current folder).
        public var dataDirectory: String
        /// The GloVe file that initialised the embeddings, if any.
        public var glove: String?
        /// ``NLPDataset/fingerprint`` of the data trained on (absent in runs made before 6
        /// December 2026): reading them again must give the same.
        public var dataFingerprint: String?
        public init(options: NLPOptions, dataDirectory: String, glove: String?, dataFingerprint: String? = nil) {
            self.options = options
            self.dataDirectory = dataDirectory
            self.glove = glove
            self.dataFingerprint = dataFingerprint
        }
    }

    public init(task: String, seed: UInt64, taskOptions: TaskOptions?, nlp: NLPData? = nil, model: ModelOptions,
                training: TrainingOptions, program: ProgramConfig, version: String) {
        self.task = task
        self.seed = seed
        self.taskOptions = taskOptions
        self.nlp = nlp
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
    public struct Score: Codable, Sendable, Equatable {
        public var accuracy: Double
        /// Strict entity-level scores (NER only).
        public var precision: Double?
        public var recall: Double?
        public var f1: Double?
        public init(accuracy: Double, entities: EntityScore? = nil) {
            self.accuracy = accuracy
            precision = entities?.precision
            recall = entities?.recall
            f1 = entities?.f1
        }
    }
    public var task: String
    public var seed: UInt64
    public var epochs: Int
    public var trainSeconds: Double
    public var discrete: [String: Score]

    enum CodingKeys: String, CodingKey {
        case task, seed, epochs, trainSeconds = "train_seconds", discrete
    }

    public init(task: String, seed: UInt64, epochs: Int, trainSeconds: Double, discrete: [Split: SplitMetrics],
                entities: [Split: EntityScore] = [:]) {
        self.task = task
        self.seed = seed
        self.epochs = epochs
        self.trainSeconds = (trainSeconds * 10).rounded() / 10
        self.discrete = Dictionary(uniqueKeysWithValues: discrete.map {
            ($0.key.rawValue, Score(accuracy: $0.value.accuracy, entities: entities[$0.key]))
        })
    }
}
