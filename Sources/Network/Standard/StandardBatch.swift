/// A block of padded sequences for a ``StandardTransformer``, with its per-sequence attention
/// mask.
///
/// Key `j` is visible to query `i` of sequence `s` iff `tokens[s, j]` is not `<pad>` (id 0) and,
/// when causal, `j ≤ i`. Each sequence's mask is built from its own tokens only, and every head
/// uses its own sequence's mask: the original's baseline concatenated the batch mask head-major
/// where PyTorch expects batch-major, so with several heads a sequence could receive another
/// sequence's padding (reference §3.6). A row with no visible key (only possible when position 0
/// is `<pad>`) sees key 0, as the original's mask always allows key 0; such rows belong to
/// padding and are never scored.
///
/// For one sequence `<s> a b <pad>`, not causal, the hidden entries (`×`) are
///
/// ```
///          keys: 0 1 2 3
/// query 0:       · · · ×
/// query 1:       · · · ×
/// query 2:       · · · ×
/// query 3:       · · · ×      (a <pad> query: its output is never used)
/// ```
public struct StandardBatch: Sendable {
    /// Number of sequences `S`.
    public let sequences: Int
    /// Padded length `N`.
    public let length: Int
    /// Token ids, row-major `[S × N]`; id 0 is `<pad>`.
    public let tokens: [Int32]
    /// Whether a query sees only keys at or before it.
    public let causal: Bool
    /// Whether the dropout layers are active.
    public let training: Bool
    /// `[S × N × N]`: true where key `j` is hidden from query `i` of sequence `s`.
    public let hidden: [Bool]
    /// The number of non-`<pad>` tokens of each sequence (the pooling denominators).
    public let tokenCounts: [Int]
    /// Pooled models: the fixed number the summed states are divided by instead of each
    /// sequence's token count (the original's padded length); `nil` for the token counts.
    public let poolDivisor: Int?

    /// Builds the batch and its masks from `sequences × length` token ids.
    public init(tokens: UnsafePointer<Int32>, sequences: Int, length: Int, causal: Bool, training: Bool,
                poolDivisor: Int? = nil) {
        self.init(ids: Array(UnsafeBufferPointer(start: tokens, count: sequences * length)), sequences: sequences,
                  length: length, causal: causal, training: training, poolDivisor: poolDivisor)
    }

    /// Builds the batch and its masks from `sequences × length` token ids.
    public init(tokens: [Int32], sequences: Int, length: Int, causal: Bool, training: Bool, poolDivisor: Int? = nil) {
        self.init(ids: tokens, sequences: sequences, length: length, causal: causal, training: training,
                  poolDivisor: poolDivisor)
    }

    private init(ids tokens: [Int32], sequences: Int, length: Int, causal: Bool, training: Bool, poolDivisor: Int?) {
        precondition(tokens.count == sequences * length, "\(tokens.count) tokens for \(sequences) × \(length)")
        self.sequences = sequences
        self.length = length
        self.tokens = tokens
        self.causal = causal
        self.training = training
        self.poolDivisor = poolDivisor
        let n = length
        var hidden = [Bool](repeating: true, count: sequences * n * n)
        var counts = [Int](repeating: 0, count: sequences)
        for s in 0..<sequences {
            let row = tokens[(s * n)..<(s * n + n)]
            counts[s] = row.lazy.filter { $0 != 0 }.count
            for i in 0..<n {
                let base = (s * n + i) * n
                var any = false
                for j in 0..<n where tokens[s * n + j] != 0 && (!causal || j <= i) {
                    hidden[base + j] = false
                    any = true
                }
                if !any { hidden[base] = false }
            }
        }
        self.hidden = hidden
        self.tokenCounts = counts
    }

    /// Rows of the stream: one per position of every sequence.
    public var rows: Int { sequences * length }

    /// Whether key `j` is visible to query `i` of sequence `s`.
    public func visible(_ s: Int, _ i: Int, _ j: Int) -> Bool {
        !hidden[(s * length + i) * length + j]
    }
}
