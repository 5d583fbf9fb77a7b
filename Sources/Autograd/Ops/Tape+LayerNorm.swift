extension Tape {
    /// Layer normalisation over the last axis, with a learned gain and bias (shape `[n]`):
    ///
    /// ```
    /// μ = mean_j x[r, j]     σ² = mean_j (x[r, j] − μ)²     x̂ = (x − μ) / √(σ² + ε)
    /// y[r, j] = gain[j] · x̂[r, j] + bias[j]
    /// ∂x = (1/√(σ² + ε)) · (d − mean_j d − x̂ · mean_j (d · x̂)),   d = ∂y · gain
    /// ∂gain = Σ_r ∂y · x̂      ∂bias = Σ_r ∂y
    /// ```
    /// The variance is the biased one, as in PyTorch's `LayerNorm` (default `ε = 1e-5`).
    /// For example, the row `[1, 2, 3]` with unit gain and zero bias becomes
    /// `[−1.2247, 0, 1.2247]`.
    public func layerNorm(_ x: Tensor, gain: Tensor, bias: Tensor, epsilon: Float = 1e-5) -> Tensor {
        let n = gain.count
        precondition(x.shape.last == n && bias.count == n,
                     "layerNorm: \(x.shape) with gain \(gain.shape) and bias \(bias.shape)")
        let rows = x.count / max(n, 1)
        let y = tensor(x.shape, grad: needsGrad(x, gain, bias))
        let needed = y.grad != nil
        // x̂ and 1/σ per row, kept for the backward pass.
        let normalized = needed ? tensor(x.shape) : y
        let rstd = tensor(count: rows)
        let xd = x.data, yd = y.data, hd = normalized.data, sd = rstd.data
        let g = gain.data, b = bias.data
        for r in 0..<rows {
            let xr = xd + r * n, hr = hd + r * n, yr = yd + r * n
            var s: Float = 0
            for j in 0..<n { s += xr[j] }
            let mean = s / Float(n)
            var v: Float = 0
            for j in 0..<n { let d = xr[j] - mean; v += d * d }
            let inv = 1 / (v / Float(n) + epsilon).squareRoot()
            sd[r] = inv
            for j in 0..<n { hr[j] = (xr[j] - mean) * inv }
            for j in 0..<n { yr[j] = g[j] * hr[j] + b[j] }
        }
        if let gy = y.grad {
            record {
                if let gx = x.grad {
                    for r in 0..<rows {
                        let hr = hd + r * n, gyr = gy + r * n, gxr = gx + r * n
                        var sumD: Float = 0, sumDH: Float = 0
                        for j in 0..<n {
                            let d = gyr[j] * g[j]
                            sumD += d
                            sumDH += d * hr[j]
                        }
                        let meanD = sumD / Float(n), meanDH = sumDH / Float(n), inv = sd[r]
                        for j in 0..<n { gxr[j] += inv * (gyr[j] * g[j] - meanD - hr[j] * meanDH) }
                    }
                }
                if let gg = gain.grad {
                    for r in 0..<rows {
                        let hr = hd + r * n, gyr = gy + r * n
                        for j in 0..<n { gg[j] += gyr[j] * hr[j] }
                    }
                }
                if let gb = bias.grad {
                    for r in 0..<rows {
                        let gyr = gy + r * n
                        for j in 0..<n { gb[j] += gyr[j] }
                    }
                }
            }
        }
        return y
    }
}
