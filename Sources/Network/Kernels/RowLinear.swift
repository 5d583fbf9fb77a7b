import Autograd

/// A linear map applied row by row, `y[r] = b + x[r] · Wᵀ`.
///
/// The model's matrices are small (`k` = 8 … 64 wide), so the product is computed as a sum of
/// weight rows scaled by the entries of `x[r]`, with the accumulating row in registers and no
/// packing. Widths of 8, 16, 32 and 64 keep it in one `SIMD8` or one to four `SIMD16` (wider
/// generic SIMD types spill to the stack). Zero entries are multiplied like the others: the
/// inputs are ReLU outputs and soft samples whose zeros fall at random places, and a branch per
/// entry mispredicted half the time costs more than the multiply-add it saves (adding `0 · w`
/// changes no sum).
///
/// Layouts: `w` is `[out, in]` (PyTorch's `Linear`), `wt` its transpose `[in, out]`.
/// ```
/// forward:   y[r, :]  = b + Σ_{c: x[r,c] ≠ 0} x[r, c] · wt[c, :]
/// backward:  ∂x[r, :] += Σ_{o: ∂y[r,o] ≠ 0} ∂y[r, o] · w[o, :]
///            ∂w[o, :] += Σ_r ∂y[r, o] · x[r, :]
/// ```
public enum RowLinear {
    /// `y[r, 0..<out] = (bias ?? 0) + x[r, 0..<in] · Wᵀ` (or `y += …` with `accumulate`).
    public static func forward(rows: Int, in n: Int, out m: Int, x: UnsafePointer<Float>, ldx: Int,
                               wt: UnsafePointer<Float>, bias: UnsafePointer<Float>?,
                               y: UnsafeMutablePointer<Float>, ldy: Int, accumulate: Bool = false) {
        switch m {
        case 8: rowsTimes(SIMD8<Float>.self, rows, n, x, ldx, wt, m, bias, y, ldy, accumulate)
        case 16: rowsTimes(SIMD16<Float>.self, rows, n, x, ldx, wt, m, bias, y, ldy, accumulate)
        case 32: rowsTimesWide(2, rows, n, x, ldx, wt, m, bias, y, ldy, accumulate)
        case 64: rowsTimesWide(4, rows, n, x, ldx, wt, m, bias, y, ldy, accumulate)
        default:
            for r in 0..<rows {
                let xr = x + r * ldx, yr = y + r * ldy
                if !accumulate {
                    if let bias { yr.update(from: bias, count: m) } else { yr.update(repeating: 0, count: m) }
                } else if let bias {
                    Vector.add(m, bias, yr)
                }
                for c in 0..<n where xr[c] != 0 { Vector.axpy(m, xr[c], wt + c * m, yr) }
            }
        }
    }

    /// `∂x[r] += ∂y[r] · W` (`w` is `[out, in]` with row stride `ldw`), or `∂x[r] = ∂y[r] · W`
    /// without `accumulate`: the same sums, started from 0 instead of from a zeroed `∂x` (so the
    /// caller need not clear it first, and the result is bit-for-bit the same).
    public static func backwardInput(rows: Int, in n: Int, out m: Int, dy: UnsafePointer<Float>, ldy: Int,
                                     w: UnsafePointer<Float>, ldw: Int? = nil, dx: UnsafeMutablePointer<Float>,
                                     ldx: Int, accumulate: Bool = true) {
        let ldw = ldw ?? n
        switch n {
        case 8: rowsTimes(SIMD8<Float>.self, rows, m, dy, ldy, w, ldw, nil, dx, ldx, accumulate)
        case 16: rowsTimes(SIMD16<Float>.self, rows, m, dy, ldy, w, ldw, nil, dx, ldx, accumulate)
        case 32: rowsTimesWide(2, rows, m, dy, ldy, w, ldw, nil, dx, ldx, accumulate)
        case 64: rowsTimesWide(4, rows, m, dy, ldy, w, ldw, nil, dx, ldx, accumulate)
        default:
            if !accumulate { for r in 0..<rows { (dx + r * ldx).update(repeating: 0, count: n) } }
            if n == 1 { columnDots(rows, m, dy, ldy, w, ldw, dx, ldx); return }
            for r in 0..<rows {
                let g = dy + r * ldy, dxr = dx + r * ldx
                for o in 0..<m where g[o] != 0 { Vector.axpy(n, g[o], w + o * ldw, dxr) }
            }
        }
    }

