extension Tape {
    /// Joins tensors along the last axis; all other extents must agree.
    ///
    /// ```
    /// [[1, 2], [3, 4]] ⧺ [[5], [6]] = [[1, 2, 5], [3, 4, 6]]
    /// ```
    /// Each input receives its own columns of the output gradient.
    public func concat(_ parts: [Tensor]) -> Tensor {
        precondition(!parts.isEmpty, "concat of nothing")
        let lead = Array(parts[0].shape.dropLast())
        let widths = parts.map { $0.shape.last ?? 1 }
        for p in parts {
            precondition(Array(p.shape.dropLast()) == lead, "concat: shapes \(parts.map(\.shape)) differ")
        }
        let total = widths.reduce(0, +)
        let rows = lead.reduce(1, *)
        let y = tensor(lead + [total], grad: isRecording && parts.contains { $0.grad != nil })
        let yd = y.data
        var offset = 0
        for (p, w) in zip(parts, widths) {
            let pd = p.data
            for r in 0..<rows { (yd + r * total + offset).update(from: pd + r * w, count: w) }
            offset += w
        }
        if let gy = y.grad {
            record {
                var offset = 0
                for (p, w) in zip(parts, widths) {
                    if let gp = p.grad {
                        for r in 0..<rows {
                            let src = gy + r * total + offset, dst = gp + r * w
                            for j in 0..<w { dst[j] += src[j] }
                        }
                    }
                    offset += w
                }
            }
        }
        return y
    }

    /// The columns `range` of the last axis: `y[..., j] = x[..., range.lowerBound + j]`.
    ///
    /// ```
    /// slice([[1, 2, 3], [4, 5, 6]], 1..<3) = [[2, 3], [5, 6]]
    /// ```
    public func slice(_ x: Tensor, _ range: Range<Int>) -> Tensor {
        let n = x.shape.last ?? 1
        precondition(range.lowerBound >= 0 && range.upperBound <= n, "slice: \(range) outside 0..<\(n)")
        let w = range.count, lo = range.lowerBound
        let rows = x.count / max(n, 1)
        var shape = x.shape
        shape[shape.count - 1] = w
        let y = tensor(shape, grad: needsGrad(x))
        let xd = x.data, yd = y.data
        for r in 0..<rows { (yd + r * w).update(from: xd + r * n + lo, count: w) }
        if let gy = y.grad {
            record {
                let gx = x.grad!
                for r in 0..<rows {
                    let src = gy + r * w, dst = gx + r * n + lo
                    for j in 0..<w { dst[j] += src[j] }
                }
            }
        }
        return y
    }

    /// The same values under a new shape with the same number of elements (a copy: tape
    /// tensors own their buffers). For example `[B·T, D]` → `[B, T, D]` before a batched
    /// ``matmul(_:_:transposeB:)``.
    public func reshape(_ x: Tensor, _ shape: [Int]) -> Tensor {
        precondition(shape.reduce(1, *) == x.count, "reshape: \(x.shape) to \(shape)")
        let y = tensor(shape, grad: needsGrad(x))
        let n = x.count
        y.data.update(from: x.data, count: n)
        if let gy = y.grad {
            record { let gx = x.grad!; for i in 0..<n { gx[i] += gy[i] } }
        }
        return y
    }
}
