import Autograd

/// Row-wise log-softmax helpers on raw buffers, vectorised with ``VectorMath``.
public enum LogSoftmax {
    /// Replaces each of `rows` rows of `x` (length `n`) by its log-softmax; the logarithms of
    /// the row sums are taken 16 rows at a time.
    @inlinable
    public static func rows(_ x: UnsafeMutablePointer<Float>, rows: Int, count n: Int) {
        var r0 = 0
        while r0 < rows {
            let block = min(16, rows - r0)
            var maxima = SIMD16<Float>(repeating: 0), sums = SIMD16<Float>(repeating: 1)
            for b in 0..<block {
                let row = x + (r0 + b) * n
                var m = -Float.infinity
                var i0 = 0
                while i0 < n {
                    m = max(m, Vector.max(Vector.load16(row + i0, count: min(16, n - i0), pad: -.infinity)))
                    i0 += 16
                }
                var s: Float = 0
                var i = 0
                while i < n {
                    let c = min(16, n - i)
                    s += Vector.sum(VectorMath.exp(Vector.load16(row + i, count: c, pad: -.infinity) - m))
                    i += 16
                }
                maxima[b] = m
                sums[b] = s
            }
            let lse = maxima + VectorMath.log(sums)
            for b in 0..<block {
                let row = x + (r0 + b) * n, l = lse[b]
                var i = 0
                while i < n {
                    let c = min(16, n - i)
                    Vector.store16(Vector.load16(row + i, count: c, pad: 0) - l, row + i, count: c)
                    i += 16
                }
            }
            r0 += 16
        }
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
