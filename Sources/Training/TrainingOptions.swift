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
    /// Evaluate val/test at the current τ after every epoch (and train, see below).
    public var evaluateEveryEpoch: Bool = true
    /// Re-evaluate the whole training split after every epoch, as the original does. Off by
    /// default: an epoch's train metrics are then those of its own training steps (the running
    /// sampled loss and accuracy, at the step's τ and weights), which cost nothing, where the
    /// re-evaluation costs about a third of the training time. Val and test are always
    /// re-evaluated; the discrete evaluation at the end covers every split either way.
    public var evaluateTrainEveryEpoch: Bool = false
    /// Pooled (classification) tasks: what a sequence's summed logits are divided by in training;
    /// `nil` (and for every task that is not pooled) means ``PoolDivisor/length``. `tprog train`
    /// sets ``PoolDivisor/padded`` for pooled tasks, as the original.
    public var poolDivisor: PoolDivisor? = nil
    /// Train with subnormal floats flushed to zero (``Subnormals``): faster as τ falls and
    /// subnormal products pile up (a trained sort model's epoch at τ = 0.3, one thread: 0.90 s
    /// against 1.16 s). On by default. Every task's run checked (a few
    /// epochs each, and sort's whole 250) came out bit-identical to keeping them (presumably the
    /// subnormals only ever meet much larger numbers in sums); that is not guaranteed in general.
    public var flushSubnormals: Bool = true

    /// What the pooled logits of a sequence are divided by. The label (the argmax) is the same
    /// either way; the loss, and so training, is not.
    public enum PoolDivisor: String, Codable, Sendable, CaseIterable {
        /// The padded length, as the original (its `mean` runs over every position after zeroing
        /// the pads): the longest training sequence. Logits are scaled by length/padded length.
        case padded
        /// The sequence's own length: the mean of its per-position logits.
        case length

        /// What a runner divides by: the longest sequence of `train` (with `<s>`, `</s>`) for
        /// `padded` on a pooled model; `nil` — each sequence's own length — otherwise.
        public static func divisor(_ choice: PoolDivisor?, pooled: Bool, train: EncodedSplit) -> Int? {
            pooled && choice == .padded ? train.longest : nil
        }
    }

    public init() {}

    enum CodingKeys: String, CodingKey {
        case epochs, batchSize, learningRate, maxGradNorm, tauInit, tauEnd, tauSchedule, gumbelSamples,
             lossAggregation, sampleMode, seed, evaluateEveryEpoch, evaluateTrainEveryEpoch, poolDivisor,
             flushSubnormals
    }

    /// Decodes a saved configuration; keys it lacks (older runs) keep their defaults.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let d = TrainingOptions()
        epochs = try c.decodeIfPresent(Int.self, forKey: .epochs) ?? d.epochs
        batchSize = try c.decodeIfPresent(Int.self, forKey: .batchSize) ?? d.batchSize
        learningRate = try c.decodeIfPresent(Float.self, forKey: .learningRate) ?? d.learningRate
        maxGradNorm = try c.decodeIfPresent(Float.self, forKey: .maxGradNorm)
        tauInit = try c.decodeIfPresent(Float.self, forKey: .tauInit) ?? d.tauInit
        tauEnd = try c.decodeIfPresent(Float.self, forKey: .tauEnd) ?? d.tauEnd
        tauSchedule = try c.decodeIfPresent(TemperatureSchedule.Kind.self, forKey: .tauSchedule) ?? d.tauSchedule
        gumbelSamples = try c.decodeIfPresent(Int.self, forKey: .gumbelSamples) ?? d.gumbelSamples
        lossAggregation = try c.decodeIfPresent(LossAggregation.self, forKey: .lossAggregation) ?? d.lossAggregation
        sampleMode = try c.decodeIfPresent(SampleMode.self, forKey: .sampleMode) ?? d.sampleMode
        seed = try c.decodeIfPresent(UInt64.self, forKey: .seed) ?? d.seed
        evaluateEveryEpoch = try c.decodeIfPresent(Bool.self, forKey: .evaluateEveryEpoch) ?? d.evaluateEveryEpoch
        // Runs saved before this option existed re-evaluated the training split every epoch.
        evaluateTrainEveryEpoch = try c.decodeIfPresent(Bool.self, forKey: .evaluateTrainEveryEpoch) ?? true
        // Runs saved before this option existed divided by each sequence's own length.
        poolDivisor = try c.decodeIfPresent(PoolDivisor.self, forKey: .poolDivisor)
        // Runs saved before this option existed kept subnormals.
        flushSubnormals = try c.decodeIfPresent(Bool.self, forKey: .flushSubnormals) ?? false
    }

    /// The paper's training settings for an NLP task: NER 50 epochs, batch 32, lr 0.01;
    /// classification 10 epochs, batch 128, lr 0.05, pooled logits divided by the padded length.
    public static func paper(_ task: NLPTask) -> TrainingOptions {
        var t = TrainingOptions()
        t.epochs = task.isTagging ? 50 : 10
        t.batchSize = task.isTagging ? 32 : 128
        t.learningRate = task.isTagging ? 0.01 : 0.05
        t.poolDivisor = task.isTagging ? nil : .padded
        return t
    }

    /// Bounds on the counts (a run at the bound would take days; beyond it, a typo).
    public static let maxEpochs = 1_000_000, maxBatchSize = 1_000_000, maxGumbelSamples = 1_000

    /// The checks a Transformer Program's and the baseline's training options share.
    static func validate(epochs: Int, batchSize: Int, learningRate: Float, maxGradNorm: Float?) throws(ConfigError) {
        try ConfigError.check("epochs", epochs, in: 1...maxEpochs)
        try ConfigError.check("batch-size", batchSize, in: 1...maxBatchSize)
        try ConfigError.checkPositive("lr", learningRate)
        if let maxGradNorm { try ConfigError.checkPositive("max-grad-norm", maxGradNorm) }
    }

    /// Checks the values; the message names the problem.
    public func validate() throws(ConfigError) {
        try Self.validate(epochs: epochs, batchSize: batchSize, learningRate: learningRate, maxGradNorm: maxGradNorm)
        try ConfigError.checkPositive("tau-init", tauInit)
        try ConfigError.checkPositive("tau-end", tauEnd)
        try ConfigError.check("gumbel-samples", gumbelSamples, in: 1...Self.maxGumbelSamples)
        if sampleMode == .argmax { throw ConfigError("sample-fn argmax cannot be trained (it has no gradient)") }
    }
}
