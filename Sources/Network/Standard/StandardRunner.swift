import Autograd

/// Runs a ``StandardTransformer`` over a batch, split into fixed chunks of sequences that the
/// cores process in parallel, and (when training) leaves the batch's gradient in the parameters.
///
/// Each chunk runs forward and backward on its own tape against views of the parameters with
/// gradients of their own, with dropout noise from its own stream `(seed, stream, chunk)`; the
/// chunk gradients are then summed into the parameters in chunk order. Chunks are fixed by the
/// batch and ``chunkSize``, never by the thread count, so a seed gives bit-identical results on
/// any number of cores.
public final class StandardRunner {
    public let model: StandardTransformer
    /// The most sequences per chunk: a batch of `B` is cut into `⌈B / chunkSize⌉` chunks of
    /// equal size (±1), so that the cores get equal work.
    public let chunkSize: Int
    private let chunks = ChunkedTapes()

    /// The outcome of one batch.
    public typealias Result = BatchResult

    public init(model: StandardTransformer, chunkSize: Int = 16) {
        precondition(chunkSize > 0, "chunk size must be positive")
        self.model = model
        self.chunkSize = chunkSize
    }

    /// Runs `count` sequences of `tokens`/`labels` (`[count × length]`, id 0 = `<pad>`). With
    /// `train`, dropout is active and the parameter gradients of the batch-mean loss are
    /// *accumulated* (zero them first). `predictions`, when given (`count × length`), receives
    /// the argmax class of every position (pooled: at position 0, `<pad>` elsewhere).
    @discardableResult
    public func run(tokens: UnsafePointer<Int32>, labels: UnsafePointer<Int32>, count: Int, length: Int,
                    aggregation: LossAggregation = .perToken, train: Bool, seed: UInt64, stream: UInt64,
                    predictions: UnsafeMutablePointer<Int32>? = nil) -> Result {
        guard count > 0 else { return Result() }
        let parameters = model.parameters
        let chunkCount = (count + chunkSize - 1) / chunkSize
        let config = model.config, classes = config.classCount, pooled = config.pooled
        let weight = 1 / Float(count)
        let out = UncheckedSendable(predictions)
        let results = chunks.run(chunkCount, sharing: parameters, train: train) { c, tape, leaves in
            var lookup: [ObjectIdentifier: Tensor] = [:]
            for (p, leaf) in zip(parameters, leaves) { lookup[ObjectIdentifier(p)] = leaf }
            let view = model.mapParameters { lookup[ObjectIdentifier($0)]! }

            let lo = count * c / chunkCount, n = count * (c + 1) / chunkCount - lo
            let batch = StandardBatch(tokens: tokens + lo * length, sequences: n, length: length,
                                      causal: config.causal, training: train)
            var noise = RandomStream(seed: seed, stream: stream &* 0x1_0000 &+ UInt64(c))
            let logits = view(tape, batch, rng: &noise)
            let targets = labels + lo * length
            let loss = tape.sequenceLoss(logits, targets: targets, sequences: n, length: length, pooled: pooled,
                                         aggregation: aggregation, weight: weight, backward: train)
            var r = Result(loss: Double(loss.data[0]))
            for row in 0..<n * length {
                let scoredRow = pooled ? (row % length == 0 ? row / length : -1) : row
                var best = 0
                if scoredRow >= 0 {
                    let x = logits.data + scoredRow * classes
                    for j in 1..<classes where x[j] > x[best] { best = j }
                }
                out.value?[lo * length + row] = Int32(best)
                let t = Int(targets[row])
                if t == 0 || scoredRow < 0 { continue }
                r.total += 1
                if best == t { r.correct += 1 }
            }
            return r
        }
        return BatchResult(summing: results)
    }
}
