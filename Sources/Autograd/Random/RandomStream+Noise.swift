extension RandomStream {
    /// Fills `out` with `count` uniform samples from the open interval (0, 1).
    ///
    /// Each 64-bit draw gives two samples, from the top 23 bits of its low and of its high
    /// 32-bit half: `u = (k + ½) · 2⁻²³`, `k ∈ 0 ..< 2²³`. Every such `u` is an exact `Float`,
    /// symmetric about ½, and never 0 or 1 (`2⁻²⁴ ≤ u ≤ 1 − 2⁻²⁴`), so `log u` and `log(1 − u)`
    /// are always finite. Samples are made 16 at a time from 8 draws; a final partial block
    /// still uses 8 draws, so the stream's position depends only on `count`.
    public mutating func fillUniform(_ out: UnsafeMutablePointer<Float>, count: Int) {
        fill(out, count: count, gumbel: false)
    }

    /// Fills `out` with `count` samples of the standard Gumbel distribution,
    /// `g = −log(−log u)` with `u` from ``fillUniform(_:count:)`` (the same `u`, in the same
    /// order), so `g` lies in about [−2.81, 16.6].
    ///
    /// The logarithms are ``VectorMath/log(_:)-(SIMD16<Float>)``, pure arithmetic: the noise is
    /// identical on every platform. Its mean is the Euler–Mascheroni constant 0.5772 and its
    /// variance π²/6. This is the noise of the Gumbel-softmax: `argmax(x + g)` samples from
    /// `softmax(x)`.
    public mutating func fillGumbel(_ out: UnsafeMutablePointer<Float>, count: Int) {
        fill(out, count: count, gumbel: true)
    }

    @inline(__always)
    private mutating func fill(_ out: UnsafeMutablePointer<Float>, count: Int, gumbel: Bool) {
        var i = 0
        while i < count {
            let n = min(16, count - i)
            if _isDebugAssertConfiguration() {
                // Unoptimised (-Onone), SIMD16 arithmetic is about 30 times slower than scalar
                // code; the scalar transcription gives the same bits.
                noiseBlockScalar(out + i, count: n, gumbel: gumbel)
            } else {
                let v = gumbel ? gumbel16() : uniform16()
                if n == 16 {
                    UnsafeMutableRawPointer(out + i).storeBytes(of: v, as: SIMD16<Float>.self)
                } else {
                    for j in 0..<n { out[i + j] = v[j] }
                }
            }
            i += n
        }
    }

    /// 16 uniforms in (0, 1) from 8 draws (lanes `2i`, `2i + 1` from the low and high halves
    /// of draw `i`).
    @inline(__always)
    mutating func uniform16() -> SIMD16<Float> {
        let draws = SIMD8<UInt64>(next(), next(), next(), next(), next(), next(), next(), next())
        // Little-endian: lane 2i is the low half of draw i, lane 2i + 1 the high half.
        let k = unsafeBitCast(draws, to: SIMD16<UInt32>.self) &>> 9
        // The bits of 1 + k·2⁻²³, minus (1 − 2⁻²⁴), is exactly (k + ½)·2⁻²³ (Sterbenz).
        let oneToTwo = unsafeBitCast(k | SIMD16<UInt32>(repeating: 0x3F80_0000), to: SIMD16<Float>.self)
        return oneToTwo - (1 - 0x1p-24)
    }

    @inline(__always)
    mutating func gumbel16() -> SIMD16<Float> {
        -VectorMath.log(-VectorMath.log(uniform16()))
    }

    /// The scalar transcription of ``uniform16()`` / ``gumbel16()``: a block of 16 samples
    /// from 8 draws, of which the first `count` are written.
    mutating func noiseBlockScalar(_ out: UnsafeMutablePointer<Float>, count: Int, gumbel: Bool) {
        @inline(__always) func sample(_ half: UInt32) -> Float {
            let u = Float(bitPattern: (half >> 9) | 0x3F80_0000) - (1 - 0x1p-24)
            return gumbel ? -VectorMath.log(-VectorMath.log(u)) : u
        }
        for d in 0..<8 {
            let x = next()
            if 2 * d < count { out[2 * d] = sample(UInt32(truncatingIfNeeded: x)) }
            if 2 * d + 1 < count { out[2 * d + 1] = sample(UInt32(truncatingIfNeeded: x >> 32)) }
        }
    }
}
