/// General matrix multiplication on row-major Float32 buffers.
///
/// ```
/// C ← op(A) · op(B)          (or C ← C + op(A) · op(B) with `accumulate`)
/// op(A) is m × k: A itself (m × k, row stride lda) or Aᵀ (A stored k × m)
/// op(B) is k × n: B itself (k × n, row stride ldb) or Bᵀ (B stored n × k)
/// ```
///
/// These three cases are everything a layer needs: forward `Y = X·Wᵀ`, backward
/// `∂X = ∂Y·W` and `∂W = ∂Yᵀ·X`. Large products are split by rows of C over the cores.
public enum Gemm {
    public static func multiply(
        m: Int, n: Int, k: Int,
        _ a: UnsafePointer<Float>, lda: Int, transposeA: Bool = false,
        _ b: UnsafePointer<Float>, ldb: Int, transposeB: Bool = false,
        into c: UnsafeMutablePointer<Float>, ldc: Int, accumulate: Bool = false
    ) {
        if m == 0 || n == 0 { return }
        let work = m * n * k
        let rowsPerThread = work >= 1 << 18 ? max(1, m / (Parallel.threads * 4)) : m
        let blocks = (m + rowsPerThread - 1) / rowsPerThread
        let A = UncheckedSendable(a), B = UncheckedSendable(b), C = UncheckedSendable(c)
        Parallel.for(blocks) { blk in
            let lo = blk * rowsPerThread, hi = min(m, lo + rowsPerThread)
            kernel(rows: lo..<hi, n: n, k: k, A.value, lda, transposeA, B.value, ldb, transposeB,
                   C.value, ldc, accumulate)
        }
    }

    @inline(__always)
    static func kernel(
        rows: Range<Int>, n: Int, k: Int,
        _ a: UnsafePointer<Float>, _ lda: Int, _ ta: Bool,
        _ b: UnsafePointer<Float>, _ ldb: Int, _ tb: Bool,
        _ c: UnsafeMutablePointer<Float>, _ ldc: Int, _ accumulate: Bool
    ) {
        for i in rows {
            let ci = c + i * ldc
            if !accumulate { ci.initialize(repeating: 0, count: n) }
            if tb {
                // C[i, j] += Σ_p A[i, p] · B[j, p]
                for j in 0..<n {
                    let bj = b + j * ldb
                    var s: Float = 0
                    for p in 0..<k { s += (ta ? a[p * lda + i] : a[i * lda + p]) * bj[p] }
                    ci[j] += s
                }
            } else {
                // C[i, :] += Σ_p A[i, p] · B[p, :]
                for p in 0..<k {
                    let aip = ta ? a[p * lda + i] : a[i * lda + p]
                    if aip == 0 { continue }
                    let bp = b + p * ldb
                    for j in 0..<n { ci[j] += aip * bp[j] }
                }
            }
        }
    }
}
