import Autograd
import Foundation

/// A categorical or numerical MLP: reads two variables and writes a new categorical variable.
///
/// With `u = [a; b]` (two categorical blocks of width `k`, or two numerical scalars):
/// ```
/// h = ReLU(W_in u + b_in)            W_in ∈ R^{d×2w}
/// o = log_softmax(W_out h + b_out)   W_out ∈ R^{k×d}
/// y = sample(o, τ)
/// ```
/// Discrete, the inputs are one value each, so the module is a lookup table from
/// `(a, b)` to `argmax o` — at most `k²` rows for a categorical MLP, and one row per
/// reachable pair of numbers for a numerical one.
public struct ProgramMLP {
    /// Whether the inputs are numerical variables (scalars) rather than categorical ones.
    public let numerical: Bool
    /// Gates for the two inputs.
    public let read: VariableRead
    public let inWeight: Tensor   // [d, 2w]
    public let inBias: Tensor     // [d]
    public let outWeight: Tensor  // [k, d]
    public let outBias: Tensor    // [k]

    /// Input width `w`: `k` for categorical inputs, 1 for numerical ones.
    public var inputWidth: Int { inWeight.shape[1] / 2 }

    public init(numerical: Bool, variables: Int, width k: Int, hidden d: Int, rng: inout RandomStream) {
        self.numerical = numerical
        let w = numerical ? 1 : k
        read = VariableRead(gates: 2, variables: variables, rng: &rng)
        let si = 1 / Float(d).squareRoot(), so = 1 / Float(k).squareRoot()
        inWeight = Tensor([d, 2 * w], values: (0..<d * 2 * w).map { _ in rng.normal() * si }, requiresGrad: true)
        inBias = Tensor([d], requiresGrad: true)
        outWeight = Tensor([k, d], values: (0..<k * d).map { _ in rng.normal() * so }, requiresGrad: true)
        outBias = Tensor([k], requiresGrad: true)
    }

    /// The MLP's output for one block, written into `catStream` slot `slot`. `weights` are the
    /// chunk's views of `inWeight, inBias, outWeight, outBias`.
    public func callAsFunction(_ tape: Tape, catStream: Tensor, numStream: Tensor, batch: SequenceBatch,
                               pi: Tensor, weights: ArraySlice<Tensor>, slot: Int, rng: inout RandomStream) {
        let source = numerical ? numStream : catStream
        let a = tape.readVariables(source, width: inputWidth, gates: pi, gate: 0)
        let b = tape.readVariables(source, width: inputWidth, gates: pi, gate: 1)
        let w = Array(weights)
        tape.programMLP(a, b, inWeight: w[0], inBias: w[1], outWeight: w[2], outBias: w[3], batch: batch,
                        into: catStream, slot: slot, rng: &rng)
    }
}

