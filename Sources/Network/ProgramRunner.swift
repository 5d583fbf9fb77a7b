import Autograd

/// Runs a ``TransformerProgram`` over a batch, split into fixed chunks of sequences that the
/// cores process in parallel, and (when training) leaves the batch's gradient in the parameters.
///
/// Per step: the shared discrete choices are sampled once on the step tape; each chunk runs
/// forward and backward on its own tape against views of those samples, with Gumbel noise from
/// its own stream `(seed, stream, chunk)`; chunk gradients are summed in chunk order, then carried
/// back through the sampling to the logits. Chunks are fixed by the batch, never by the thread
/// count, so a seed gives bit-identical results on any number of cores.
public final class ProgramRunner {
    public let model: TransformerProgram
    /// Sequences per chunk.
    public let chunkSize: Int
    private let stepTape = Tape()
    private var chunkStates: [ChunkState] = []

    /// One chunk's tape and its views of the step's weights (each touched by one worker only).
    private final class ChunkState {
        let tape = Tape()
        var leaves: [Tensor] = []
        var labels: [Int32] = []
        var targets: [Int32] = []
    }

    /// The outcome of one batch.
    public struct Result: Sendable {
        /// The batch loss (mean over sequences of the aggregated token losses).
        public var loss: Double = 0
        /// Scored positions predicted correctly.
        public var correct: Int = 0
        /// Scored positions (targets other than `<pad>`).
        public var total: Int = 0
        public init(loss: Double = 0, correct: Int = 0, total: Int = 0) {
            self.loss = loss
            self.correct = correct
            self.total = total
        }
    }

    public init(model: TransformerProgram, chunkSize: Int = 32) {
        self.model = model
        self.chunkSize = chunkSize
    }

    /// Runs `count` sequences of `tokens`/`labels` (`[count × length]`, id 0 = `<pad>`).
    /// With `train`, parameter gradients are *accumulated* (scaled by `lossScale`; zero them
    /// first). `predictions`, when given (`count × length`), receives the argmax class per position.
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
        let chunks = (count + chunkSize - 1) / chunkSize
        while chunkStates.count < chunks { chunkStates.append(ChunkState()) }
        var results = [Result](repeating: Result(), count: chunks)
        let causal = model.config.causal, weight = lossScale / Float(count)
        let classes = model.config.classCount
        let out = UncheckedSendable(predictions)
        results.withUnsafeMutableBufferPointer { res in
            let resBox = UncheckedSendable(res)
            Parallel.for(chunks) { c in
                let state = self.chunkStates[c], tape = state.tape
                tape.reset()
                tape.isRecording = train
                let leaves = weights.map { tape.leaf(sharing: $0, grad: train) }
                state.leaves = leaves
                let lo = c * self.chunkSize, n = min(self.chunkSize, count - lo)
                let batch = SequenceBatch(sequences: n, length: length, tokens: tokens + lo * length, causal: causal,
                                          tau: tau, mode: mode)
                var noise = RandomStream(seed: seed, stream: stream &* 0x1_0000 &+ UInt64(c))
                let output = self.model.forward(tape, weights: leaves, batch: batch, rng: &noise)
                let targets = labels + lo * length
                // Pooled models score one label per sequence (at its position 0) on the mean logits.
                let pooled = self.model.config.pooled
                let scored = pooled ? tape.poolSequences(output.logits, batch: batch) : output.logits
                let rowsPerSequence = pooled ? 1 : length
                if pooled {
                    state.targets.removeAll(keepingCapacity: true)
                    for s in 0..<n { state.targets.append(targets[s * length]) }
                }
                let loss = state.targets.withUnsafeBufferPointer { pooledTargets in
                    tape.crossEntropy(scored, targets: pooled ? pooledTargets.baseAddress! : targets, sequences: n,
                                      length: rowsPerSequence, aggregation: aggregation, weight: weight)
                }
                if train { tape.backward(loss) }
                var r = Result(loss: Double(loss.data[0]) / Double(max(lossScale, .leastNormalMagnitude)))
                if mode == .argmax {
                    // The discrete model's labels come from the canonical classifier sum.
                    state.labels.removeAll(keepingCapacity: true)
                    state.labels.append(contentsOf: repeatElement(0, count: n * length))
                    state.labels.withUnsafeMutableBufferPointer {
                        self.model.discreteLabels(output, batch: batch, into: $0.baseAddress!)
                    }
                }
                for row in 0..<n * length {
                    var best = 0
                    if mode == .argmax {
                        best = Int(state.labels[row])
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
                resBox.value[c] = r
            }
        }
        if train {
            for (t, w) in weights.enumerated() {
                guard let g = w.grad else { continue }
                for c in 0..<chunks {
                    guard let gc = chunkStates[c].leaves[t].grad else { continue }
                    for i in 0..<w.count { g[i] += gc[i] }
                }
            }
            stepTape.runBackward()
        }
        return results.reduce(into: Result()) { acc, r in
            acc.loss += r.loss
            acc.correct += r.correct
            acc.total += r.total
        }
    }
}
