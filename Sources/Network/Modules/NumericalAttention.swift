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
        for s in 0..<batch.sequences {
            let base = batch.offsets[s]
            for i in 0..<n {
                let row = s * n + i
                var y: Float = 0
                let visible = batch.visibleKeys(s, i)
                if visible > 0 {
                    let qwi = qw.data + (base + i) * k
                    for j in 0..<visible {
                        y += Vector.dot(k, qwi, key.data + (base + j) * k) * v.data[base + j]
                    }
                }
                stream.data[row * stride + slot] = y
            }
        }
        guard batch.mode.isDifferentiable && needsGrad(q, key, v, w), let gStream = stream.grad else { return }
        record {
            let mark = Profile.enter(.attention)
            defer { Profile.exit(mark) }
            let dqw = self.tensor([q.shape[0], k], zero: true)
            for s in 0..<batch.sequences {
                let base = batch.offsets[s]
                for i in 0..<n {
                    let row = s * n + i
                    let dy = gStream[row * stride + slot], visible = batch.visibleKeys(s, i)
                    if visible == 0 || dy == 0 { continue }
                    let qwi = qw.data + (base + i) * k, dq = dqw.data + (base + i) * k
                    for j in 0..<visible {
                        let kj = key.data + (base + j) * k
                        let vj = v.data[base + j]
                        if let gv = v.grad { gv[base + j] += Vector.dot(k, qwi, kj) * dy }
                        let ds = dy * vj
                        if ds == 0 { continue }
                        Vector.axpy(k, ds, kj, dq)
                        if let gk = key.grad { Vector.axpy(k, ds, qwi, gk + (base + j) * k) }
                    }
                }
            }
            self.queryPredicateBackward(query: q, predicate: w, gradient: dqw)
        }
    }
}
