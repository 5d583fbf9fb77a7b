import Autograd

/// Factored categorical token embeddings (NLP): `m` variables `var0_embeddings …`, each a
/// categorical variable of width `k` whose value for a word is learned.
///
/// Parameters: logits `E ∈ R^{|V| × m × k}`. Each step the whole table is sampled group by group,
/// `Ê[w, v] = sample(E[w, v], τ)` (once per step, shared by the batch, like the read gates), and
/// a token `w` at a position gets `Ê[w, v]` in variable `v`. Discrete, word `w` has value
/// `argmax_c E[w, v, c]` in variable `v`: the program carries one word → value table per variable.
/// Initialised `N(0, 1)/√(m·k)`, or from given vectors (GloVe through a random projection).
public struct FactoredEmbedding {
    /// Logits `[|V|·m, k]`: row `w·m + v` holds word `w`'s logits in variable `v`.
    public let logits: Tensor

    public init(vocabulary: Int, variables m: Int, width k: Int, rng: inout RandomStream, initial: [Float]? = nil) {
        let n = vocabulary * m * k
        if let initial {
            precondition(initial.count == n, "embedding initialisation has \(initial.count) values, expected \(n)")
            logits = Tensor([vocabulary * m, k], values: initial, requiresGrad: true)
        } else {
            let scale = 1 / Float(m * k).squareRoot()
            logits = Tensor([vocabulary * m, k], values: (0..<n).map { _ in rng.normal() * scale }, requiresGrad: true)
        }
    }
}

extension Tape {
    /// Copies each token's sampled embedding (`table` `[|V|·m, k]`, rows `w·m + v`) into
    /// `stream` slots `0 ..< m`. Backward: `∂table[w·m + v] += ∂stream[r, v]` for every row `r`
    /// holding token `w`. `<pad>` rows get nothing.
    public func embedTokens(_ table: Tensor, variables m: Int, width k: Int, batch: SequenceBatch,
                            into stream: Tensor) {
        let rows = batch.rows, stride = stream.shape[1]
        for r in 0..<rows {
            let t = Int(batch.tokens[r])
            if t == 0 { continue }
            (stream.data + r * stride).update(from: table.data + t * m * k, count: m * k)
        }
        guard let gt = table.grad, let gs = stream.grad, batch.mode.isDifferentiable, isRecording else { return }
        record {
            for r in 0..<rows {
                let t = Int(batch.tokens[r])
                if t == 0 { continue }
                Vector.add(m * k, gs + r * stride, gt + t * m * k)
            }
        }
    }
}
