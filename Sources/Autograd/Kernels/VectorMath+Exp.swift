extension VectorMath {
    /// `eˣ` in plain arithmetic (no libm), identical on every platform; relative error below
    /// 2e-7 on the normal range. Inputs below −87.3 give exactly 0 (never a subnormal: the
    /// softmax of a very low score is flushed to zero, which keeps the kernels off the slow
    /// denormal path as τ falls); inputs above 88 are treated as 88 (the kernels only exponentiate values ≤ 0).
    ///
    /// Method: `x = n·ln 2 + r` with `|r| ≤ ln 2 / 2` (Cody–Waite split of ln 2), `eʳ` by a
    /// degree-6 Taylor polynomial in Horner form, then `2ⁿ` by building the exponent bits.
    ///
    /// ```swift
    /// VectorMath.exp(SIMD16<Float>(repeating: 1))[0]   // 2.7182817
    /// ```
    ///
    /// Computed as two eight-lane halves (``exp(_:)-(SIMD8<Float>)``): every lane goes through the
    /// same operations either way, and on AVX2 a `SIMD16<Float>` is two eight-lane registers anyway.
    @inlinable @inline(__always)
    public static func exp(_ x: SIMD16<Float>) -> SIMD16<Float> {
        SIMD16(lowHalf: exp(x.lowHalf), highHalf: exp(x.highHalf))
    }

    /// ``exp(_:)-(SIMD16<Float>)`` on eight lanes, for rows of at most eight values (a
    /// categorical MLP's output at `k` = 8) at half the work.
    @inlinable @inline(__always)
    public static func exp(_ x: SIMD8<Float>) -> SIMD8<Float> {
        let lo = SIMD8<Float>(repeating: -87.3), hi = SIMD8<Float>(repeating: 88.0)
        // Lanes below −87.3 (and −∞) become exactly 0 through a bit mask.
        let keep = unsafeBitCast(x .>= lo, to: SIMD8<UInt32>.self)
        // Clamped by masks: the standard library's `pointwiseMin`/`pointwiseMax` go lane by lane
        // and were not inlined (a call per row of the sampler). Same values for every non-NaN input.
        let xc = x.replacing(with: lo, where: x .< lo).replacing(with: hi, where: x .> hi)
        // n = round(x / ln 2) by the 1.5·2²³ trick: adding it leaves n in the low mantissa bits.
        let magic = SIMD8<Float>(repeating: 12_582_912)
        let shifted = xc * 1.442_695_04 + magic
        let n = shifted - magic
        let r = (xc - n * 0.693_145_75) - n * 1.428_606_8e-6
        var p = SIMD8<Float>(repeating: 1.0 / 720)
        p = p * r + 1.0 / 120
        p = p * r + 1.0 / 24
        p = p * r + 1.0 / 6
        p = p * r + 0.5
        p = p * r + 1
        p = p * r + 1
        let bits = (unsafeBitCast(shifted, to: SIMD8<Int32>.self) &- 0x4B40_0000 &+ 127) &<< 23
        let y = p * unsafeBitCast(bits, to: SIMD8<Float>.self)
        return unsafeBitCast(unsafeBitCast(y, to: SIMD8<UInt32>.self) & keep, to: SIMD8<Float>.self)
    }
}
