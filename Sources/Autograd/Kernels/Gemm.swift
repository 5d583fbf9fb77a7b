/// General matrix multiplication on row-major Float32 buffers.
///
/// ```
/// C ← op(A) · op(B)          (or C ← C + op(A) · op(B) with `accumulate`)
/// op(A) is m × k: A itself (m × k, row stride lda) or Aᵀ (A stored k × m)
/// op(B) is k × n: B itself (k × n, row stride ldb) or Bᵀ (B stored n × k)
/// ```
///
/// These three cases are everything a layer needs: forward `Y = X·Wᵀ`, backward
/// `∂X = ∂Y·W` and `∂W = ∂Yᵀ·X` (any combination of the two flags works).
///
/// Products of more than ``Gemm/smallWork`` multiply-adds use a blocked kernel in the manner
/// of GotoBLAS/BLIS: `op(B)` is packed in `kc × nc` blocks of 16-column panels, `op(A)` is read in
/// place (`Aᵀ` is packed in 6-row tiles when more than four B panels share it), and a register-tiled 6 × 16
/// micro-kernel (six `SIMD16<Float>` accumulators) runs over them. Row blocks are spread over ``Parallel/threads`` when the work
/// is large enough to pay for a dispatch. Smaller products use a plain loop.
///
/// The kernel fuses multiply and add (one rounding) on arm64 and when compiled with
/// `-D TPROG_FMA` (x86-64 with FMA); otherwise it multiplies then adds, which is as fast on AMD
/// Zen and never falls back to a library `fmaf` call on CPUs without FMA.
public enum Gemm {
    public static func multiply(
        m: Int, n: Int, k: Int,
        _ a: UnsafePointer<Float>, lda: Int, transposeA: Bool = false,
        _ b: UnsafePointer<Float>, ldb: Int, transposeB: Bool = false,
        into c: UnsafeMutablePointer<Float>, ldc: Int, accumulate: Bool = false
    ) {
        if m == 0 || n == 0 { return }
        if k == 0 {
            if !accumulate { for i in 0..<m { (c + i * ldc).update(repeating: 0, count: n) } }
            return
        }
        if usesPlainLoop(m: m, n: n, k: k) {
            naive(rows: 0..<m, n: n, k: k, a, lda, transposeA, b, ldb, transposeB, c, ldc, accumulate)
        } else {
            blocked(m: m, n: n, k: k, a, lda, transposeA, b, ldb, transposeB, c, ldc, accumulate)
        }
    }

    /// Products with fewer multiply-adds use the plain loop (measured: the blocked kernel wins
    /// from 8 × 8 × 8 up, 0.2 µs either way there).
    static let smallWork = 512

    /// Whether ``multiply(m:n:k:_:lda:transposeA:_:ldb:transposeB:into:ldc:accumulate:)`` runs
    /// the plain loop for this shape (which, with `transposeB` off, adds each product straight
    /// into C) rather than the blocked kernel (which sums each ``depthBlock`` of the depth from
    /// zero, then adds the sum to C). Kernels that must give the same bits follow the same order.
    @inline(__always)
    public static func usesPlainLoop(m: Int, n: Int, k: Int) -> Bool { m * n * k < smallWork || !optimized }

    /// The depth of the blocked kernel's blocks (``kc``).
    public static var depthBlock: Int { kc }

    /// Whether this module was compiled with optimisation. Unoptimised, `SIMD16` arithmetic is
    /// about ten times slower than the plain loop, so `-Onone` builds always use the plain loop
    /// (the tests call ``blocked(m:n:k:_:_:_:_:_:_:_:_:_:)`` directly).
    @inline(__always)
    static var optimized: Bool { !_isDebugAssertConfiguration() }

    // MARK: - Blocking parameters

    /// Rows of a micro-tile.
    static let mr = 6
    /// Columns of a micro-tile (one `SIMD16<Float>`).
    static let nr = 16
    /// Depth of a packed block (a 6 × 256 A tile and a 256 × 16 B panel fit in L1).
    static let kc = 256
    /// Rows of a packed A block (120 × 256 floats = 120 KB, in L2).
    static let mc = 120
    /// Columns of a packed B block (256 × 1024 floats = 1 MB at most).
    static let nc = 1024
    /// Multiply-adds per parallel item below which a block runs on the calling thread.
    static let parallelWork = 1 << 20

    // MARK: - Blocked kernel

