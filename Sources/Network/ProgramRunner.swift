import Autograd

/// Runs a ``TransformerProgram`` over a batch, split into fixed chunks of sequences that the
/// cores process in parallel, and (when training) leaves the batch's gradient in the parameters.
///
/// Per step: the shared discrete choices are sampled once on the step tape; each chunk runs forward
/// and backward on its thread's tape (``ChunkedTapes``) against views of those samples, with Gumbel
/// noise from its own stream `(seed, stream, chunk)`; chunk gradients are summed in chunk order,
/// then carried back through the sampling to the logits. Chunks are fixed by the batch, never by
/// the thread count, so a seed gives bit-identical results on any number of cores.
public final class ProgramRunner {
    public let model: TransformerProgram
    /// Sequences per chunk.
    public let chunkSize: Int
    /// Pooled models: the fixed number each sequence's summed logits are divided by (the
    /// original's padded length); `nil`, each sequence's own length (see ``Tape/poolSequences(_:batch:divisor:)``).
    public var poolDivisor: Int?
    private let stepTape = Tape()
    private let chunks = ChunkedTapes()

    /// The outcome of one batch.
    public typealias Result = BatchResult

    public init(model: TransformerProgram, chunkSize: Int = 32) {
        self.model = model
        self.chunkSize = chunkSize
    }

    /// Runs `count` sequences of `tokens`/`labels` (`[count × length]`, id 0 = `<pad>`).
    /// With `train`, parameter gradients are *accumulated* (scaled by `lossScale`; zero them
    /// first). `predictions`, when given (`count × length`), receives the argmax class per
    /// position (pooled models: at each sequence's position 0, 0 elsewhere).
    @discardableResult
    public func run(tokens: UnsafePointer<Int32>, labels: UnsafePointer<Int32>, count: Int, length: Int,
                    tau: Float, mode: SampleMode, aggregation: LossAggregation = .perToken, train: Bool,
                    seed: UInt64, stream: UInt64, lossScale: Float = 1,
                    predictions: UnsafeMutablePointer<Int32>? = nil) -> Result {
        let train = train && mode.isDifferentiable
        stepTape.reset()
        stepTape.isRecording = train
        var rng = RandomStream(seed: seed, stream: stream &* 0x1_0000 &+ 0xFFFF)
        let weights = model.sampleWeights(stepTape, tau: tau, mode: mode, rng: &rng)
        let chunkCount = (count + chunkSize - 1) / chunkSize
        let causal = model.config.causal, pooled = model.config.pooled, weight = lossScale / Float(count)
        let classes = model.config.classCount
        let out = UncheckedSendable(predictions)
        let poolDivisor = self.poolDivisor
        let results = chunks.run(chunkCount, sharing: weights, train: train) { c, tape, views in
            let lo = c * chunkSize, n = min(chunkSize, count - lo)
            let batch = SequenceBatch(sequences: n, length: length, tokens: tokens + lo * length, causal: causal,
                                      tau: tau, mode: mode)
            var noise = RandomStream(seed: seed, stream: stream &* 0x1_0000 &+ UInt64(c))
            let output = model.forward(tape, weights: views, batch: batch, rng: &noise)
            let targets = labels + lo * length
            // Pooled models score one label per sequence (at its position 0) on the mean logits.
            let scored = pooled ? tape.poolSequences(output.logits, batch: batch, divisor: poolDivisor) : output.logits
            let loss = tape.sequenceLoss(scored, targets: targets, sequences: n, length: length, pooled: pooled,
                                         aggregation: aggregation, weight: weight, backward: train)
            var r = Result(loss: Double(loss.data[0]) / Double(max(lossScale, .leastNormalMagnitude)))
            // The discrete model's labels come from the canonical classifier sum.
            var discrete = [Int32]()
            if mode == .argmax {
                discrete = [Int32](repeating: 0, count: n * length)
                discrete.withUnsafeMutableBufferPointer { model.discreteLabels(output, batch: batch, into: $0.baseAddress!) }
            }
            for row in 0..<n * length {
                var best = 0
                if mode == .argmax {
                    best = Int(discrete[row])
                } else if !pooled || row % length == 0 {
                    let x = scored.data + (pooled ? row / length : row) * classes
                    for j in 1..<classes where x[j] > x[best] { best = j }
                }
                out.value?[lo * length + row] = Int32(best)
                let t = Int(targets[row])
                if t == 0 || (pooled && row % length != 0) { continue }
                r.total += 1
                if best == t { r.correct += 1 }
            }
            return r
        }
        if train { stepTape.runBackward() }
        return BatchResult(summing: results)
    }
}

/// The outcome of one batch (or of a chunk of it).
public struct BatchResult: Sendable {
    /// The batch loss: the mean over sequences of the aggregated token losses.
    public var loss: Double = 0
    /// Scored positions predicted correctly.
    public var correct: Int = 0
    /// Scored positions (targets other than `<pad>`; position 0 only when pooled).
    public var total: Int = 0

    public init(loss: Double = 0, correct: Int = 0, total: Int = 0) {
        self.loss = loss
        self.correct = correct
        self.total = total
    }

    /// The sum of chunk results.
    public init(summing parts: [BatchResult]) {
        for r in parts {
            loss += r.loss
            correct += r.correct
            total += r.total
        }
    }
}
