import Autograd

/// Row-wise log-softmax helpers on raw buffers, vectorised with ``VectorMath``.
public enum LogSoftmax {
    /// Replaces each of `rows` rows of `x` (length `n`) by its log-softmax; the logarithms of
    /// the row sums are taken 16 rows at a time.
    @inlinable
    public static func rows(_ x: UnsafeMutablePointer<Float>, rows: Int, count n: Int) {
        // The 16 rows' maxima, sums and log-sum-exps go through memory: written into a vector by a
        // variable lane index, they were kept on the stack and re-read whole for every lane.
        // The exponentials are stored, then summed from memory: summed straight out of the vector,
        // the compiler computed them lane by lane in scalar code.
        withUnsafeTemporaryAllocation(of: SIMD16<Float>.self, capacity: 3) { buffer in
            let maxima = UnsafeMutableRawPointer(buffer.baseAddress!).assumingMemoryBound(to: Float.self)
            let sums = maxima + 16, e = maxima + 32
            var r0 = 0
            while r0 < rows {
                let block = min(16, rows - r0)
                buffer[0] = SIMD16(repeating: 0)
                buffer[1] = SIMD16(repeating: 1)
                for b in 0..<block {
                    let row = x + (r0 + b) * n
                    if n <= 8 {
                        // One eight-lane vector holds the row: the same bits, half the work.
                        let v = Vector.load8(row, count: n, pad: -.infinity)
                        let m = Vector.max(v)
                        UnsafeMutableRawPointer(e).storeBytes(of: VectorMath.exp(v - m), as: SIMD8<Float>.self)
                        var s: Float = 0
                        for l in 0..<n { s += e[l] }
                        maxima[b] = m
                        sums[b] = s
                        continue
                    }
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
                        buffer[2] = VectorMath.exp(Vector.load16(row + i, count: c, pad: -.infinity) - m)
                        var t: Float = 0   // the lanes past c hold exp(−∞) = 0
                        for l in 0..<c { t += e[l] }
                        s += t
                        i += 16
                    }
                    maxima[b] = m
                    sums[b] = s
                }
                buffer[0] = buffer[0] + VectorMath.log(buffer[1])   // the maxima become the log-sum-exps
                let lse = maxima
                for b in 0..<block {
                    let row = x + (r0 + b) * n, l = lse[b]
                    if n <= 8 {
                        Vector.store8(Vector.load8(row, count: n, pad: 0) - l, row, count: n)
                        continue
                    }
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
    }

    /// `y = exp(x)` for `n` values.
    @inlinable
    public static func exponentiate(_ x: UnsafePointer<Float>, count n: Int, into y: UnsafeMutablePointer<Float>) {
        var i = 0
        while i < n {
            let c = min(16, n - i)
            if c <= 8 {
                Vector.store8(VectorMath.exp(Vector.load8(x + i, count: c, pad: -.infinity)), y + i, count: c)
                break
            }
            Vector.store16(VectorMath.exp(Vector.load16(x + i, count: c, pad: -.infinity)), y + i, count: c)
            i += 16
        }
    }
}
