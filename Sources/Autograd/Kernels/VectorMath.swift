/// Elementary functions on `SIMD16<Float>` written in plain arithmetic (no libm, no fused
/// multiply-add), so they vectorise and give the same bits on every platform.
public enum VectorMath {
    /// The natural logarithm of positive, normal, finite values (zero, negatives, subnormals,
    /// infinities and NaN are not handled).
    ///
    /// The method of Arm's optimized-routines `v_logf`: write `x = 2ⁿ · (1 + r)` with
    /// `2/3 ≤ 1 + r < 4/3` by integer arithmetic on the bits, then
    ///
    /// ```
    /// log x = n · ln 2 + r + r² · (P1 + r·P2 + … + r⁶·P7)
    /// ```
    /// with their minimax coefficients (3.34 ulp with FMA; within 4e-7 relative error
    /// here, see the tests). Since `r` is exact, the result stays accurate relative to itself
    /// near `x = 1`: `log(1 − 2⁻²⁴) ≈ −5.96e-8` to 7 digits.
    @inlinable @inline(__always)
    public static func log(_ x: SIMD16<Float>) -> SIMD16<Float> {
        let offset: SIMD16<UInt32> = .init(repeating: 0x3F2A_AAAB)   // bits of ≈ 2/3
        let u = unsafeBitCast(x, to: SIMD16<UInt32>.self) &- offset
        let n = SIMD16<Float>(unsafeBitCast(u, to: SIMD16<Int32>.self) &>> 23)
        let m = (u & SIMD16<UInt32>(repeating: 0x007F_FFFF)) &+ offset
        let r = unsafeBitCast(m, to: SIMD16<Float>.self) - 1
        let r2 = r * r
        let p = (r * 0x1.5a9aa2p-3 - 0x1.4f9934p-3) + r2 * -0x1.3e737cp-3   // P6·r + P5 + P7·r²
        let q = (r * 0x1.961348p-3 - 0x1.00187cp-2) + r2 * p                // P4·r + P3 + …
        let y = (r * 0x1.555d7cp-2 - 0x1.ffffc8p-2) + r2 * q                // P2·r + P1 + …
        return (n * 0x1.62e43p-1 + r) + r2 * y
    }

    /// The scalar transcription of ``log(_:)-(SIMD16<Float>)``: the same operations in the same
    /// order, hence the same bits.
    @inlinable @inline(__always)
    public static func log(_ x: Float) -> Float {
        let u = x.bitPattern &- 0x3F2A_AAAB
        let n = Float(Int32(bitPattern: u) &>> 23)
        let r = Float(bitPattern: (u & 0x007F_FFFF) &+ 0x3F2A_AAAB) - 1
        let r2 = r * r
        let p = (r * 0x1.5a9aa2p-3 - 0x1.4f9934p-3) + r2 * -0x1.3e737cp-3
        let q = (r * 0x1.961348p-3 - 0x1.00187cp-2) + r2 * p
        let y = (r * 0x1.555d7cp-2 - 0x1.ffffc8p-2) + r2 * q
        return (n * 0x1.62e43p-1 + r) + r2 * y
    }
}
