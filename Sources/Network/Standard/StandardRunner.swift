import Autograd

/// Runs a ``StandardTransformer`` over a batch, split into fixed chunks of sequences that the
/// cores process in parallel, and (when training) leaves the batch's gradient in the parameters.
///
/// Each chunk runs forward and backward on its thread's tape (``ChunkedTapes``) against views of
/// the parameters with gradients of their own, with dropout noise from its own stream `(seed,
/// stream, chunk)`; the chunk gradients are then summed into the parameters in chunk order. Chunks
/// are fixed by the batch and ``chunkSize``, never by the thread count, so a seed gives
/// bit-identical results on any number of cores.
public final class StandardRunner {
    public let model: StandardTransformer
    /// The most sequences per chunk: a batch of `B` is cut into `⌈B / chunkSize⌉` chunks of
    /// equal size (±1), so that the cores get equal work.
    public let chunkSize: Int
    private let chunks = ChunkedTapes()
    /// Pooled models: the fixed number a sentence's summed final states are divided by (the
    /// original's padded length); `nil`, each sentence's own length.
    public var poolDivisor: Int?

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
    /// the argmax class of every position (pooled: at position 0, `<pad>` elsewhere; `<pad>` past
    /// the longest sequence of a chunk, which runs at that width).
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
        let poolDivisor = self.poolDivisor
        let results = chunks.run(chunkCount, sharing: parameters, train: train) { c, tape, leaves in
            var lookup: [ObjectIdentifier: Tensor] = [:]
            for (p, leaf) in zip(parameters, leaves) { lookup[ObjectIdentifier(p)] = leaf }
            let view = model.mapParameters { lookup[ObjectIdentifier($0)]! }

            let lo = count * c / chunkCount, n = count * (c + 1) / chunkCount - lo
            // The chunk runs at the width of its longest sequence: the positions past it are
            // padding in every sequence, and a real position's output does not depend on padding.
            let width = Self.width(tokens + lo * length, sequences: n, length: length)
            let trimmed = width < length ? Self.trim(tokens + lo * length, labels + lo * length, sequences: n,
                                                     length: length, width: width) : nil
            func run(_ chunkTokens: UnsafePointer<Int32>, _ targets: UnsafePointer<Int32>) -> Result {
                let batch = StandardBatch(tokens: chunkTokens, sequences: n, length: width,
                                          causal: config.causal, training: train, poolDivisor: poolDivisor)
                var noise = RandomStream(seed: seed, stream: stream &* 0x1_0000 &+ UInt64(c))
                let logits = view(tape, batch, rng: &noise)
                let loss = tape.sequenceLoss(logits, targets: targets, sequences: n, length: width, pooled: pooled,
                                             aggregation: aggregation, weight: weight, backward: train)
                var r = Result(loss: Double(loss.data[0]))
                for row in 0..<n * width {
                    let scoredRow = pooled ? (row % width == 0 ? row / width : -1) : row
                    var best = 0
                    if scoredRow >= 0 {
                        let x = logits.data + scoredRow * classes
                        for j in 1..<classes where x[j] > x[best] { best = j }
                    }
                    out.value?[lo * length + (row / width) * length + row % width] = Int32(best)
                    let t = Int(targets[row])
                    if t == 0 || scoredRow < 0 { continue }
                    r.total += 1
                    if best == t { r.correct += 1 }
                }
                return r
            }
            if let prediction = out.value, width < length {
                for s in 0..<n { (prediction + (lo + s) * length + width).update(repeating: 0, count: length - width) }
            }
            guard let trimmed else { return run(tokens + lo * length, labels + lo * length) }
            return trimmed.tokens.withUnsafeBufferPointer { t in
                trimmed.labels.withUnsafeBufferPointer { l in run(t.baseAddress!, l.baseAddress!) }
            }
        }
        return BatchResult(summing: results)
    }

    /// The length of the longest of `sequences` rows of `length` tokens (padding, id 0, only
    /// trails), at least 1.
    static func width(_ tokens: UnsafePointer<Int32>, sequences: Int, length: Int) -> Int {
        var width = 1
        for s in 0..<sequences {
            var end = length
            while end > width, tokens[s * length + end - 1] == 0 { end -= 1 }
            width = max(width, end)
        }
        return width
    }

    /// The first `width` columns of `[sequences × length]` tokens and labels.
    static func trim(_ tokens: UnsafePointer<Int32>, _ labels: UnsafePointer<Int32>, sequences: Int, length: Int,
                     width: Int) -> (tokens: [Int32], labels: [Int32]) {
        var t = [Int32](), l = [Int32]()
        t.reserveCapacity(sequences * width)
        l.reserveCapacity(sequences * width)
        for s in 0..<sequences {
            t.append(contentsOf: UnsafeBufferPointer(start: tokens + s * length, count: width))
            l.append(contentsOf: UnsafeBufferPointer(start: labels + s * length, count: width))
        }
        return (t, l)
    }
}
