/// Short-vector primitives over raw Float buffers, in 8-lane SIMD chunks with a scalar tail.
///
/// The model's inner loops run over one categorical block (`k` = 8 to 64 floats); written
/// this way they compile to a few AVX instructions with no aliasing checks.
public enum Vector {
    @inline(__always) @usableFromInline
    static func load(_ p: UnsafePointer<Float>) -> SIMD8<Float> {
        UnsafeRawPointer(p).loadUnaligned(as: SIMD8<Float>.self)
    }

    @inline(__always) @usableFromInline
    static func store(_ v: SIMD8<Float>, _ p: UnsafeMutablePointer<Float>) {
        UnsafeMutableRawPointer(p).storeBytes(of: v, as: SIMD8<Float>.self)
    }

    /// `y += a · x` over `n` elements.
    @inlinable @inline(__always)
    public static func axpy(_ n: Int, _ a: Float, _ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>) {
        var i = 0
        let av = SIMD8<Float>(repeating: a)
        while i + 8 <= n {
            store(load(y + i) + av * load(x + i), y + i)
            i += 8
        }
        while i < n { y[i] += a * x[i]; i += 1 }
    }

    /// `Σ x_i · y_i` over `n` elements.
    @inlinable @inline(__always)
    public static func dot(_ n: Int, _ x: UnsafePointer<Float>, _ y: UnsafePointer<Float>) -> Float {
        var i = 0
        var acc = SIMD8<Float>()
        while i + 8 <= n {
            acc += load(x + i) * load(y + i)
            i += 8
        }
        var s = sum(acc)
        while i < n { s += x[i] * y[i]; i += 1 }
        return s
    }

    /// `acc += x ⊙ y` (elementwise) over `n` elements.
    @inlinable @inline(__always)
    public static func multiplyAdd(_ n: Int, _ x: UnsafePointer<Float>, _ y: UnsafePointer<Float>,
                                   _ acc: UnsafeMutablePointer<Float>) {
        var i = 0
        while i + 8 <= n {
            store(load(acc + i) + load(x + i) * load(y + i), acc + i)
            i += 8
        }
        while i < n { acc[i] += x[i] * y[i]; i += 1 }
    }

    /// `y += x` over `n` elements.
    @inlinable @inline(__always)
    public static func add(_ n: Int, _ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>) {
        var i = 0
        while i + 8 <= n {
            store(load(y + i) + load(x + i), y + i)
            i += 8
        }
        while i < n { y[i] += x[i]; i += 1 }
    }
}

extension Vector {
    /// `v[0] + v[1] + … + v[n−1]`, added in lane order (inlined; the standard library's `sum()` is
    /// an out-of-line call).
    @inlinable @inline(__always)
    public static func sum<V: SIMD>(_ v: V) -> Float where V.Scalar == Float {
        var s: Float = 0
        for i in 0..<V.scalarCount { s += v[i] }
        return s
    }

    /// The largest lane of `v` (inlined).
    ///
    /// The comparisons are made on `SIMD4` halves with concrete types: written generically, or on
    /// `SIMD8`, the compiler built the lane mask one lane at a time through memory when the
    /// function was not inlined (7.8% of a sort training step went there).
    @inlinable @inline(__always)
    public static func max(_ v: SIMD16<Float>) -> Float {
        @inline(__always) func larger(_ x: SIMD4<Float>, _ y: SIMD4<Float>) -> SIMD4<Float> {
            x.replacing(with: y, where: y .> x)
        }
        let a = larger(larger(v.lowHalf.lowHalf, v.lowHalf.highHalf), larger(v.highHalf.lowHalf, v.highHalf.highHalf))
        let b = larger(a, SIMD4(a[2], a[3], a[0], a[1]))
        return Swift.max(b[0], b[1])
    }

    /// The largest lane of `v` (inlined; see ``max(_:)-(SIMD16<Float>)``).
    @inlinable @inline(__always)
    public static func max(_ v: SIMD8<Float>) -> Float {
        @inline(__always) func larger(_ x: SIMD4<Float>, _ y: SIMD4<Float>) -> SIMD4<Float> {
            x.replacing(with: y, where: y .> x)
        }
        let a = larger(v.lowHalf, v.highHalf)
        let b = larger(a, SIMD4(a[2], a[3], a[0], a[1]))
        return Swift.max(b[0], b[1])
    }

    /// Stores the first `count ≤ 8` lanes of `v`.
    @inlinable @inline(__always)
    public static func store8(_ v: SIMD8<Float>, _ p: UnsafeMutablePointer<Float>, count: Int) {
        if count >= 8 { store(v, p); return }
        for i in 0..<count { p[i] = v[i] }
    }

    /// Loads `count ≤ 16` floats into a vector, filling the other lanes with `pad`. Whole
    /// halves are loaded as `SIMD8`s, the rest lane by lane (no memory round trip).
    @inlinable @inline(__always)
    public static func load16(_ p: UnsafePointer<Float>, count: Int, pad: Float) -> SIMD16<Float> {
        if count >= 16 { return UnsafeRawPointer(p).loadUnaligned(as: SIMD16<Float>.self) }
        if count >= 8 { return SIMD16(lowHalf: load(p), highHalf: load8(p + 8, count: count - 8, pad: pad)) }
        return SIMD16(lowHalf: load8(p, count: count, pad: pad), highHalf: SIMD8(repeating: pad))
    }

    /// Loads `count ≤ 8` floats, filling the other lanes with `pad`.
    @inlinable @inline(__always)
    public static func load8(_ p: UnsafePointer<Float>, count: Int, pad: Float) -> SIMD8<Float> {
        if count >= 8 { return load(p) }
        var v = SIMD8<Float>(repeating: pad)
        for i in 0..<count { v[i] = p[i] }
        return v
    }

    /// Stores the first `count ≤ 16` lanes of `v`.
    @inlinable @inline(__always)
    public static func store16(_ v: SIMD16<Float>, _ p: UnsafeMutablePointer<Float>, count: Int) {
        if count >= 16 { UnsafeMutableRawPointer(p).storeBytes(of: v, as: SIMD16<Float>.self); return }
        var low = v.lowHalf, rest = count, q = p
        if count >= 8 {
            store(low, p)
            low = v.highHalf
            rest -= 8
            q += 8
        }
        for i in 0..<rest { q[i] = low[i] }
    }
}
