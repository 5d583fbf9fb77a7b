import Tasks

/// `results.json` of a standard-Transformer baseline run: the best epoch by validation score
/// (the paper's protocol for the baseline) and its metrics.
///
/// `{"task": "reverse", "seed": 0, "standard": true, "epochs": 100, "best_epoch": 41,
///   "train_seconds": 812.3, "best": {"val": {"accuracy": 0.98}, "test": {"accuracy": 0.97}}}`
public struct StandardRunResults: Codable, Sendable {
    public var task: String
    public var seed: UInt64
    public var standard = true
    public var epochs: Int
    public var bestEpoch: Int
    public var trainSeconds: Double
    public var parameters: Int
    public var best: [String: RunResults.Score]

    enum CodingKeys: String, CodingKey {
        case task, seed, standard, epochs, bestEpoch = "best_epoch", trainSeconds = "train_seconds", parameters, best
    }

    public init(task: String, seed: UInt64, epochs: Int, summary: StandardSummary,
                entities: [Split: EntityScore] = [:]) {
        self.task = task
        self.seed = seed
        self.epochs = epochs
        bestEpoch = summary.bestEpoch
        trainSeconds = (summary.trainSeconds * 10).rounded() / 10
        parameters = summary.parameterCount
        var best: [String: RunResults.Score] = [
            "val": RunResults.Score(accuracy: summary.bestVal.accuracy, entities: entities[.val]),
            "test": RunResults.Score(accuracy: summary.testAtBest.accuracy, entities: entities[.test]),
        ]
        if let t = summary.trainAtBest { best["train"] = RunResults.Score(accuracy: t.accuracy, entities: entities[.train]) }
        self.best = best
    }
}

/// `config.json` of a standard-Transformer baseline run.
public struct StandardRunConfig: Codable, Sendable {
    public var task: String
    public var seed: UInt64
    public var standard = true
    public var taskOptions: TaskOptions?
    public var nlp: RunConfig.NLPData?
    public var model: StandardModelOptions
    public var training: StandardTrainingOptions
    public var version: String

    public init(task: String, seed: UInt64, taskOptions: TaskOptions?, nlp: RunConfig.NLPData?,
                model: StandardModelOptions, training: StandardTrainingOptions, version: String) {
        self.task = task
        self.seed = seed
        self.taskOptions = taskOptions
        self.nlp = nlp
        self.model = model
        self.training = training
        self.version = version
    }
}
