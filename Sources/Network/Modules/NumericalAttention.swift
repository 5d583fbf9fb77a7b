import Autograd

/// A numerical attention head: `select(keys, queries, predicate)` + `aggregate_sum`.
///
/// Query and key are categorical variables with a predicate `W = sample(ψ, τ)` as in
/// ``CategoricalAttention``; the value is a numerical variable. There is no BOS default, no
/// position bias and no softmax:
/// ```
/// y_i = Σ_{j allowed} ((q_i W) · k_j) · v_j
/// ```
/// Discrete, it counts (or sums the value over) the keys that match: with value `ones` it is
/// RASP's `selector_width`.
public struct NumericalAttention {
    /// Gates: row 0 query, row 1 key (categorical variables).
    public let read: VariableRead
    /// Gate for the value (numerical variables).
    public let valueRead: VariableRead
    /// Predicate logits `[k, k]`.
    public let predicate: Tensor

    public init(catVariables: Int, numVariables: Int, width k: Int, rng: inout RandomStream) {
        read = VariableRead(gates: 2, variables: catVariables, rng: &rng)
        valueRead = VariableRead(gates: 1, variables: numVariables, rng: &rng)
        let scale = 1 / Float(k).squareRoot()
        predicate = Tensor([k, k], values: (0..<k * k).map { _ in rng.normal() * scale }, requiresGrad: true)
    }

    /// The head's output for one block of sequences, written into `numStream` slot `slot`.
    public func callAsFunction(_ tape: Tape, catStream: Tensor, numStream: Tensor, batch: SequenceBatch,
                               pi: Tensor, valuePi: Tensor, w: Tensor, slot: Int) {
        let k = predicate.shape[0]
        let sparse = batch.mode.hasSparseGradient
        let q = tape.readVariables(catStream, width: k, gates: pi, gate: 0, batch: batch, sparseGradient: sparse)
        let key = tape.readVariables(catStream, width: k, gates: pi, gate: 1, batch: batch, sparseGradient: sparse)
        let v = tape.readVariables(numStream, width: 1, gates: valuePi, gate: 0, batch: batch, sparseGradient: sparse)
        tape.numericalAttention(query: q, key: key, value: v, predicate: w, batch: batch, into: numStream, slot: slot)
    }
}

extension Tape {
    /// The fused numerical-attention kernel (see ``NumericalAttention``); the output goes to
    /// `stream[:, slot]` (a numerical stream, one column per variable). `q`, `key` and `v` hold
    /// the batch's packed rows (``SequenceBatch/offsets``).
    public func numericalAttention(query q: Tensor, key: Tensor, value v: Tensor, predicate w: Tensor,
                                   batch: SequenceBatch, into stream: Tensor, slot: Int) {
        let mark = Profile.enter(.attention)
        defer { Profile.exit(mark) }
        let k = w.shape[0], n = batch.length
        let stride = stream.shape[1]
        let qw = queryPredicate(query: q, predicate: w)
        // S = qW · Kᵀ per sequence (kept for the backward pass), then y_i = Σ_{j visible} S_ij v_j.
        let ldk = (n + 7) / 8 * 8
        let keysT = tensor([k, ldk], zero: true)
        let scores = tensor([batch.sequences * n, ldk])
        for s in 0..<batch.sequences {
            let base = batch.offsets[s], block = scores.data + s * n * ldk
            sequenceScores(qw: qw, key: key, batch: batch, sequence: s, keysT: keysT, into: block)
            for i in 0..<n {
                var y: Float = 0
                let srow = block + i * ldk
                for j in 0..<batch.visibleKeys(s, i) { y += srow[j] * v.data[base + j] }
                stream.data[(s * n + i) * stride + slot] = y
            }
        }
        guard batch.mode.isDifferentiable && needsGrad(q, key, v, w), let gStream = stream.grad else { return }
        record {
            let mark = Profile.enter(.attention)
            defer { Profile.exit(mark) }
            let dqw = self.tensor([q.shape[0], k], zero: true)
            let dS = self.tensor([n, n])
            for s in 0..<batch.sequences {
                let base = batch.offsets[s], length = batch.lengths[s], block = scores.data + s * n * ldk
                // ∂v_j += S_ij ∂y_i,  ∂S_ij = ∂y_i v_j (0 past the visible keys)
                for i in 0..<length {
                    let dy = gStream[(s * n + i) * stride + slot], visible = batch.visibleKeys(s, i)
                    let ds = dS.data + i * n
                    ds.update(repeating: 0, count: length)
                    if dy == 0 { continue }
                    if let gv = v.grad {
                        let srow = block + i * ldk
                        for j in 0..<visible { gv[base + j] += srow[j] * dy }
                    }
                    for j in 0..<visible { ds[j] = dy * v.data[base + j] }
                }
                // ∂qW_i = Σ_j ∂S_ij k_j,  ∂k_j += Σ_i ∂S_ij qW_i
                RowLinear.forward(rows: length, in: length, out: k, x: dS.data, ldx: n, wt: key.data + base * k,
                                  bias: nil, y: dqw.data + base * k, ldy: k, accumulate: true)
                if let gk = key.grad {
                    RowLinear.backwardWeight(rows: length, in: k, out: length, dy: dS.data, ldy: n,
                                             x: qw.data + base * k, ldx: k, dw: gk + base * k, dbias: nil)
                }
            }
            self.queryPredicateBackward(query: q, predicate: w, gradient: dqw)
        }
    }
}
