import Foundation

extension Tape {
    /// The softmax along the last axis, computed stably by subtracting each row's maximum.
    ///
    /// ```
    /// y[r, j] = exp(x[r, j] − max_k x[r, k]) / Σ_k exp(x[r, k] − max_k x[r, k])
    /// ∂x[r, j] = y[r, j] · (∂y[r, j] − Σ_k ∂y[r, k] · y[r, k])
    /// ```
    /// For example, `softmax([1, 2, 3]) = [0.0900, 0.2447, 0.6652]`, and `[1000, 1000]` gives
    /// `[0.5, 0.5]` rather than NaN.
    public func softmax(_ x: Tensor) -> Tensor {
        let n = x.shape.last ?? 1
        let rows = x.count / max(n, 1)
        let y = tensor(x.shape, grad: needsGrad(x))
        let xd = x.data, yd = y.data
        for r in 0..<rows { Rows.softmax(xd + r * n, into: yd + r * n, count: n) }
        if let gy = y.grad {
            record {
                let gx = x.grad!
                for r in 0..<rows {
                    let yr = yd + r * n, gyr = gy + r * n, gxr = gx + r * n
                    let dot = Rows.dot(gyr, yr, count: n)
                    for j in 0..<n { gxr[j] += yr[j] * (gyr[j] - dot) }
                }
            }
        }
        return y
    }

    /// The logarithm of the softmax along the last axis, computed stably:
    ///
    /// ```
    /// y[r, j] = x[r, j] − m_r − log Σ_k exp(x[r, k] − m_r),   m_r = max_k x[r, k]
    /// ∂x[r, j] = ∂y[r, j] − exp(y[r, j]) · Σ_k ∂y[r, k]
    /// ```
    /// For example, `logSoftmax([1, 2, 3]) = [−2.4076, −1.4076, −0.4076]`.
    public func logSoftmax(_ x: Tensor) -> Tensor {
        let n = x.shape.last ?? 1
        let rows = x.count / max(n, 1)
        let y = tensor(x.shape, grad: needsGrad(x))
        let xd = x.data, yd = y.data
        for r in 0..<rows {
            let xr = xd + r * n, yr = yd + r * n
            let lse = Rows.logSumExp(xr, count: n)
            for j in 0..<n { yr[j] = xr[j] - lse }
        }
        if let gy = y.grad {
            record {
                let gx = x.grad!
                for r in 0..<rows {
                    let yr = yd + r * n, gyr = gy + r * n, gxr = gx + r * n
                    var s: Float = 0
                    for j in 0..<n { s += gyr[j] }
                    for j in 0..<n { gxr[j] += gyr[j] - Foundation.exp(yr[j]) * s }
                }
            }
        }
        return y
    }
}

/// Row kernels shared by the softmax-like operations.
enum Rows {
    /// The largest of `count` values (−∞ when empty).
    @inline(__always)
    static func max(_ x: UnsafePointer<Float>, count n: Int) -> Float {
        var m = -Float.infinity
        for j in 0..<n { m = Swift.max(m, x[j]) }
        return m
    }

    /// `Σ x[j] · y[j]`.
    @inline(__always)
    static func dot(_ x: UnsafePointer<Float>, _ y: UnsafePointer<Float>, count n: Int) -> Float {
        var s: Float = 0
        for j in 0..<n { s += x[j] * y[j] }
        return s
    }

    /// `log Σ exp(x[j])`, stably.
    @inline(__always)
    static func logSumExp(_ x: UnsafePointer<Float>, count n: Int) -> Float {
        let m = max(x, count: n)
        if m == -.infinity { return m }
        var s: Float = 0
        for j in 0..<n { s += Foundation.exp(x[j] - m) }
        return m + Foundation.log(s)
    }

    /// Writes the softmax of `x` into `y` (the two may be the same buffer).
    @inline(__always)
    static func softmax(_ x: UnsafePointer<Float>, into y: UnsafeMutablePointer<Float>, count n: Int) {
        let m = max(x, count: n)
        var s: Float = 0
        for j in 0..<n {
            let e = Foundation.exp(x[j] - m)
            y[j] = e
            s += e
        }
        let inv = 1 / s
        for j in 0..<n { y[j] *= inv }
    }
}
