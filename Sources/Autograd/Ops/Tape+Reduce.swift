extension Tape {
    /// The sum of all elements, as a one-element tensor (accumulated in `Double`).
    public func sum(_ x: Tensor) -> Tensor {
        let y = tensor(count: 1, grad: needsGrad(x))
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

    /// The sum along one axis, which is removed from the shape (or kept with extent 1 when
    /// `keepingAxis` is set). Negative axes count from the end.
    ///
    /// ```
    /// x: [outer, n, inner]    y[o, i] = Σ_j x[o, j, i]    ∂x[o, j, i] = ∂y[o, i]
    /// sum([[1, 2, 3], [4, 5, 6]], axis: 0) = [5, 7, 9];   axis: 1 (or −1) gives [6, 15]
    /// ```
    public func sum(_ x: Tensor, axis: Int, keepingAxis: Bool = false) -> Tensor {
        reduce(x, axis: axis, keepingAxis: keepingAxis, scale: 1)
    }

    /// The mean along one axis: ``sum(_:axis:keepingAxis:)`` divided by the axis' extent.
    public func mean(_ x: Tensor, axis: Int, keepingAxis: Bool = false) -> Tensor {
        let a = axis < 0 ? axis + x.shape.count : axis
        precondition(a >= 0 && a < x.shape.count, "mean: axis \(axis) for shape \(x.shape)")
        return reduce(x, axis: a, keepingAxis: keepingAxis, scale: 1 / Float(max(x.shape[a], 1)))
    }

    private func reduce(_ x: Tensor, axis: Int, keepingAxis: Bool, scale: Float) -> Tensor {
        let a = axis < 0 ? axis + x.shape.count : axis
        precondition(a >= 0 && a < x.shape.count, "sum: axis \(axis) for shape \(x.shape)")
        let outer = x.shape[..<a].reduce(1, *), n = x.shape[a], inner = x.shape[(a + 1)...].reduce(1, *)
        var shape = x.shape
        if keepingAxis { shape[a] = 1 } else { shape.remove(at: a) }
        let y = tensor(shape, zero: true, grad: needsGrad(x))
        let xd = x.data, yd = y.data
        for o in 0..<outer {
            let yo = yd + o * inner
            for j in 0..<n {
                let xo = xd + (o * n + j) * inner
                for i in 0..<inner { yo[i] += xo[i] }
            }
            for i in 0..<inner { yo[i] *= scale }
        }
        if let gy = y.grad {
            record {
                let gx = x.grad!
                for o in 0..<outer {
                    let gyo = gy + o * inner
                    for j in 0..<n {
                        let gxo = gx + (o * n + j) * inner
                        for i in 0..<inner { gxo[i] += scale * gyo[i] }
                    }
                }
            }
        }
        return y
    }
}
