import Testing
@testable import Autograd

@Suite("Blocked GEMM against the plain triple loop")
struct GemmTests {
    /// Fills `count` floats with values in [−1, 1).
    static func random(_ count: Int, seed: UInt64) -> [Float] {
        var rng = RandomStream(seed: seed)
        return (0..<count).map { _ in rng.uniform() * 2 - 1 }
    }

    /// Runs the blocked kernel, `Gemm.multiply` and `Gemm.reference` on the same random operands
    /// (with padded leading dimensions, to exercise the strides) and returns the largest
    /// difference from the reference, divided by √k (the scale of the rounding error).
    static func maxDifference(m: Int, n: Int, k: Int, transposeA: Bool, transposeB: Bool,
                              accumulate: Bool, pad: Int = 3) -> Float {
        let (aRows, aCols) = transposeA ? (k, m) : (m, k)
        let (bRows, bCols) = transposeB ? (n, k) : (k, n)
        let lda = aCols + pad, ldb = bCols + pad, ldc = n + pad
        let a = random(aRows * lda, seed: 1), b = random(bRows * ldb, seed: 2)
        let c0 = random(m * ldc, seed: 3)
        var fast = c0, public_ = c0, slow = c0
        a.withUnsafeBufferPointer { a in
            b.withUnsafeBufferPointer { b in
                // The blocked kernel itself (debug builds route `multiply` to the plain loop).
                fast.withUnsafeMutableBufferPointer { c in
                    Gemm.blocked(m: m, n: n, k: k, a.baseAddress!, lda, transposeA,
                                 b.baseAddress!, ldb, transposeB, c.baseAddress!, ldc, accumulate)
                }
                public_.withUnsafeMutableBufferPointer { c in
                    Gemm.multiply(m: m, n: n, k: k, a.baseAddress!, lda: lda, transposeA: transposeA,
                                  b.baseAddress!, ldb: ldb, transposeB: transposeB,
                                  into: c.baseAddress!, ldc: ldc, accumulate: accumulate)
                }
                slow.withUnsafeMutableBufferPointer { c in
                    Gemm.reference(m: m, n: n, k: k, a.baseAddress!, lda: lda, transposeA: transposeA,
                                   b.baseAddress!, ldb: ldb, transposeB: transposeB,
                                   into: c.baseAddress!, ldc: ldc, accumulate: accumulate)
                }
            }
        }
        var worst: Float = 0
        for i in 0..<m {
            for j in 0..<ldc {
                let o = i * ldc + j
                // Padding columns must be untouched.
                if j >= n {
                    if fast[o] != c0[o] || public_[o] != c0[o] { return .infinity }
                } else {
                    worst = max(worst, abs(fast[o] - slow[o]), abs(public_[o] - slow[o]))
                }
            }
        }
        return worst / Float(max(k, 1)).squareRoot()
    }

    static let sizes: [(Int, Int, Int)] = [
        (1, 1, 1), (3, 5, 7), (17, 33, 9), (64, 64, 64), (130, 70, 65),
        (7, 300, 2), (300, 7, 40), (61, 1100, 20), (40, 50, 600), (256, 16, 16), (301, 40, 50),
    ]

    @Test("all transpose and accumulate combinations agree", arguments: 0..<GemmTests.sizes.count)
    func agreement(size: Int) {
        let (m, n, k) = GemmTests.sizes[size]
        for (ta, tb) in [(false, false), (false, true), (true, false), (true, true)] {
            for accumulate in [false, true] {
                let d = GemmTests.maxDifference(m: m, n: n, k: k, transposeA: ta, transposeB: tb,
                                                accumulate: accumulate)
                #expect(d < 1e-5, "\(m)×\(n)×\(k) tA \(ta) tB \(tb) acc \(accumulate): \(d)")
            }
        }
    }

    @Test("large products split over threads agree, with one thread and several")
    func parallel() {
        let saved = Parallel.threads
        defer { Parallel.threads = saved }
        for threads in [1, 3] {
            Parallel.threads = threads
            for (ta, tb, n) in [(false, true, 129), (true, false, 129), (true, false, 40)] {
                let d = GemmTests.maxDifference(m: 301, n: n, k: 280, transposeA: ta, transposeB: tb,
                                                accumulate: true)
                #expect(d < 1e-5, "threads \(threads) tA \(ta) tB \(tb) n \(n): \(d)")
            }
        }
    }

    @Test("an empty inner dimension clears C, or leaves it when accumulating")
    func emptyInner() {
        var c: [Float] = [1, 2, 3, 4]
        let a: [Float] = [0], b: [Float] = [0]
        Gemm.multiply(m: 2, n: 2, k: 0, a, lda: 1, b, ldb: 2, into: &c, ldc: 2, accumulate: true)
        #expect(c == [1, 2, 3, 4])
        Gemm.multiply(m: 2, n: 2, k: 0, a, lda: 1, b, ldb: 2, into: &c, ldc: 2)
        #expect(c == [0, 0, 0, 0])
    }
}
