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
    private var chunkStates: [ChunkState] = []

    /// One chunk's tape, its parameter views and targets (each touched by one worker only).
    private final class ChunkState {
        let tape = Tape()
        var leaves: [Tensor] = []
        var targets: [Int32] = []
    }

    /// The outcome of one batch.
    public struct Result: Sendable {
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
    }

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
        let chunks = (count + chunkSize - 1) / chunkSize
        while chunkStates.count < chunks { chunkStates.append(ChunkState()) }
        var results = [Result](repeating: Result(), count: chunks)
        let config = model.config, classes = config.classCount, pooled = config.pooled
        let weight = 1 / Float(count)
        let out = UncheckedSendable(predictions)
        results.withUnsafeMutableBufferPointer { res in
            let resBox = UncheckedSendable(res)
            Parallel.for(chunks) { c in
                let state = self.chunkStates[c], tape = state.tape
                tape.reset()
                tape.isRecording = train
                let leaves = parameters.map { tape.leaf(sharing: $0, grad: train) }
                state.leaves = leaves
                var lookup: [ObjectIdentifier: Tensor] = [:]
                for (p, leaf) in zip(parameters, leaves) { lookup[ObjectIdentifier(p)] = leaf }
                let view = self.model.mapParameters { lookup[ObjectIdentifier($0)]! }

                let lo = count * c / chunks, n = count * (c + 1) / chunks - lo
                let batch = StandardBatch(tokens: tokens + lo * length, sequences: n, length: length,
                                          causal: config.causal, training: train)
                var noise = RandomStream(seed: seed, stream: stream &* 0x1_0000 &+ UInt64(c))
                let logits = view(tape, batch, rng: &noise)
                let targets = labels + lo * length
                state.targets.removeAll(keepingCapacity: true)
                if pooled { for s in 0..<n { state.targets.append(targets[s * length]) } }
                // The backward pass reads the targets: it runs while their buffer is pinned.
                let loss = state.targets.withUnsafeBufferPointer { pooledTargets in
                    let loss = tape.crossEntropy(logits, targets: pooled ? pooledTargets.baseAddress! : targets,
                                                 sequences: n, length: pooled ? 1 : length, aggregation: aggregation,
                                                 weight: weight)
                    if train { tape.backward(loss) }
                    return loss
                }
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
                resBox.value[c] = r
            }
        }
        if train {
            for (t, p) in parameters.enumerated() {
                guard let g = p.grad else { continue }
                for c in 0..<chunks {
                    guard let gc = chunkStates[c].leaves[t].grad else { continue }
                    Vector.add(p.count, gc, g)
                }
            }
        }
        return results.reduce(into: Result()) { acc, r in
            acc.loss += r.loss
            acc.correct += r.correct
            acc.total += r.total
        }
    }
}
