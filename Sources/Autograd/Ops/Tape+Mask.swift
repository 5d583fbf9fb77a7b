extension Tape {
    /// Sets the positions where `mask` is true to `value` and keeps the others:
    ///
    /// ```
    /// y[i] = mask[i mod mask.count] ? value : x[i]
    /// ∂x[i] = mask[i mod mask.count] ? 0 : ∂y[i]
    /// ```
    /// `mask` covers the trailing axes of `x` and repeats over the leading ones (its count must
    /// divide `x.count`): a causal mask `[T, T]` (true above the diagonal) applies to attention
    /// scores `[B, T, T]` with `value: -.infinity` before a ``softmax(_:)``.
    public func maskedFill(_ x: Tensor, mask: [Bool], value: Float) -> Tensor {
        let period = mask.count
        precondition(period > 0 && x.count % period == 0,
                     "maskedFill: a mask of \(period) for \(x.count) elements")
        let y = tensor(x.shape, grad: needsGrad(x))
        let xd = x.data, yd = y.data, blocks = x.count / period
        mask.withUnsafeBufferPointer { m in
            for b in 0..<blocks {
                let xb = xd + b * period, yb = yd + b * period
                for i in 0..<period { yb[i] = m[i] ? value : xb[i] }
            }
        }
        if let gy = y.grad {
            record {
                let gx = x.grad!
                mask.withUnsafeBufferPointer { m in
                    for b in 0..<blocks {
                        let gxb = gx + b * period, gyb = gy + b * period
                        for i in 0..<period where !m[i] { gxb[i] += gyb[i] }
                    }
                }
            }
        }
        return y
    }
}
