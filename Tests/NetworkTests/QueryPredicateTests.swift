import Testing
@testable import Autograd
@testable import Network

/// A head's `∂q += ∂qW · Wᵀ`, `∂W += qᵀ · ∂qW` in registers (``QueryPredicate``) must give the
/// bits ``Gemm`` gives, in both of its orders (the blocked kernel and the plain loop), with
/// all-zero rows of `∂qW` skipped.
@Suite("Query-predicate backward against the GEMM")
struct QueryPredicateTests {
    static func random(_ count: Int, seed: UInt64, zeroRowsOf width: Int = 0) -> [Float] {
        var rng = RandomStream(seed: seed)
        var x = (0..<count).map { _ in rng.uniform() * 2 - 1 }
        // Every third row all zero (queries whose attention is one-hot pass nothing back).
        if width > 0 { for r in stride(from: 0, to: count / width, by: 3) { for c in 0..<width { x[r * width + c] = 0 } } }
        return x
    }

    @Test("same bits as Gemm", arguments: [(8, 5), (8, 40), (8, 300), (16, 2), (16, 7), (16, 600)])
    func sameBits(k: Int, rows: Int) {
        let q = Self.random(rows * k, seed: 1), w = Self.random(k * k, seed: 2)
        let dqw = Self.random(rows * k, seed: 3, zeroRowsOf: k)
        let gq0 = Self.random(rows * k, seed: 4), gw0 = Self.random(k * k, seed: 5)
        for plain in [false, true] {
            var gq = gq0, gw = gw0, refQ = gq0, refW = gw0
            QueryPredicate.backward(rows: rows, k: k, query: q, predicate: w, gradient: dqw, queryGradient: &gq,
                                    predicateGradient: &gw, plainLoop: plain)
            // Gemm's two orders, called directly (debug builds route `multiply` to the plain loop).
            if plain {
                Gemm.reference(m: rows, n: k, k: k, dqw, lda: k, w, ldb: k, transposeB: true, into: &refQ, ldc: k,
                               accumulate: true)
                Gemm.reference(m: k, n: k, k: rows, q, lda: k, transposeA: true, dqw, ldb: k, into: &refW, ldc: k,
                               accumulate: true)
            } else {
                dqw.withUnsafeBufferPointer { d in
                    w.withUnsafeBufferPointer { w in
                        refQ.withUnsafeMutableBufferPointer { c in
                            Gemm.blocked(m: rows, n: k, k: k, d.baseAddress!, k, false, w.baseAddress!, k, true,
                                         c.baseAddress!, k, true)
                        }
                    }
                    q.withUnsafeBufferPointer { q in
                        refW.withUnsafeMutableBufferPointer { c in
                            Gemm.blocked(m: k, n: k, k: rows, q.baseAddress!, k, true, d.baseAddress!, k, false,
                                         c.baseAddress!, k, true)
                        }
                    }
                }
            }
            // ∂q's rows are summed from zero either way; ∂W's order depends on `plain`.
            #expect(gq.map(\.bitPattern) == refQ.map(\.bitPattern), "∂q, k \(k), rows \(rows), plain \(plain)")
            #expect(gw.map(\.bitPattern) == refW.map(\.bitPattern), "∂W, k \(k), rows \(rows), plain \(plain)")
            #expect(gw != gw0 && gq != gq0)
        }
    }
}