    /// `∂W[o] += Σ_r ∂y[r, o] · x[r]` and `∂b += Σ_r ∂y[r]` (`dw` is `[out, in]`, row stride `lddw`).
    public static func backwardWeight(rows: Int, in n: Int, out m: Int, dy: UnsafePointer<Float>, ldy: Int,
                                      x: UnsafePointer<Float>, ldx: Int, dw: UnsafeMutablePointer<Float>,
                                      lddw: Int? = nil, dbias: UnsafeMutablePointer<Float>?) {
        let lddw = lddw ?? n
        if let dbias { for r in 0..<rows { Vector.add(m, dy + r * ldy, dbias) } }
        switch n {
        case 1: scaledRowSums(rows, m, dy, ldy, x, ldx, dw, lddw)
        case 8: outerSums(SIMD8<Float>.self, rows, n, m, dy, ldy, x, ldx, dw, lddw)
        case 16: outerSums(SIMD16<Float>.self, rows, n, m, dy, ldy, x, ldx, dw, lddw)
        case 32: outerSumsWide(2, rows, n, m, dy, ldy, x, ldx, dw, lddw)
        case 64: outerSumsWide(4, rows, n, m, dy, ldy, x, ldx, dw, lddw)
        default:
            for r in 0..<rows {
                let g = dy + r * ldy, xr = x + r * ldx
                for o in 0..<m where g[o] != 0 { Vector.axpy(n, g[o], xr, dw + o * lddw) }
            }
        }
    }

    /// The transpose of `[rows, cols]` `a` into `t` (`[cols, rows]`).
    public static func transpose(_ a: UnsafePointer<Float>, rows: Int, cols: Int, into t: UnsafeMutablePointer<Float>) {
        for i in 0..<rows { for j in 0..<cols { t[j * rows + i] = a[i * cols + j] } }
    }

    /// `dx[r] += Σ_o dy[r, o] · w[o]` for a one-wide input (`w[o]` at stride `ldw`): eight rows at
    /// a time, one lane each, so the eight sums advance together; each is still added in `o` order.
    @inline(__always)
    static func columnDots(_ rows: Int, _ m: Int, _ dy: UnsafePointer<Float>, _ ldy: Int,
                           _ w: UnsafePointer<Float>, _ ldw: Int, _ dx: UnsafeMutablePointer<Float>, _ ldx: Int) {
        var r = 0
        while r + 8 <= rows {
            var acc = SIMD8<Float>()
            for i in 0..<8 { acc[i] = dx[(r + i) * ldx] }
            for o in 0..<m {
                var g = SIMD8<Float>()
                for i in 0..<8 { g[i] = dy[(r + i) * ldy + o] }
                acc += g * SIMD8(repeating: w[o * ldw])
            }
            for i in 0..<8 { dx[(r + i) * ldx] = acc[i] }
            r += 8
        }
        while r < rows {
            for o in 0..<m { dx[r * ldx] += dy[r * ldy + o] * w[o * ldw] }
            r += 1
        }
    }

    /// `dw[o] += Σ_r dy[r, o] · x[r]` for a one-wide input (`dw[o]` at stride `lddw`): the `m`
    /// sums are gathered, advanced row by row with whole-row vector updates, and stored back.
    @inline(__always)
    static func scaledRowSums(_ rows: Int, _ m: Int, _ dy: UnsafePointer<Float>, _ ldy: Int,
                              _ x: UnsafePointer<Float>, _ ldx: Int, _ dw: UnsafeMutablePointer<Float>, _ lddw: Int) {
        withUnsafeTemporaryAllocation(of: Float.self, capacity: m) { buffer in
            let acc = buffer.baseAddress!
            for o in 0..<m { acc[o] = dw[o * lddw] }
            for r in 0..<rows {
                let v = x[r * ldx]
                if v != 0 { Vector.axpy(m, v, dy + r * ldy, acc) }
            }
            for o in 0..<m { dw[o * lddw] = acc[o] }
        }
    }

