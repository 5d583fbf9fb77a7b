import Autograd
import Foundation

/// A categorical attention head: `select_closest(keys, queries, predicate)` + `aggregate`.
///
/// Parameters: gates for the query, key and value variables (categorical) and predicate logits
/// `ψ ∈ R^{k×k}`. Each step `W = sample(ψ, τ)` row-wise, then for every sequence
/// ```
/// S_ij  = (q_i W) · k_j                                   over allowed keys j
/// S_i0 += relu(1 − s_i / (s_i + 1e-10)),  s_i = Σ_j S_ij  (default to BOS)
/// L_ij  = (log(S_ij + 1e-20) + b(j − i)) / √k
/// A_i   = sample(L_i, τ)                                  over allowed keys
/// out_i = Σ_j A_ij v_j
/// ```
/// Discrete, this is exactly: among the keys whose value the predicate accepts for the query's
/// value, pick the nearest, the left one on a tie, the query itself only when it is the sole
/// match; with no match pick position 0 (BOS); output the value variable there.
public struct CategoricalAttention {
    /// Gates: row 0 query, row 1 key, row 2 value (over categorical variables).
    public let read: VariableRead
    /// Predicate logits `[k, k]`: row = query value, column = key value.
    public let predicate: Tensor

    public init(variables: Int, width k: Int, rng: inout RandomStream) {
        read = VariableRead(gates: 3, variables: variables, rng: &rng)
        let scale = 1 / Float(k).squareRoot()
        predicate = Tensor([k, k], values: (0..<k * k).map { _ in rng.normal() * scale }, requiresGrad: true)
    }

    /// The head's output for one block of sequences, written into `stream` slot `slot`.
    /// `pi` and `w` are this step's sampled gates and predicate.
    public func callAsFunction(_ tape: Tape, stream: Tensor, batch: SequenceBatch, pi: Tensor, w: Tensor,
                               slot: Int, rng: inout RandomStream) {
        let k = predicate.shape[0]
        let sparse = batch.mode.hasSparseGradient
        let qkv = tape.readVariables(stream, width: k, gates: pi, batch: batch, sparseGradient: sparse)
        tape.categoricalAttention(query: qkv[0], key: qkv[1], value: qkv[2], predicate: w, batch: batch,
                                  into: stream, slot: slot, rng: &rng)
    }
}