    static func blocked(
        m: Int, n: Int, k: Int,
        _ a: UnsafePointer<Float>, _ lda: Int, _ ta: Bool,
        _ b: UnsafePointer<Float>, _ ldb: Int, _ tb: Bool,
        _ c: UnsafeMutablePointer<Float>, _ ldc: Int, _ accumulate: Bool
    ) {
        let kcMax = min(kc, k)
        withUnsafeTemporaryAllocation(of: Float.self, capacity: min(nc, roundUp(n, nr)) * kcMax + 16) { buffer in
            blocked(m: m, n: n, k: k, a, lda, ta, b, ldb, tb, c, ldc, accumulate,
                    packedB: alignedStart(buffer.baseAddress!))
        }
    }

    private static func blocked(
        m: Int, n: Int, k: Int,
        _ a: UnsafePointer<Float>, _ lda: Int, _ ta: Bool,
        _ b: UnsafePointer<Float>, _ ldb: Int, _ tb: Bool,
        _ c: UnsafeMutablePointer<Float>, _ ldc: Int, _ accumulate: Bool,
        packedB: UnsafeMutablePointer<Float>
    ) {
        var jc = 0
        while jc < n {
            let ncCur = min(nc, n - jc)
            var pc = 0
            while pc < k {
                let kcCur = min(kc, k - pc)
                let add = accumulate || pc > 0
                packB(b, ldb, tb, rows: pc, kc: kcCur, cols: jc, nc: ncCur, into: packedB)
                // Row blocks: at most `mc` rows, and enough blocks to occupy every thread when
                // the work is worth a dispatch.
                let threads = m * ncCur * kcCur >= 2 * parallelWork ? Parallel.threads : 1
                let mb = min(mc, roundUp((m + threads - 1) / threads, mr))
                let blocks = (m + mb - 1) / mb
                let A = UncheckedSendable(a), C = UncheckedSendable(c), B = UncheckedSendable(packedB)
                let (jc0, pc0) = (jc, pc)
                Parallel.for(threads > 1 ? blocks : 1) { item in
                    let range = threads > 1 ? item..<(item + 1) : 0..<blocks
                    withUnsafeTemporaryAllocation(of: Float.self, capacity: roundUp(mb, mr) * kcCur + 16) { buffer in
                        let packedA = alignedStart(buffer.baseAddress!)
                        for blk in range {
                            let ic = blk * mb, mcCur = min(mb, m - ic)
                            // Full tiles read A in place; a last partial tile is packed, and so
                            // is Aᵀ when many B panels share it (then the packing pays off).
                            let full = ta && ncCur > 4 * nr ? 0 : mcCur / mr * mr
                            if full < mcCur {
                                packA(A.value, lda, ta, rows: ic + full, mc: mcCur - full, depth: pc0,
                                      kc: kcCur, into: packedA + full * kcCur)
                            }
                            let direct = ta ? A.value + pc0 * lda + ic : A.value + ic * lda + pc0
                            macroKernel(mc: mcCur, nc: ncCur, kc: kcCur, packedA, UnsafePointer(B.value),
                                        C.value + ic * ldc + jc0, ldc, add, direct: direct,
                                        rowStride: ta ? 1 : lda, depthStride: ta ? lda : 1, directRows: full)
                        }
                    }
                }
                pc += kcCur
            }
            jc += ncCur
        }
    }

    /// Runs the micro-kernel over every 6 × 16 tile of an `mc × nc` block of C. The first
    /// `directRows` rows of op(A) are read in place (element `(i, p)` at
    /// `direct[i · rowStride + p · depthStride]`), the others from `packedA` (tile `t` at
    /// `packedA + t · 6 · kc`).
    @inline(__always)
    static func macroKernel(mc: Int, nc: Int, kc: Int, _ packedA: UnsafePointer<Float>,
                            _ packedB: UnsafePointer<Float>, _ c: UnsafeMutablePointer<Float>,
                            _ ldc: Int, _ add: Bool, direct: UnsafePointer<Float>,
                            rowStride: Int, depthStride: Int, directRows: Int) {
        var jr = 0
        while jr < nc {
            let cols = min(nr, nc - jr)
            let bp = packedB + jr * kc
            var ir = 0
            if depthStride == 1 {
                while ir < directRows {
                    tileOfA(kc: kc, direct + ir * rowStride, lda: rowStride, bp, c + ir * ldc + jr, ldc, add, cols: cols)
                    ir += mr
                }
            } else {
                while ir < directRows {
                    tileOfAT(kc: kc, direct + ir, lda: depthStride, bp, c + ir * ldc + jr, ldc, add, cols: cols)
                    ir += mr
                }
            }
            while ir < mc {
                tilePacked(kc: kc, packedA + ir * kc, bp, c + ir * ldc + jr, ldc, add, rows: min(mr, mc - ir), cols: cols)
                ir += mr
            }
            jr += nr
        }
    }