    /// `y[r] (+)= b + Σ_c x[r, c] · m[c]` with the output row held in one `V`, four rows at a
    /// time: one running sum is a chain of dependent additions (the adder's latency, not its
    /// throughput, would bound it), four rows are four independent chains sharing each load of
    /// `m[c]`. Every row is still summed in `c` order, so the result is the same as one row at a time.
    @inline(__always)
    static func rowsTimes<V: SIMD>(_: V.Type, _ rows: Int, _ n: Int, _ x: UnsafePointer<Float>, _ ldx: Int,
                                   _ mat: UnsafePointer<Float>, _ ldm: Int, _ bias: UnsafePointer<Float>?,
                                   _ y: UnsafeMutablePointer<Float>, _ ldy: Int, _ accumulate: Bool)
        where V.Scalar == Float {
        let b = bias.map { UnsafeRawPointer($0).loadUnaligned(as: V.self) } ?? V()
        @inline(__always) func start(_ r: Int) -> V {
            accumulate ? UnsafeRawPointer(y + r * ldy).loadUnaligned(as: V.self) + b : b
        }
        @inline(__always) func store(_ v: V, _ r: Int) { UnsafeMutableRawPointer(y + r * ldy).storeBytes(of: v, as: V.self) }
        var r = 0
        while r + 4 <= rows {
            let x0 = x + r * ldx, x1 = x0 + ldx, x2 = x1 + ldx, x3 = x2 + ldx
            var a0 = start(r), a1 = start(r + 1), a2 = start(r + 2), a3 = start(r + 3)
            for c in 0..<n {
                let w = UnsafeRawPointer(mat + c * ldm).loadUnaligned(as: V.self)
                a0 += V(repeating: x0[c]) * w
                a1 += V(repeating: x1[c]) * w
                a2 += V(repeating: x2[c]) * w
                a3 += V(repeating: x3[c]) * w
            }
            store(a0, r); store(a1, r + 1); store(a2, r + 2); store(a3, r + 3)
            r += 4
        }
        while r < rows {
            let xr = x + r * ldx
            var acc = start(r)
            for c in 0..<n { acc += V(repeating: xr[c]) * UnsafeRawPointer(mat + c * ldm).loadUnaligned(as: V.self) }
            store(acc, r)
            r += 1
        }
    }

    /// `dw[o] += Σ_r dy[r, o] · x[r]` with `dw[o]` held in one `V` across the rows, four outputs
    /// `o` at a time (four independent chains sharing each load of `x[r]`; each still summed in
    /// row order).
    @inline(__always)
    static func outerSums<V: SIMD>(_: V.Type, _ rows: Int, _ n: Int, _ m: Int, _ dy: UnsafePointer<Float>, _ ldy: Int,
                                   _ x: UnsafePointer<Float>, _ ldx: Int, _ dw: UnsafeMutablePointer<Float>, _ lddw: Int)
        where V.Scalar == Float {
        @inline(__always) func add(_ v: V, _ o: Int) {
            let out = UnsafeMutableRawPointer(dw + o * lddw)
            out.storeBytes(of: out.loadUnaligned(as: V.self) + v, as: V.self)
        }
        var o = 0
        while o + 4 <= m {
            var a0 = V(), a1 = V(), a2 = V(), a3 = V()
            for r in 0..<rows {
                let xv = UnsafeRawPointer(x + r * ldx).loadUnaligned(as: V.self), g = dy + r * ldy + o
                a0 += V(repeating: g[0]) * xv
                a1 += V(repeating: g[1]) * xv
                a2 += V(repeating: g[2]) * xv
                a3 += V(repeating: g[3]) * xv
            }
            add(a0, o); add(a1, o + 1); add(a2, o + 2); add(a3, o + 3)
            o += 4
        }
        while o < m {
            var acc = V()
            for r in 0..<rows { acc += V(repeating: dy[r * ldy + o]) * UnsafeRawPointer(x + r * ldx).loadUnaligned(as: V.self) }
            add(acc, o)
            o += 1
        }
    }

