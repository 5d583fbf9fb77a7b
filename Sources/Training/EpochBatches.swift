import Autograd
import Tasks

/// The training batches of each epoch: the examples shuffled with the epoch's own random stream
/// (so a seed fixes the order, whatever else draws random numbers), then gathered `batchSize` at
/// a time into two reused buffers. The last, partial batch is kept.
///
/// ```swift
/// var batches = EpochBatches(train, batchSize: 512, seed: 0)
/// batches.shuffle(epoch: 3)
/// for step in 0..<batches.steps {
///     batches.withBatch(step) { tokens, labels, count in … }   // [count × length] each
/// }
/// ```
public struct EpochBatches {
    public let data: EncodedSplit
    public let batchSize: Int
    public let seed: UInt64
    private var order: [Int]
    private var tokens: [Int32]
    private var labels: [Int32]

    public init(_ data: EncodedSplit, batchSize: Int, seed: UInt64) {
        self.data = data
        self.batchSize = batchSize
        self.seed = seed
        order = Array(0..<data.count)
        tokens = [Int32](repeating: 0, count: batchSize * data.length)
        labels = tokens
    }

    /// Steps per epoch: `⌈count / batchSize⌉` (at least 1).
    public var steps: Int { Self.steps(examples: data.count, batchSize: batchSize) }

    /// Steps per epoch over `examples` examples: `⌈examples / batchSize⌉` (at least 1).
    public static func steps(examples: Int, batchSize: Int) -> Int { max(1, (examples + batchSize - 1) / batchSize) }

    /// Shuffles the examples for `epoch` (Fisher–Yates on the stream `(seed, 5·2³² + epoch)`).
    public mutating func shuffle(epoch: Int) {
        var shuffler = RandomStream(seed: seed, stream: 0x5_0000_0000 &+ UInt64(epoch))
        shuffler.shuffle(&order)
    }

    /// Gathers batch `step` and calls `body(tokens, labels, count)`; `count` is 0 past the end.
    public mutating func withBatch<R>(_ step: Int,
                                      _ body: (UnsafePointer<Int32>, UnsafePointer<Int32>, Int) -> R) -> R {
        let n = data.length, lo = step * batchSize, count = max(0, min(batchSize, data.count - lo))
        for r in 0..<count {
            let src = order[lo + r] * n
            for i in 0..<n {
                tokens[r * n + i] = data.tokens[src + i]
                labels[r * n + i] = data.labels[src + i]
            }
        }
        return tokens.withUnsafeBufferPointer { t in
            labels.withUnsafeBufferPointer { l in body(t.baseAddress!, l.baseAddress!, count) }
        }
    }
}
