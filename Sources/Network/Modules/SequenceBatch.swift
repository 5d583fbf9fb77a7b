import Autograd

/// A block of padded sequences as the modules see it: token ids `[sequences × length]`
/// (`0` = `<pad>`), the attention geometry and the sampling settings of the step.
///
/// Sequences are right-padded, so the keys a query may attend to are always a prefix
/// `0 ..< visibleKeys(s, i)`: the sequence's tokens, cut at the query when causal.
///
/// The residual stream keeps the padded layout (`rows = sequences × length`), but the modules
/// compute only the *packed* rows — the non-pad positions, sequence after sequence — since a
/// `<pad>` position is never scored and never visible to a real one. Sequence `s`'s position
/// `i < lengths[s]` is packed row `offsets[s] + i` and stream row `rowIndex[offsets[s] + i]`
/// `= s × length + i`. For sort (1 to 8 tokens between `<s>` and `</s>`) this skips a third of
/// the rows.
public struct SequenceBatch {
    /// Number of sequences.
    public let sequences: Int
    /// Padded length `N`.
    public let length: Int
    /// Token ids, row-major `[sequences × length]`; id 0 is `<pad>`.
    public let tokens: UnsafePointer<Int32>
    /// Whether a query sees only keys at or before it.
    public let causal: Bool
    /// Sampling temperature.
    public let tau: Float
    /// Sampling mode for attention rows and MLP outputs.
    public let mode: SampleMode
    /// The fixed relative-position bias `b(j − i)`, `[N × N]` row-major (see ``PositionBias``).
    public var bias: UnsafePointer<Float> { UnsafePointer(biasStorage.pointer) }
    private let biasStorage: FixedStorage<Float>
    /// Tokens before the first `<pad>` of each sequence.
    public let lengths: [Int]
    /// The first packed row of each sequence, and the packed row count last (`sequences + 1` values).
    public let offsets: [Int]
    /// The stream row of each packed row.
    public var rowIndex: UnsafePointer<Int32> { UnsafePointer(indexStorage.pointer) }
    private let indexStorage: FixedStorage<Int32>
    /// The non-pad rows.
    public var packedRows: Int { offsets[sequences] }

    public init(sequences: Int, length: Int, tokens: UnsafePointer<Int32>, causal: Bool, tau: Float,
                mode: SampleMode) {
        self.sequences = sequences
        self.length = length
        self.tokens = tokens
        self.causal = causal
        self.tau = tau
        self.mode = mode
        biasStorage = FixedStorage(PositionBias.table(length: length))
        lengths = (0..<sequences).map { s in
            var n = 0
            while n < length && tokens[s * length + n] != 0 { n += 1 }
            return n
        }
        var offsets = [0]
        var index = [Int32]()
        for s in 0..<sequences {
            for i in 0..<lengths[s] { index.append(Int32(s * length + i)) }
            offsets.append(index.count)
        }
        self.offsets = offsets
        indexStorage = FixedStorage(index)
    }

    /// The number of keys (a prefix) that query `i` of sequence `s` sees; 0 for a `<pad>` query.
    @inline(__always)
    public func visibleKeys(_ s: Int, _ i: Int) -> Int {
        let n = lengths[s]
        if i >= n { return 0 }
        return causal ? i + 1 : n
    }

    /// Rows of the stream: one per position of every sequence.
    public var rows: Int { sequences * length }

}

/// The fixed relative-position preference of categorical attention.
///
/// ```
/// b(0) = −2,   b(+d) = −(d − 1)/(n − 2),   b(−d) = −(d − 1)/(n − 1)      (offset o = j − i)
/// ```
/// With `n = 8`: right offsets 1…7 give 0, −.167, …, −1; left offsets −1…−7 give 0, −.143, ….
/// Among matching keys the nearest wins, the left one on a tie of distance (at `d = 1` the
/// biases tie exactly and the argmax takes the lower index), and the query itself only when
/// it is the sole match.
public enum PositionBias {
    /// `b(o)` for padded length `n`.
    public static func value(offset o: Int, length n: Int) -> Float {
        if o == 0 { return -2 }
        let d = Float(abs(o))
        if o > 0 { return n > 2 ? -(d - 1) / Float(n - 2) : 0 }
        return n > 1 ? -(d - 1) / Float(n - 1) : 0
    }

    /// The `[n × n]` table `b(j − i)`.
    public static func table(length n: Int) -> [Float] {
        var t = [Float](repeating: 0, count: n * n)
        for i in 0..<n { for j in 0..<n { t[i * n + j] = value(offset: j - i, length: n) } }
        return t
    }
}

/// An immutable buffer with a stable address (for the pointers a batch hands to the kernels).
final class FixedStorage<Element> {
    let pointer: UnsafeMutablePointer<Element>
    let count: Int
    init(_ values: [Element]) {
        count = values.count
        pointer = .allocate(capacity: max(count, 1))
        pointer.initialize(from: values, count: count)
    }
    deinit {
        pointer.deinitialize(count: count)
        pointer.deallocate()
    }
}
