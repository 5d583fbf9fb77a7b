import Autograd

extension Tape {
    /// The mean over each sequence's non-`<pad>` positions (sentence classification's pooling):
    ///
    /// ```
    /// x: [S, N, d]    y[s] = (1/n_s) · Σ_{i: tokens[s, i] ≠ 0} x[s, i]    shape [S, d]
    /// ∂x[s, i] += ∂y[s] / n_s   for every non-pad i
    /// ```
    /// `n_s` is the number of non-`<pad>` tokens of sequence `s`; a sequence of padding only
    /// gives zeros. For example, with `x = [[[1], [3], [9]]]` and tokens `[5, 2, 0]`, `y = [[2]]`.
    /// With `divisor` `D` the sum is divided by `D` instead of `n_s` (the original divides by the
    /// padded length): `y = [[4/3]]` for `D = 3` in the example.
    public func tokenMean(_ x: Tensor, tokens: [Int32], divisor: Int? = nil) -> Tensor {
        precondition(x.shape.count == 3 && tokens.count == x.shape[0] * x.shape[1],
                     "tokenMean: \(x.shape) with \(tokens.count) tokens")
        let s = x.shape[0], n = x.shape[1], d = x.shape[2]
        let y = tensor(rows: s, cols: d, zero: true, grad: needsGrad(x))
        var scales = [Float](repeating: 0, count: s)
        let xd = x.data, yd = y.data
        for q in 0..<s {
            let count = tokens[(q * n)..<(q * n + n)].lazy.filter { $0 != 0 }.count
            guard count > 0 else { continue }
            let inv = 1 / Float(divisor ?? count)
            scales[q] = inv
            for i in 0..<n where tokens[q * n + i] != 0 { Vector.axpy(d, inv, xd + (q * n + i) * d, yd + q * d) }
        }
        if let gy = y.grad {
            record {
                let gx = x.grad!
                for q in 0..<s where scales[q] != 0 {
                    for i in 0..<n where tokens[q * n + i] != 0 {
                        Vector.axpy(d, scales[q], gy + q * d, gx + (q * n + i) * d)
                    }
                }
            }
        }
        return y
    }
}
