import Autograd

/// The backward pass of a head's first product, `qW = q · W` (`q`: `[rows, k]`, `W`: `[k, k]`):
/// ```
/// ∂q += ∂qW · Wᵀ        ∂W += qᵀ · ∂qW
/// ```
/// These are tiny products (`k` = 8 or 16 wide) that the general ``Gemm`` runs through its
/// packing and 16-column tiles; here each row stays in one `SIMD8`/`SIMD16` register. The sums
/// follow ``Gemm``'s order exactly, so the results are the same bits: each `∂q` row's sum starts
/// from zero and is then added to `∂q`; `∂W`'s sums run over the rows in blocks of
/// ``Gemm/depthBlock``, each from zero and then added to `∂W` (or, for the shapes where ``Gemm``
/// runs its plain loop, straight into `∂W`). Rows of `∂qW` that are all zero (queries whose
/// attention is exactly one-hot) are skipped: they would add only zeros.
enum QueryPredicate {
    /// Whether ``backward(rows:k:query:predicate:gradient:queryGradient:predicateGradient:)``
    /// has a register kernel for width `k` (otherwise use ``Gemm``).
    static func handles(k: Int) -> Bool { k == 8 || k == 16 }

    /// `plainLoop` (for the tests) overrides ``Gemm``'s choice of order for `∂W`.
    static func backward(rows: Int, k: Int, query q: UnsafePointer<Float>, predicate w: UnsafePointer<Float>,
                         gradient dqw: UnsafePointer<Float>, queryGradient gq: UnsafeMutablePointer<Float>?,
                         predicateGradient gw: UnsafeMutablePointer<Float>?, plainLoop: Bool? = nil) {
        let plain = plainLoop ?? Gemm.usesPlainLoop(m: k, n: k, k: rows)
        switch k {
        case 8: backward(SIMD8<Float>.self, rows, q, w, dqw, gq, gw, plain)
        case 16: backward(SIMD16<Float>.self, rows, q, w, dqw, gq, gw, plain)
        default: preconditionFailure("QueryPredicate.backward for k = \(k)")
        }
    }

    @inline(__always)
    static func backward<V: SIMD>(_: V.Type, _ rows: Int, _ q: UnsafePointer<Float>, _ w: UnsafePointer<Float>,
                                  _ dqw: UnsafePointer<Float>, _ gq: UnsafeMutablePointer<Float>?,
                                  _ gw: UnsafeMutablePointer<Float>?, _ plain: Bool) where V.Scalar == Float {
        let k = V.scalarCount
        @inline(__always) func load(_ p: UnsafePointer<Float>) -> V { UnsafeRawPointer(p).loadUnaligned(as: V.self) }
        @inline(__always) func store(_ v: V, _ p: UnsafeMutablePointer<Float>) {
            UnsafeMutableRawPointer(p).storeBytes(of: v, as: V.self)
        }
        withUnsafeTemporaryAllocation(of: V.self, capacity: k) { buffer in
            let scratch = buffer.baseAddress!
            if let gq {
                // ∂q[r] += Σ_p ∂qW[r, p] · W[:, p]: the columns of W, one register each.
                for p in 0..<k {
                    var column = V()
                    for i in 0..<k { column[i] = w[i * k + p] }
                    scratch[p] = column
                }
                for r in 0..<rows {
                    let g = dqw + r * k
                    if load(g) == V() { continue }
                    var acc = V()
                    for p in 0..<k { acc += V(repeating: g[p]) * scratch[p] }
                    store(load(gq + r * k) + acc, gq + r * k)
                }
            }
            if let gw {
                // ∂W[i] += Σ_r q[r, i] · ∂qW[r]: k running sums, advanced row by row.
                var start = 0
                while start < rows {
                    let end = plain ? rows : min(rows, start + Gemm.depthBlock)
                    for i in 0..<k { scratch[i] = plain ? load(gw + i * k) : V() }
                    for r in start..<end {
                        let g = load(dqw + r * k)
                        if g == V() { continue }
                        let qr = q + r * k
                        for i in 0..<k { scratch[i] += V(repeating: qr[i]) * g }
                    }
                    for i in 0..<k { store(plain ? scratch[i] : load(gw + i * k) + scratch[i], gw + i * k) }
                    start = end
                }
            }
        }
    }
}