    // One micro-kernel instance per layout of A, each compiled on its own so that the constant
    // strides fold into the addressing and the three never compete for registers.

    /// A full tile read in place from A (row-major, row stride `lda`).
    @inline(never)
    static func tileOfA(kc: Int, _ a: UnsafePointer<Float>, lda: Int, _ b: UnsafePointer<Float>,
                        _ c: UnsafeMutablePointer<Float>, _ ldc: Int, _ add: Bool, cols: Int) {
        microKernel(kc: kc, a, rowStride: lda, depthStride: 1, b, c, ldc, add, rows: mr, cols: cols)
    }

    /// A full tile read in place from Aᵀ (A stored k × m with row stride `lda`).
    @inline(never)
    static func tileOfAT(kc: Int, _ a: UnsafePointer<Float>, lda: Int, _ b: UnsafePointer<Float>,
                         _ c: UnsafeMutablePointer<Float>, _ ldc: Int, _ add: Bool, cols: Int) {
        microKernel(kc: kc, a, rowStride: 1, depthStride: lda, b, c, ldc, add, rows: mr, cols: cols)
    }

    /// A packed tile (`tile[p · 6 + i]`), possibly with fewer than 6 valid rows.
    @inline(never)
    static func tilePacked(kc: Int, _ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>,
                           _ c: UnsafeMutablePointer<Float>, _ ldc: Int, _ add: Bool, rows: Int, cols: Int) {
        microKernel(kc: kc, a, rowStride: 1, depthStride: mr, b, c, ldc, add, rows: rows, cols: cols)
    }

    /// `C[0..<rows, 0..<cols] (+)= A · Bp` for a 6-row tile of A (element `(i, p)` at
    /// `a[i · rowStride + p · depthStride]`: in place, or packed with strides 1 and 6) and a
    /// 16-column packed B panel, `kc` deep.
    @inline(__always)
    static func microKernel(kc: Int, _ a: UnsafePointer<Float>, rowStride rs: Int, depthStride ds: Int,
                            _ b: UnsafePointer<Float>, _ c: UnsafeMutablePointer<Float>, _ ldc: Int,
                            _ add: Bool, rows: Int, cols: Int) {
        var c0 = SIMD16<Float>(), c1 = SIMD16<Float>(), c2 = SIMD16<Float>()
        var c3 = SIMD16<Float>(), c4 = SIMD16<Float>(), c5 = SIMD16<Float>()
        let a0 = a, a1 = a + rs, a2 = a + 2 * rs, a3 = a + 3 * rs, a4 = a + 4 * rs, a5 = a + 5 * rs
        var bp = UnsafeRawPointer(b), o = 0
        for _ in 0..<kc {
            let bv = bp.loadUnaligned(as: SIMD16<Float>.self)
            c0 = madd(c0, a0[o], bv)
            c1 = madd(c1, a1[o], bv)
            c2 = madd(c2, a2[o], bv)
            c3 = madd(c3, a3[o], bv)
            c4 = madd(c4, a4[o], bv)
            c5 = madd(c5, a5[o], bv)
            o += ds
            bp += 64
        }
        if rows == mr && cols == nr {
            store(c0, c, add); store(c1, c + ldc, add); store(c2, c + 2 * ldc, add)
            store(c3, c + 3 * ldc, add); store(c4, c + 4 * ldc, add); store(c5, c + 5 * ldc, add)
        } else {
            storePartial(c0, c, cols, add)
            if rows > 1 { storePartial(c1, c + ldc, cols, add) }
            if rows > 2 { storePartial(c2, c + 2 * ldc, cols, add) }
            if rows > 3 { storePartial(c3, c + 3 * ldc, cols, add) }
            if rows > 4 { storePartial(c4, c + 4 * ldc, cols, add) }
            if rows > 5 { storePartial(c5, c + 5 * ldc, cols, add) }
        }
    }

    @inline(__always)
    static func storePartial(_ v: SIMD16<Float>, _ c: UnsafeMutablePointer<Float>, _ cols: Int, _ add: Bool) {
        if cols == nr { store(v, c, add); return }
        if add { for j in 0..<cols { c[j] += v[j] } } else { for j in 0..<cols { c[j] = v[j] } }
    }

    @inline(__always)
    static func store(_ v: SIMD16<Float>, _ c: UnsafeMutablePointer<Float>, _ add: Bool) {
        let p = UnsafeMutableRawPointer(c)
        if add {
            p.storeBytes(of: p.loadUnaligned(as: SIMD16<Float>.self) + v, as: SIMD16<Float>.self)
        } else {
            p.storeBytes(of: v, as: SIMD16<Float>.self)
        }
    }

