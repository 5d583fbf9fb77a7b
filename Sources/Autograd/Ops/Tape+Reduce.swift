extension Tape {
    /// The sum of all elements, as a one-element tensor (accumulated in `Double`).
    public func sum(_ x: Tensor) -> Tensor {
        let y = tensor([1], grad: needsGrad(x))
        var s: Double = 0
        for i in 0..<x.count { s += Double(x.data[i]) }
        y.data[0] = Float(s)
        if let gy = y.grad {
            record { let gx = x.grad!, g = gy[0]; for i in 0..<x.count { gx[i] += g } }
        }
        return y
    }

    /// The mean of all elements, as a one-element tensor.
    public func mean(_ x: Tensor) -> Tensor {
        scale(sum(x), 1 / Float(max(x.count, 1)))
    }
}
