import Network
import Tasks

/// Everything that steers training (SPEC §2). Defaults are the paper's.
public struct TrainingOptions: Codable, Sendable, Equatable {
    /// Passes over the training split.
    public var epochs: Int = 250
    /// Sequences per step (the last, partial batch is kept).
    public var batchSize: Int = 512
    /// Adam's step size.
    public var learningRate: Float = 0.05
    /// Gradient-norm clipping threshold (off when `nil`).
    public var maxGradNorm: Float? = nil
    /// Temperature at the first step.
    public var tauInit: Float = 3.0
    /// Temperature of the last epoch.
    public var tauEnd: Float = 0.01
    /// How τ moves between its anchors.
    public var tauSchedule: TemperatureSchedule.Kind = .geometric
    /// Sampled losses averaged per step.
    public var gumbelSamples: Int = 1
    /// How token losses combine into a sequence loss.
    public var lossAggregation: LossAggregation = .perToken
    /// The relaxation used in training.
    public var sampleMode: SampleMode = .gumbelSoft
    /// Seed of initialisation, shuffling and noise (the data seed is the task's).
    public var seed: UInt64 = 0
    /// Evaluate train/val/test at the current τ after every epoch.
    public var evaluateEveryEpoch: Bool = true

    public init() {}

    /// The paper's training settings for an NLP task: NER 50 epochs, batch 32, lr 0.01;
    /// classification 10 epochs, batch 128, lr 0.05.
    public static func paper(_ task: NLPTask) -> TrainingOptions {
        var t = TrainingOptions()
        t.epochs = task.isTagging ? 50 : 10
        t.batchSize = task.isTagging ? 32 : 128
        t.learningRate = task.isTagging ? 0.01 : 0.05
        return t
    }

    /// Checks the values; the message names the problem.
    public func validate() throws(ConfigError) {
        if epochs < 1 { throw ConfigError("epochs must be at least 1 (got \(epochs))") }
        if batchSize < 1 { throw ConfigError("batch-size must be at least 1 (got \(batchSize))") }
        if !(learningRate > 0) { throw ConfigError("lr must be positive (got \(learningRate))") }
        if !(tauInit > 0) || !(tauEnd > 0) {
            throw ConfigError("temperatures must be positive (got tau-init \(tauInit), tau-end \(tauEnd))")
        }
        if gumbelSamples < 1 { throw ConfigError("gumbel-samples must be at least 1 (got \(gumbelSamples))") }
        if let g = maxGradNorm, !(g > 0) { throw ConfigError("max-grad-norm must be positive (got \(g))") }
        if sampleMode == .argmax { throw ConfigError("sample-fn argmax cannot be trained (it has no gradient)") }
    }
}
