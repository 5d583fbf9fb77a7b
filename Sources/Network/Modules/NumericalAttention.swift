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
        let qk = tape.readVariables(catStream, width: k, gates: pi, batch: batch, sparseGradient: sparse)
        let v = tape.readVariables(numStream, width: 1, gates: valuePi, gate: 0, batch: batch, sparseGradient: sparse)
        tape.numericalAttention(query: qk[0], key: qk[1], value: v, predicate: w, batch: batch, into: numStream, slot: slot)
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
        // Each S_ij is summed as `Vector.dot(qW_i, k_j)` sums, which is how this head summed them
        // before it worked a sequence at a time: runs stay bit-identical across the change.
        let ldk = (n + 7) / 8 * 8
        let keysT = tensor(rows: k, cols: ldk, zero: true)
        let scores = tensor(rows: batch.sequences * n, cols: ldk)
        for s in 0..<batch.sequences {
            let base = batch.offsets[s], block = scores.data + s * n * ldk
            sequenceDots(qw: qw, key: key, batch: batch, sequence: s, keysT: keysT, into: block)
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
            let dqw = self.tensor(rows: q.shape[0], cols: k, zero: true)
            let dS = self.tensor(rows: n, cols: n)
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

extension Tape {
    /// `S_ij = Vector.dot(k, qW_i, k_j)` for every query and key of sequence `s`, into `scores`
    /// (`[length, ldk]`), eight keys at a time. The sum is associated as ``Vector/dot(_:_:_:)``
    /// does it: lane `l` of eight adds the products `c ≡ l (mod 8)` below `8⌊k/8⌋` in order, the
    /// eight lanes are then added in order, then the remaining products one by one.
    /// (``sequenceScores(qw:key:batch:sequence:keysT:into:)`` adds the products straight in `c`
    /// order, as the categorical head always has.) `keysT` (`[k, ldk]`, `ldk` a multiple of 8) is
    /// scratch.
    func sequenceDots(qw: Tensor, key: Tensor, batch: SequenceBatch, sequence s: Int, keysT: Tensor,
                      into scores: UnsafeMutablePointer<Float>) {
        typealias V = SIMD8<Float>
        let k = key.shape[1], ldk = keysT.shape[1], base = batch.offsets[s], length = batch.lengths[s]
        let whole = k / 8 * 8
        Self.transposeKeys(key, batch: batch, sequence: s, into: keysT)
        @inline(__always) func keys(_ c: Int, _ j0: Int) -> V { UnsafeRawPointer(keysT.data + c * ldk + j0).loadUnaligned(as: V.self) }
        for i in 0..<length {
            let q = qw.data + (base + i) * k
            var j0 = 0
            while j0 < length {
                var acc = V()
                for l in 0..<8 {   // with k < 8 the lanes are 0 and add nothing, as in Vector.dot
                    var lane = V()
                    var c = l
                    while c < whole { lane += V(repeating: q[c]) * keys(c, j0); c += 8 }
                    acc += lane
                }
                for c in whole..<k { acc += V(repeating: q[c]) * keys(c, j0) }
                UnsafeMutableRawPointer(scores + i * ldk + j0).storeBytes(of: acc, as: V.self)
                j0 += 8
            }
        }
    }
}
