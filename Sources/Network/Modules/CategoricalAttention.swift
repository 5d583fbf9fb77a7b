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
        let q = tape.readVariables(stream, width: k, gates: pi, gate: 0)
        let key = tape.readVariables(stream, width: k, gates: pi, gate: 1)
        let v = tape.readVariables(stream, width: k, gates: pi, gate: 2)
        tape.categoricalAttention(query: q, key: key, value: v, predicate: w, batch: batch,
                                  into: stream, slot: slot, rng: &rng)
    }
}

extension Tape {
    /// The fused categorical-attention kernel (see ``CategoricalAttention``): forward and
    /// backward for every sequence of `batch`; the output goes to `stream[:, slot]`.
    public func categoricalAttention(query q: Tensor, key: Tensor, value v: Tensor, predicate w: Tensor,
                                     batch: SequenceBatch, into stream: Tensor, slot: Int,
                                     rng: inout RandomStream) {
        let k = w.shape[0], n = batch.length, rows = batch.rows
        let stride = stream.shape[1]
        let grad = batch.mode.isDifferentiable && needsGrad(q, key, v, w)
        // qW = q · W
        let qw = tensor([rows, k])
        Gemm.multiply(m: rows, n: k, k: k, q.data, lda: k, w.data, ldb: k, into: qw.data, ldc: k)
        let scores = tensor([rows, n], zero: true)     // S (raw, before the BOS default)
        let attn = tensor([rows, n], zero: true)       // A
        let soft = batch.mode == .gumbelHard ? tensor([rows, n], zero: true) : attn
        let scratch = tensor([4 * n])
        let logit = scratch.data, noise = scratch.data + n, sampled = scratch.data + 2 * n, p = scratch.data + 3 * n
        let invSqrtK = 1 / Float(k).squareRoot()
        var keys = [Int](repeating: 0, count: n)
        for s in 0..<batch.sequences {
            for i in 0..<n {
                let row = s * n + i
                let out = stream.data + row * stride + slot * k
                for c in 0..<k { out[c] = 0 }
                if batch.tokens[row] == 0 { continue }
                var count = 0
                var total: Float = 0
                let qwi = qw.data + row * k
                for j in 0..<n where batch.allowed(s, i, j) {
                    let kj = key.data + (s * n + j) * k
                    var d: Float = 0
                    for c in 0..<k { d += qwi[c] * kj[c] }
                    scores.data[row * n + j] = d
                    total += d
                    keys[count] = j
                    count += 1
                }
                let bos = max(0, 1 - total / (total + 1e-10))
                for t in 0..<count {
                    let j = keys[t]
                    let sb = scores.data[row * n + j] + (j == 0 ? bos : 0)
                    logit[t] = (logf(sb + 1e-20) + batch.bias[i * n + j]) * invSqrtK
                }
                if batch.mode.isNoisy { GumbelNoise.fill(noise, count: count, rng: &rng) }
                Sampler.forward(logit, count: count, tau: batch.tau, mode: batch.mode, noise: noise,
                                into: sampled, soft: batch.mode == .gumbelHard ? p : sampled)
                for t in 0..<count {
                    let j = keys[t], a = sampled[t]
                    attn.data[row * n + j] = a
                    if batch.mode == .gumbelHard { soft.data[row * n + j] = p[t] }
                    if a == 0 { continue }
                    let vj = v.data + (s * n + j) * k
                    for c in 0..<k { out[c] += a * vj[c] }
                }
            }
        }
        guard grad && isRecording, let gStream = stream.grad else { return }
        let tau = batch.tau
        record {
            let dqw = self.tensor([rows, k], zero: true)
            for s in 0..<batch.sequences {
                for i in 0..<n {
                    let row = s * n + i
                    if batch.tokens[row] == 0 { continue }
                    let dout = gStream + row * stride + slot * k
                    var count = 0
                    var total: Float = 0
                    for j in 0..<n where batch.allowed(s, i, j) {
                        keys[count] = j
                        total += scores.data[row * n + j]
                        count += 1
                    }
                    // ∂A_ij = ⟨∂out_i, v_j⟩, ∂v_j += A_ij ∂out_i
                    for t in 0..<count {
                        let j = keys[t]
                        let vj = v.data + (s * n + j) * k
                        var d: Float = 0
                        for c in 0..<k { d += dout[c] * vj[c] }
                        sampled[t] = d
                        p[t] = soft.data[row * n + j]
                        logit[t] = 0
                        let a = attn.data[row * n + j]
                        if a != 0, let gv = v.grad {
                            let g = gv + (s * n + j) * k
                            for c in 0..<k { g[c] += a * dout[c] }
                        }
                    }
                    Sampler.backward(soft: p, gradOutput: sampled, count: count, tau: tau, into: logit)
                    // ∂S_ij through L_ij = (log(S_ij + [j=0]·bos + 1e-20) + b) / √k
                    let bos = max(0, 1 - total / (total + 1e-10))
                    var dBos: Float = 0
                    for t in 0..<count {
                        let j = keys[t]
                        let sb = scores.data[row * n + j] + (j == 0 ? bos : 0)
                        let ds = logit[t] * invSqrtK / (sb + 1e-20)
                        logit[t] = ds
                        if j == 0 { dBos = ds }
                    }
                    if bos > 0 && dBos != 0 {
                        // bos = 1 − s/(s + ε)  ⇒  ∂bos/∂S_ij = −ε/(s + ε)² for every allowed j
                        let e: Float = 1e-10
                        let dTotal = dBos * (-e / ((total + e) * (total + e)))
                        for t in 0..<count { logit[t] += dTotal }
                    }
                    let dq = dqw.data + row * k, qwi = qw.data + row * k
                    for t in 0..<count {
                        let j = keys[t], ds = logit[t]
                        if ds == 0 { continue }
                        let kj = key.data + (s * n + j) * k
                        for c in 0..<k { dq[c] += ds * kj[c] }
                        if let gk = key.grad {
                            let g = gk + (s * n + j) * k
                            for c in 0..<k { g[c] += ds * qwi[c] }
                        }
                    }
                }
            }
            // qW = q · W  ⇒  ∂q += ∂qW · Wᵀ,  ∂W += qᵀ · ∂qW
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
}
