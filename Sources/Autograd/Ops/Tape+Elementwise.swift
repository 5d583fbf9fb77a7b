import Foundation

extension Tape {
    /// Elementwise sum of two tensors of the same shape.
    public func add(_ a: Tensor, _ b: Tensor) -> Tensor {
        precondition(a.shape == b.shape, "add: shapes \(a.shape) and \(b.shape) differ")
        let y = tensor(a.shape, grad: needsGrad(a, b))
        for i in 0..<a.count { y.data[i] = a.data[i] + b.data[i] }
        if y.grad != nil {
            record {
                for t in [a, b] { if let g = t.grad { for i in 0..<y.count { g[i] += y.grad![i] } } }
            }
        }
        return y
    }

    /// Elementwise product of two tensors of the same shape.
    public func mul(_ a: Tensor, _ b: Tensor) -> Tensor {
        precondition(a.shape == b.shape, "mul: shapes \(a.shape) and \(b.shape) differ")
        let y = tensor(a.shape, grad: needsGrad(a, b))
        for i in 0..<a.count { y.data[i] = a.data[i] * b.data[i] }
        if y.grad != nil {
            record {
                let gy = y.grad!
                if let ga = a.grad { for i in 0..<y.count { ga[i] += gy[i] * b.data[i] } }
                if let gb = b.grad { for i in 0..<y.count { gb[i] += gy[i] * a.data[i] } }
            }
        }
        return y
    }

    /// `y = s · x`.
    public func scale(_ x: Tensor, _ s: Float) -> Tensor {
        let y = tensor(x.shape, grad: needsGrad(x))
        for i in 0..<x.count { y.data[i] = s * x.data[i] }
        if let gy = y.grad {
            record { let gx = x.grad!; for i in 0..<y.count { gx[i] += s * gy[i] } }
        }
        return y
    }

    /// Adds `bias` (shape `[n]`) to every row of `x` (shape `[..., n]`): a broadcasting sum.
    public func addBias(_ x: Tensor, _ bias: Tensor) -> Tensor {
        let n = bias.count
        precondition(x.shape.last == n, "addBias: \(x.shape) + \(bias.shape)")
        let y = tensor(x.shape, grad: needsGrad(x, bias))
        let rows = x.count / max(n, 1)
        for r in 0..<rows { for j in 0..<n { y.data[r * n + j] = x.data[r * n + j] + bias.data[j] } }
        if let gy = y.grad {
            record {
                if let gx = x.grad { for i in 0..<y.count { gx[i] += gy[i] } }
                if let gb = bias.grad { for r in 0..<rows { for j in 0..<n { gb[j] += gy[r * n + j] } } }
            }
        }
        return y
    }

    /// `max(x, 0)`.
    public func relu(_ x: Tensor) -> Tensor {
        let y = tensor(x.shape, grad: needsGrad(x))
        for i in 0..<x.count { y.data[i] = max(x.data[i], 0) }
        if let gy = y.grad {
            record { let gx = x.grad!; for i in 0..<y.count where x.data[i] > 0 { gx[i] += gy[i] } }
        }
        return y
    }
}