extension Tape {
    /// The fused categorical-attention kernel (see ``CategoricalAttention``): forward and
    /// backward for every sequence of `batch`; the output goes to `stream[:, slot]`.
    /// `q`, `key` and `v` hold the batch's packed rows (``SequenceBatch/offsets``).
    ///
    /// Works in whole-block passes so the transcendental functions vectorise: scores for every
    /// (query, visible key), then `log` over the block, then one Gumbel fill, then a softmax per
    /// row. Saved for the backward pass: `qW`, the scores with the BOS default folded in (`Sb`),
    /// each row's score total, and the attention (and, straight-through, its soft version).
    public func categoricalAttention(query q: Tensor, key: Tensor, value v: Tensor, predicate w: Tensor,
                                     batch: SequenceBatch, into stream: Tensor, slot: Int,
                                     rng: inout RandomStream) {
        let mark = Profile.enter(.attention)
        defer { Profile.exit(mark) }
        let k = w.shape[0], n = batch.length, rows = batch.rows
        let stride = stream.shape[1]
        let mode = batch.mode, tau = batch.tau
        let invSqrtK = 1 / Float(k).squareRoot()
        let qw = queryPredicate(query: q, predicate: w)
        // Sb_ij = S_ij (+ the BOS default at j = 0); 1 where a key is not visible (log 1 = 0).
        // Scores of a sequence: S = qW · Kᵀ for all its queries at once (``RowLinear``, four rows at
        // a time), into rows of `ldk` (n rounded up to 8) so the vector paths apply.
        let ldk = (n + 7) / 8 * 8
        let sb = tensor(rows: rows, cols: n)
        let totals = tensor(count: rows)
        let logits = tensor(rows: rows, cols: n)
        let keysT = tensor(rows: k, cols: ldk, zero: true)
        let scores = tensor(rows: n, cols: ldk)
        for s in 0..<batch.sequences {
            sequenceScores(qw: qw, key: key, batch: batch, sequence: s, keysT: keysT, into: scores.data)
            for i in 0..<n {
                let row = s * n + i, visible = batch.visibleKeys(s, i)
                let srow = sb.data + row * n
                var total: Float = 0
                if visible > 0 {
                    srow.update(from: scores.data + i * ldk, count: visible)
                    for j in 0..<visible { total += srow[j] }
                }
                for j in visible..<n { srow[j] = 1 }
                totals.data[row] = total
                if visible > 0 { srow[0] += max(0, 1 - total / (total + 1e-10)) }
            }
            // L = (log(Sb + 1e-20) + b) / √k over the sequence's [n × n] block, aligned with b.
            let block = sb.data + s * n * n, out = logits.data + s * n * n
            var e = 0
            while e < n * n {
                let c = min(16, n * n - e)
                let l = VectorMath.log(Vector.load16(block + e, count: c, pad: 1) + 1e-20)
                let b = Vector.load16(batch.bias + e, count: c, pad: 0)
                Vector.store16((l + b) * invSqrtK, out + e, count: c)
                e += 16
            }
        }
        let sampling = Profile.enter(.sampling)
        let noise = mode.isNoisy ? tensor(rows: rows, cols: n) : nil
        if let noise { rng.fillGumbel(noise.data, count: noise.count) }
        let attn = tensor(rows: rows, cols: n, zero: true)
        let soft = mode == .gumbelHard ? tensor(rows: rows, cols: n, zero: true) : attn
        for s in 0..<batch.sequences {
            let base = batch.offsets[s], length = batch.lengths[s]
            for i in 0..<n {
                let row = s * n + i, visible = batch.visibleKeys(s, i)
                if visible == 0 {
                    (stream.data + row * stride + slot * k).update(repeating: 0, count: k)
                    continue
                }
                Sampler.forward(logits.data + row * n, count: visible, tau: tau, mode: mode,
                                noise: noise.map { UnsafePointer($0.data + row * n) }, into: attn.data + row * n,
                                soft: soft.data + row * n)
            }
            // out_i = Σ_j A_ij v_j for the sequence's queries (A_ij = 0 past the visible keys).
            RowLinear.forward(rows: length, in: length, out: k, x: attn.data + s * n * n, ldx: n,
                              wt: v.data + base * k, bias: nil, y: stream.data + s * n * stride + slot * k, ldy: stride)
        }
        Profile.exit(sampling)
        guard mode.isDifferentiable && needsGrad(q, key, v, w), let gStream = stream.grad else { return }
        record {
            let mark = Profile.enter(.attention)
            defer { Profile.exit(mark) }
            let dqw = self.tensor(rows: q.shape[0], cols: k, zero: true)
            let dS = self.tensor(rows: n, cols: n), dA = self.tensor(count: n)
            // The queries whose attention is not exactly one-hot (a one-hot row has ∂L = 0), with
            // their ∂S in the first rows of dS and their qW gathered (``LiveRows``).
            let live = self.indices(n)
            let liveQW = self.tensor(rows: n, cols: k), liveDQW = self.tensor(rows: n, cols: k)
            for s in 0..<batch.sequences {
                let base = batch.offsets[s], length = batch.lengths[s]
                let douts = gStream + s * n * stride + slot * k, block = attn.data + s * n * n
                // ∂v_j += Σ_i A_ij ∂out_i (summed over the queries i in order)
                if let gv = v.grad {
                    RowLinear.backwardWeight(rows: length, in: k, out: length, dy: block, ldy: n, x: douts,
                                             ldx: stride, dw: gv + base * k, dbias: nil)
                }
                var count = 0
                for i in 0..<length {
                    let row = s * n + i, visible = batch.visibleKeys(s, i)
                    let p = soft.data + row * n
                    if visible == 0 || Sampler.isOneHot(p, count: visible) { continue }
                    let dL = dS.data + count * n
                    live[count] = Int32(i)
                    count += 1
                    dL.update(repeating: 0, count: length)
                    let dout = douts + i * stride, srow = sb.data + row * n
                    // ∂A_ij = ⟨∂out_i, v_j⟩; ∂L_j is p_j·(…), so where the soft sample p_j is exactly 0,
                    // ∂A_j is not needed.
                    for j in 0..<visible { dA.data[j] = p[j] == 0 ? 0 : Vector.dot(k, dout, v.data + (base + j) * k) }
                    Sampler.backward(soft: p, gradOutput: dA.data, count: visible, tau: tau, into: dL)
                    // ∂Sb_ij = ∂L_ij / (√k · (Sb_ij + 1e-20))
                    for j in 0..<visible { dL[j] = dL[j] * invSqrtK / (srow[j] + 1e-20) }
                    // bos = relu(1 − t/(t + ε)), t = Σ_j S_ij  ⇒  ∂bos/∂S_ij = −ε/(t + ε)² while bos > 0
                    let t = totals.data[row], eps: Float = 1e-10
                    if 1 - t / (t + eps) > 0 {
                        let d = dL[0] * (-eps / ((t + eps) * (t + eps)))
                        for j in 0..<visible { dL[j] += d }
                    }
                }
                if count == 0 { continue }
                // ∂qW_i = Σ_j ∂S_ij k_j,  ∂k_j += Σ_i ∂S_ij qW_i (∂S_ij = 0 past the visible keys)
                let all = count == length
                let qwRows = all ? qw.data + base * k : liveQW.data
                if !all { LiveRows.gather(qw.data + base * k, width: k, index: live, count: count, into: liveQW.data) }
                RowLinear.forward(rows: count, in: length, out: k, x: dS.data, ldx: n, wt: key.data + base * k,
                                  bias: nil, y: all ? dqw.data + base * k : liveDQW.data, ldy: k, accumulate: all)
                if !all { LiveRows.scatterAdd(liveDQW.data, width: k, index: live, count: count, into: dqw.data + base * k) }
                if let gk = key.grad {
                    RowLinear.backwardWeight(rows: count, in: k, out: length, dy: dS.data, ldy: n,
                                             x: qwRows, ldx: k, dw: gk + base * k, dbias: nil)
                }
            }
            self.queryPredicateBackward(query: q, predicate: w, gradient: dqw)
        }
    }

