extension Tape {
    /// Inverted dropout: each element is zeroed with probability `rate` and the survivors are
    /// scaled by `1 / (1 − rate)`, so the expected value is unchanged and evaluation needs no
    /// rescaling.
    ///
    /// ```
    /// y[i] = keep[i] · x[i] / (1 − rate)      ∂x[i] = keep[i] · ∂y[i] / (1 − rate)
    /// ```
    /// The mask is drawn from `rng`: one 64-bit draw decides two elements (its low and high
    /// 32 bits, each compared with `rate · 2³²`), so the same stream state gives the same mask
    /// on every platform. When `training` is false or `rate` is 0 this returns `x` itself and
    /// draws nothing.
    public func dropout(_ x: Tensor, rate: Float, rng: inout RandomStream, training: Bool = true) -> Tensor {
        precondition(rate >= 0 && rate < 1, "dropout: rate \(rate) outside [0, 1)")
        guard training && rate > 0 else { return x }
        let n = x.count
        let keepScale = 1 / (1 - rate)
        let threshold = UInt32(min(Double(rate) * 0x1p32, Double(UInt32.max)))
        let mask = tensor(x.shape)
        let md = mask.data
        var i = 0
        while i < n {
            let bits = rng.next()
            md[i] = UInt32(truncatingIfNeeded: bits) >= threshold ? keepScale : 0
            if i + 1 < n { md[i + 1] = UInt32(truncatingIfNeeded: bits >> 32) >= threshold ? keepScale : 0 }
            i += 2
        }
        let y = tensor(x.shape, grad: needsGrad(x))
        let xd = x.data, yd = y.data
        for i in 0..<n { yd[i] = xd[i] * md[i] }
        if let gy = y.grad {
            record { let gx = x.grad!; for i in 0..<n { gx[i] += gy[i] * md[i] } }
        }
        return y
    }
}