extension Tape {
    /// The fused MLP kernel (see ``ProgramMLP``); the sampled output goes to `stream[:, slot]`.
    public func programMLP(_ a: Tensor, _ b: Tensor, inWeight: Tensor, inBias: Tensor, outWeight: Tensor,
                           outBias: Tensor, batch: SequenceBatch, into stream: Tensor, slot: Int,
                           rng: inout RandomStream) {
        let rows = a.shape[0], w = a.shape[1], d = inWeight.shape[0], k = outWeight.shape[0]
        let stride = stream.shape[1]
        if batch.mode == .argmax {
            discreteMLP(a, b, inWeight: inWeight, inBias: inBias, outWeight: outWeight, outBias: outBias,
                        into: stream, slot: slot)
            return
        }
        let h = tensor([rows, d])
        // h = ReLU(a·W_in[:, :w]ᵀ + b·W_in[:, w:]ᵀ + b_in)
        for r in 0..<rows { (h.data + r * d).update(from: inBias.data, count: d) }
        Gemm.multiply(m: rows, n: d, k: w, a.data, lda: w, inWeight.data, ldb: 2 * w, transposeB: true,
                      into: h.data, ldc: d, accumulate: true)
        Gemm.multiply(m: rows, n: d, k: w, b.data, lda: w, inWeight.data + w, ldb: 2 * w, transposeB: true,
                      into: h.data, ldc: d, accumulate: true)
        for i in 0..<rows * d where h.data[i] < 0 { h.data[i] = 0 }
        // o = log_softmax(h·W_outᵀ + b_out)
        let logp = tensor([rows, k])
        for r in 0..<rows { (logp.data + r * k).update(from: outBias.data, count: k) }
        Gemm.multiply(m: rows, n: k, k: d, h.data, lda: d, outWeight.data, ldb: d, transposeB: true,
                      into: logp.data, ldc: k, accumulate: true)
        for r in 0..<rows { LogSoftmax.row(logp.data + r * k, count: k) }
        // y = sample(o, τ)
        let soft = tensor([rows, k])
        let noise = batch.mode.isNoisy ? tensor([rows, k]) : nil
        if let noise { rng.fillGumbel(noise.data, count: noise.count) }
        for r in 0..<rows {
            let y = stream.data + r * stride + slot * k
            Sampler.forward(logp.data + r * k, count: k, tau: batch.tau, mode: batch.mode,
                            noise: noise.map { UnsafePointer($0.data + r * k) }, into: y,
                            soft: batch.mode == .gumbelHard ? soft.data + r * k : y)
            if batch.mode == .gumbelSoft || batch.mode == .softmax { (soft.data + r * k).update(from: y, count: k) }
        }
        guard batch.mode.isDifferentiable && needsGrad(a, b, inWeight, outWeight), let gStream = stream.grad
        else { return }
        let tau = batch.tau
        record {
            // ∂o (through the sampler and log_softmax)
            let dOut = self.tensor([rows, k], zero: true)
            for r in 0..<rows {
                let dlogp = dOut.data + r * k
                Sampler.backward(soft: soft.data + r * k, gradOutput: gStream + r * stride + slot * k, count: k,
                                 tau: tau, into: dlogp)
                var sum: Float = 0
                for c in 0..<k { sum += dlogp[c] }
                let lp = logp.data + r * k, p = soft.data + r * k
                // softmax(o) = exp(log_softmax(o)), reusing `soft` as scratch once it is consumed
                LogSoftmax.exponentiate(lp, count: k, into: p)
                for c in 0..<k { dlogp[c] -= p[c] * sum }
            }
            if let g = outWeight.grad {
                Gemm.multiply(m: k, n: d, k: rows, dOut.data, lda: k, transposeA: true, h.data, ldb: d,
                              into: g, ldc: d, accumulate: true)
            }
            if let g = outBias.grad { for r in 0..<rows { for c in 0..<k { g[c] += dOut.data[r * k + c] } } }
            let dh = self.tensor([rows, d])
            Gemm.multiply(m: rows, n: d, k: k, dOut.data, lda: k, outWeight.data, ldb: d, into: dh.data, ldc: d)
            for i in 0..<rows * d where h.data[i] <= 0 { dh.data[i] = 0 }
            if let g = inWeight.grad {
                Gemm.multiply(m: d, n: w, k: rows, dh.data, lda: d, transposeA: true, a.data, ldb: w,
                              into: g, ldc: 2 * w, accumulate: true)
                Gemm.multiply(m: d, n: w, k: rows, dh.data, lda: d, transposeA: true, b.data, ldb: w,
                              into: g + w, ldc: 2 * w, accumulate: true)
            }
            if let g = inBias.grad { for r in 0..<rows { for c in 0..<d { g[c] += dh.data[r * d + c] } } }
            if let g = a.grad {
                Gemm.multiply(m: rows, n: w, k: d, dh.data, lda: d, inWeight.data, ldb: 2 * w,
                              into: g, ldc: w, accumulate: true)
            }
            if let g = b.grad {
                Gemm.multiply(m: rows, n: w, k: d, dh.data, lda: d, inWeight.data + w, ldb: 2 * w,
                              into: g, ldc: w, accumulate: true)
            }
        }
    }

    /// The discrete MLP (``Discrete/mlpOutput(inWeight:inBias:outWeight:outBias:hidden:outputs:inputWidth:_:_:)``)
    /// on every row: one-hot inputs (or numbers) in, a one-hot output out. Categorical rows are
    /// looked up in a `k × k` table filled on first use; rows whose input is empty (`<pad>`
    /// positions) get an empty output.
    func discreteMLP(_ a: Tensor, _ b: Tensor, inWeight: Tensor, inBias: Tensor, outWeight: Tensor, outBias: Tensor,
                     into stream: Tensor, slot: Int) {
        let rows = a.shape[0], w = a.shape[1], d = inWeight.shape[0], k = outWeight.shape[0]
        let stride = stream.shape[1]
        var table = [Int](repeating: -1, count: w == 1 ? 0 : w * w)
        func value(_ t: Tensor, _ r: Int) -> Float? {
            let p = t.data + r * w
            if w == 1 { return p[0] }
            for c in 0..<w where p[c] == 1 { return Float(c) }
            return nil
        }
        for r in 0..<rows {
            let out = stream.data + r * stride + slot * k
            for c in 0..<k { out[c] = 0 }
            guard let x = value(a, r), let y = value(b, r) else { continue }
            var o: Int
            if w == 1 {
                o = Discrete.mlpOutput(inWeight: inWeight.data, inBias: inBias.data, outWeight: outWeight.data,
                                       outBias: outBias.data, hidden: d, outputs: k, inputWidth: w, x, y)
            } else {
                let key = Int(x) * w + Int(y)
                o = table[key]
                if o < 0 {
                    o = Discrete.mlpOutput(inWeight: inWeight.data, inBias: inBias.data, outWeight: outWeight.data,
                                           outBias: outBias.data, hidden: d, outputs: k, inputWidth: w, x, y)
                    table[key] = o
                }
            }
            out[o] = 1
        }
    }
}