    /// `qW = q · W`, `[rows, k]`: each query's distribution over the key values it accepts
    /// (the first step of both kinds of head).
    func queryPredicate(query q: Tensor, predicate w: Tensor) -> Tensor {
        let rows = q.shape[0], k = w.shape[0]
        let qw = tensor(rows: rows, cols: k)
        RowLinear.forward(rows: rows, in: k, out: k, x: q.data, ldx: k, wt: w.data, bias: nil, y: qw.data, ldy: k)
        return qw
    }

    /// `S = qW · Kᵀ` for every query and key of sequence `s` (`[length, ldk]` into `scores`, `ldk`
    /// = `keysT`'s row width ≥ `length`, a multiple of 8 so ``RowLinear``'s vector paths apply):
    /// `S_ij = Σ_c qW_ic k_jc`, summed in `c` order. `keysT` (`[k, ldk]`) is scratch.
    func sequenceScores(qw: Tensor, key: Tensor, batch: SequenceBatch, sequence s: Int, keysT: Tensor,
                        into scores: UnsafeMutablePointer<Float>) {
        let k = key.shape[1], ldk = keysT.shape[1], base = batch.offsets[s], length = batch.lengths[s]
        Self.transposeKeys(key, batch: batch, sequence: s, into: keysT)
        RowLinear.forward(rows: length, in: k, out: ldk, x: qw.data + base * k, ldx: k, wt: keysT.data,
                          bias: nil, y: scores, ldy: ldk)
    }

    /// `keysT[c, j] = key[j, c]` for the keys of sequence `s` (`keysT` is `[k, ldk]`); the columns
    /// past the sequence's length keep what they held.
    static func transposeKeys(_ key: Tensor, batch: SequenceBatch, sequence s: Int, into keysT: Tensor) {
        let k = key.shape[1], ldk = keysT.shape[1], base = batch.offsets[s]
        for j in 0..<batch.lengths[s] {
            for c in 0..<k { keysT.data[c * ldk + j] = key.data[(base + j) * k + c] }
        }
    }

    /// The backward pass of ``queryPredicate(query:predicate:)``: `∂q += ∂qW · Wᵀ`, `∂W += qᵀ · ∂qW`.
    func queryPredicateBackward(query q: Tensor, predicate w: Tensor, gradient dqw: Tensor) {
        let rows = q.shape[0], k = w.shape[0]
        if QueryPredicate.handles(k: k) {
            QueryPredicate.backward(rows: rows, k: k, query: q.data, predicate: w.data, gradient: dqw.data,
                                    queryGradient: q.grad, predicateGradient: w.grad)
            return
        }
        if let gq = q.grad {
            Gemm.multiply(m: rows, n: k, k: k, dqw.data, lda: k, w.data, ldb: k, transposeB: true,
                          into: gq, ldc: k, accumulate: true)
        }
        if let gw = w.grad {
            Gemm.multiply(m: k, n: k, k: rows, q.data, lda: k, transposeA: true, dqw.data, ldb: k,
                          into: gw, ldc: k, accumulate: true)
        }
    }
}