    /// `acc + a · b`, fused where the target has FMA.
    @inline(__always)
    static func madd(_ acc: SIMD16<Float>, _ a: Float, _ b: SIMD16<Float>) -> SIMD16<Float> {
        #if arch(arm64) || TPROG_FMA
        return acc.addingProduct(a, b)
        #else
        return acc + a * b
        #endif
    }

    // MARK: - Packing

    /// Packs `op(A)[rows ..< rows+mc, depth ..< depth+kc]` as consecutive 6-row tiles, each
    /// stored depth-major (`tile[p · 6 + i]`), padding the last tile with zero rows.
    @inline(__always)
    static func packA(_ a: UnsafePointer<Float>, _ lda: Int, _ ta: Bool, rows: Int, mc: Int,
                      depth: Int, kc: Int, into out: UnsafeMutablePointer<Float>) {
        var ir = 0
        while ir < mc {
            let tile = out + ir * kc, h = min(mr, mc - ir)
            if ta {
                // op(A)[i, p] = A[p, i]: each depth step reads h consecutive floats.
                for p in 0..<kc {
                    let src = a + (depth + p) * lda + rows + ir, dst = tile + p * mr
                    for i in 0..<h { dst[i] = src[i] }
                    for i in h..<mr { dst[i] = 0 }
                }
            } else {
                for i in 0..<h {
                    let src = a + (rows + ir + i) * lda + depth
                    for p in 0..<kc { tile[p * mr + i] = src[p] }
                }
                for i in h..<mr { for p in 0..<kc { tile[p * mr + i] = 0 } }
            }
            ir += mr
        }
    }

    /// Packs `op(B)[rows ..< rows+kc, cols ..< cols+nc]` as consecutive 16-column panels, each
    /// stored depth-major (`panel[p · 16 + j]`), padding the last panel with zero columns.
    static func packB(_ b: UnsafePointer<Float>, _ ldb: Int, _ tb: Bool, rows: Int, kc: Int,
                      cols: Int, nc: Int, into out: UnsafeMutablePointer<Float>) {
        var jr = 0
        while jr < nc {
            let panel = out + jr * kc, w = min(nr, nc - jr)
            if tb {
                // op(B)[p, j] = B[j, p]: read each of the w rows of B contiguously.
                for j in 0..<w {
                    let src = b + (cols + jr + j) * ldb + rows
                    for p in 0..<kc { panel[p * nr + j] = src[p] }
                }
                for j in w..<nr { for p in 0..<kc { panel[p * nr + j] = 0 } }
            } else {
                for p in 0..<kc {
                    let src = b + (rows + p) * ldb + cols + jr, dst = panel + p * nr
                    for j in 0..<w { dst[j] = src[j] }
                    for j in w..<nr { dst[j] = 0 }
                }
            }
            jr += nr
        }
    }

    @inline(__always)
    static func roundUp(_ x: Int, _ multiple: Int) -> Int { (x + multiple - 1) / multiple * multiple }

    /// The first 64-byte-aligned address at or after `p` (the buffer has 16 spare floats).
    @inline(__always)
    static func alignedStart(_ p: UnsafeMutablePointer<Float>) -> UnsafeMutablePointer<Float> {
        let address = UInt(bitPattern: p)
        return UnsafeMutablePointer(bitPattern: (address + 63) & ~63)!
    }

    // MARK: - Plain loop

    /// The straightforward triple loop over `rows` of C, used for small products and as the
    /// reference in the tests.
    static func naive(
        rows: Range<Int>, n: Int, k: Int,
        _ a: UnsafePointer<Float>, _ lda: Int, _ ta: Bool,
        _ b: UnsafePointer<Float>, _ ldb: Int, _ tb: Bool,
        _ c: UnsafeMutablePointer<Float>, _ ldc: Int, _ accumulate: Bool
    ) {
        for i in rows {
            let ci = c + i * ldc
            if !accumulate { ci.update(repeating: 0, count: n) }
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
                    let bp = b + p * ldb
                    for j in 0..<n { ci[j] += aip * bp[j] }
                }
            }
        }
    }

    /// The plain loop over all of C: the reference the tests compare the blocked kernel with.
    static func reference(
        m: Int, n: Int, k: Int,
        _ a: UnsafePointer<Float>, lda: Int, transposeA: Bool = false,
        _ b: UnsafePointer<Float>, ldb: Int, transposeB: Bool = false,
        into c: UnsafeMutablePointer<Float>, ldc: Int, accumulate: Bool = false
    ) {
        naive(rows: 0..<m, n: n, k: k, a, lda, transposeA, b, ldb, transposeB, c, ldc, accumulate)
    }
}
