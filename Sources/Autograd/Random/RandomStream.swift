import Foundation

/// A seeded, portable pseudo-random generator: xoshiro256** seeded through SplitMix64.
///
/// The stream depends only on `(seed, stream)`, never on the platform, the thread or the
/// order in which other streams are used, so a training run is reproducible bit for bit.
/// Independent streams (one per batch chunk and step, say) come from distinct `stream` ids:
///
/// ```swift
/// var rng = RandomStream(seed: 0)
/// rng.next()            // 0x99EC5F36CB75F2B4 (pinned in the tests)
/// var chunk = RandomStream(seed: 0, stream: 7)   // an independent stream
/// ```
public struct RandomStream: Sendable {
    @usableFromInline var s0: UInt64
    @usableFromInline var s1: UInt64
    @usableFromInline var s2: UInt64
    @usableFromInline var s3: UInt64

    /// Creates the generator for `seed` and the sub-stream `stream`.
    public init(seed: UInt64, stream: UInt64 = 0) {
        var x = seed ^ (stream &* 0xD1B5_4A32_D192_ED03)
        s0 = SplitMix64.next(&x)
        s1 = SplitMix64.next(&x)
        s2 = SplitMix64.next(&x)
        s3 = SplitMix64.next(&x)
    }

    /// The next 64 random bits (xoshiro256**).
    @inlinable @inline(__always)
    public mutating func next() -> UInt64 {
        let result = ((s1 &* 5) << 7 | (s1 &* 5) >> 57) &* 9
        let t = s1 << 17
        s2 ^= s0
        s3 ^= s1
        s1 ^= s2
        s0 ^= s3
        s2 ^= t
        s3 = (s3 << 45) | (s3 >> 19)
        return result
    }

    /// A uniform `Float` in `[0, 1)` with 24 random bits.
    @inlinable @inline(__always)
    public mutating func uniform() -> Float {
        Float(next() >> 40) * 0x1p-24
    }

    /// A uniform `Double` in `[0, 1)` with 53 random bits.
    @inlinable
    public mutating func uniformDouble() -> Double {
        Double(next() >> 11) * 0x1p-53
    }

    /// A uniform integer in `0 ..< bound` (Lemire's unbiased multiply-shift).
    @inlinable
    public mutating func int(below bound: Int) -> Int {
        precondition(bound > 0, "bound must be positive")
        let b = UInt64(bound)
        var m = next().multipliedFullWidth(by: b)
        if m.low < b {
            let threshold = (0 &- b) % b
            while m.low < threshold { m = next().multipliedFullWidth(by: b) }
        }
        return Int(m.high)
    }

    /// A uniform integer in `range`.
    @inlinable
    public mutating func int(in range: ClosedRange<Int>) -> Int {
        range.lowerBound + int(below: range.upperBound - range.lowerBound + 1)
    }

    /// A standard normal sample (Box–Muller, computed in `Double` for portability).
    public mutating func normal() -> Float {
        var u1 = uniformDouble()
        while u1 <= 0 { u1 = uniformDouble() }
        let u2 = uniformDouble()
        return Float((-2 * Foundation.log(u1)).squareRoot() * Foundation.cos(2 * Double.pi * u2))
    }

    /// Shuffles `array` in place (Fisher–Yates, from the end).
    public mutating func shuffle<T>(_ array: inout [T]) {
        guard array.count > 1 else { return }
        for i in stride(from: array.count - 1, to: 0, by: -1) {
            let j = int(below: i + 1)
            if i != j { array.swapAt(i, j) }
        }
    }
}

/// SplitMix64, used to expand a seed into generator state.
public enum SplitMix64 {
    /// Advances `state` and returns the next output.
    @inlinable
    public static func next(_ state: inout UInt64) -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