    /// ``rowsTimes(_:_:_:_:_:_:_:_:_:_:_:)`` for rows of `16·parts` floats (`parts` ≤ 4),
    /// accumulated in `parts` `SIMD16` registers.
    @inline(__always)
    static func rowsTimesWide(_ parts: Int, _ rows: Int, _ n: Int, _ x: UnsafePointer<Float>, _ ldx: Int,
                              _ mat: UnsafePointer<Float>, _ ldm: Int, _ bias: UnsafePointer<Float>?,
                              _ y: UnsafeMutablePointer<Float>, _ ldy: Int, _ accumulate: Bool) {
        typealias V = SIMD16<Float>
        @inline(__always) func load(_ p: UnsafePointer<Float>, _ i: Int) -> V {
            i < parts ? UnsafeRawPointer(p + 16 * i).loadUnaligned(as: V.self) : V()
        }
        let b0 = bias.map { load($0, 0) } ?? V(), b1 = bias.map { load($0, 1) } ?? V()
        let b2 = bias.map { load($0, 2) } ?? V(), b3 = bias.map { load($0, 3) } ?? V()
        for r in 0..<rows {
            let xr = x + r * ldx, yr = y + r * ldy
            var a0 = b0, a1 = b1, a2 = b2, a3 = b3
            if accumulate {
                a0 += load(yr, 0); a1 += load(yr, 1); a2 += load(yr, 2); a3 += load(yr, 3)
            }
            for c in 0..<n {
                let s = V(repeating: xr[c]), m = mat + c * ldm
                a0 += s * load(m, 0)
                a1 += s * load(m, 1)
                if parts > 2 {
                    a2 += s * load(m, 2)
                    a3 += s * load(m, 3)
                }
            }
            let out = UnsafeMutableRawPointer(yr)
            out.storeBytes(of: a0, as: V.self)
            out.storeBytes(of: a1, toByteOffset: 64, as: V.self)
            if parts > 2 {
                out.storeBytes(of: a2, toByteOffset: 128, as: V.self)
                out.storeBytes(of: a3, toByteOffset: 192, as: V.self)
            }
        }
    }

    /// ``outerSums(_:_:_:_:_:_:_:_:_:_:)`` for rows of `16·parts` floats (`parts` ≤ 4).
    @inline(__always)
    static func outerSumsWide(_ parts: Int, _ rows: Int, _ n: Int, _ m: Int, _ dy: UnsafePointer<Float>, _ ldy: Int,
                              _ x: UnsafePointer<Float>, _ ldx: Int, _ dw: UnsafeMutablePointer<Float>, _ lddw: Int) {
        typealias V = SIMD16<Float>
        @inline(__always) func load(_ p: UnsafePointer<Float>, _ i: Int) -> V {
            i < parts ? UnsafeRawPointer(p + 16 * i).loadUnaligned(as: V.self) : V()
        }
        for o in 0..<m {
            var a0 = V(), a1 = V(), a2 = V(), a3 = V()
            for r in 0..<rows {
                let s = V(repeating: dy[r * ldy + o]), xr = x + r * ldx
                a0 += s * load(xr, 0)
                a1 += s * load(xr, 1)
                if parts > 2 {
                    a2 += s * load(xr, 2)
                    a3 += s * load(xr, 3)
                }
            }
            let d = dw + o * lddw, out = UnsafeMutableRawPointer(d)
            out.storeBytes(of: load(d, 0) + a0, as: V.self)
            out.storeBytes(of: load(d, 1) + a1, toByteOffset: 64, as: V.self)
            if parts > 2 {
                out.storeBytes(of: load(d, 2) + a2, toByteOffset: 128, as: V.self)
                out.storeBytes(of: load(d, 3) + a3, toByteOffset: 192, as: V.self)
            }
        }
    }
}
