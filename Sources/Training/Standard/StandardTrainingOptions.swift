import Network

/// Everything that steers the training of the standard Transformer baseline. Defaults are the
/// paper's RASP setting (reference §3.6): Adam at 3e-4, batch 50, up to 100 epochs, the best
/// epoch chosen on validation accuracy.
public struct StandardTrainingOptions: Codable, Sendable, Equatable {
    /// Passes over the training split.
    public var epochs: Int = 100
    /// Sequences per step (the last, partial batch is kept).
    public var batchSize: Int = 50
    /// Adam's step size (β 0.9/0.999, ε 1e-8, no weight decay).
    public var learningRate: Float = 3e-4
    /// Gradient-norm clipping threshold (off when `nil`; the original's NLP scripts use 5).
    public var maxGradNorm: Float? = nil
    /// How token losses combine into a sequence loss.
    public var lossAggregation: LossAggregation = .perToken
    /// Seed of initialisation, shuffling and dropout (the data seed is the task's).
    public var seed: UInt64 = 0
    /// Also evaluate the training split after every epoch (validation and test always are:
    /// the best epoch is chosen on validation).
    public var evaluateTrain: Bool = true
    /// Sequences per evaluation batch (no effect on the results).
    public var evaluationBatchSize: Int = 500
    /// Sequences per parallel chunk of a batch (fixes the floating-point summation order and
    /// the dropout streams, so it is part of what a seed reproduces).
    public var chunkSize: Int = 16
    /// Pooled (classification) tasks: what the summed final states of a sentence are divided by;
    /// `nil` means ``TrainingOptions/PoolDivisor/length`` (and runs saved before the option).
    public var poolDivisor: TrainingOptions.PoolDivisor? = nil

    public init() {}

    /// The original's NER script: lr 5e-3, clipping at 5, batch 32, 100 epochs.
    public static var paperNER: StandardTrainingOptions {
        var o = StandardTrainingOptions()
        o.learningRate = 5e-3
        o.maxGradNorm = 5
        o.batchSize = 32
        return o
    }

    /// The original's classification script: lr 5e-3, clipping at 5, batch 128, 100 epochs,
    /// pooled states divided by the padded length.
    public static var paperClassification: StandardTrainingOptions {
        var o = paperNER
        o.batchSize = 128
        o.poolDivisor = .padded
        return o
    }

    /// Checks the values; the message names the problem.
    public func validate() throws(ConfigError) {
        try TrainingOptions.validate(epochs: epochs, batchSize: batchSize, learningRate: learningRate, maxGradNorm: maxGradNorm)
        if evaluationBatchSize < 1 { throw ConfigError("the evaluation batch size must be at least 1") }
        if chunkSize < 1 { throw ConfigError("the chunk size must be at least 1") }
    }
}
