import Autograd
import Foundation

/// Row-wise log-softmax helpers on raw buffers, vectorised with ``VectorMath``.
public enum LogSoftmax {
    /// Replaces `x` (length `n`) by `x − log Σ exp x`.
    @inlinable
    public static func row(_ x: UnsafeMutablePointer<Float>, count n: Int) {
        var m = -Float.infinity
        for c in 0..<n where x[c] > m { m = x[c] }
        var s: Float = 0
        var i = 0
        while i < n {
            let c = min(16, n - i)
            s += VectorMath.exp(Vector.load16(x + i, count: c, pad: -.infinity) - m).sum()
            i += 16
        }
        let lse = m + Float(log(Double(s)))
        for c in 0..<n { x[c] -= lse }
    }

    /// `y = exp(x)` for `n` values.
    @inlinable
    public static func exponentiate(_ x: UnsafePointer<Float>, count n: Int, into y: UnsafeMutablePointer<Float>) {
        var i = 0
        while i < n {
            let c = min(16, n - i)
            Vector.store16(VectorMath.exp(Vector.load16(x + i, count: c, pad: -.infinity)), y + i, count: c)
            i += 16
        }
    }
}
