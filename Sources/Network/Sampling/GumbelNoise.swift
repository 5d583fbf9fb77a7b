import Autograd
import Foundation

/// Gumbel(0, 1) noise, `g = −log(−log u)` with `u` uniform in (0, 1).
public enum GumbelNoise {
    /// Writes `count` draws from `rng` into `out`.
    @inlinable
    public static func fill(_ out: UnsafeMutablePointer<Float>, count: Int, rng: inout RandomStream) {
        for i in 0..<count {
            // 23 random bits + ½: u ∈ [2⁻²⁴, 1 − 2⁻²⁴], exactly representable, never 0 or 1.
            let u = (Float(rng.next() >> 41) + 0.5) * 0x1p-23
            out[i] = -logf(-logf(u))
        }
    }
}
