/// The 64-bit FNV-1a hash: start from the offset basis, then for each unit xor it in and
/// multiply by the FNV prime. Behind the NLP data fingerprint (bytes) and the training state's
/// checksum (8-byte words); neither is meant to resist deliberate forgery.
///
/// ```swift
/// var h = FNV1a()
/// for byte in "a".utf8 { h.mix(byte) }
/// h.hex   // "af63dc4c8601ec8c"
/// ```
public struct FNV1a: Sendable {
    public private(set) var value: UInt64 = 0xcbf2_9ce4_8422_2325

    public init() {}

    /// Mixes in one byte.
    public mutating func mix(_ byte: UInt8) { mix(word: UInt64(byte)) }

    /// Mixes in one 64-bit unit (a word-wise variant for speed over large buffers).
    public mutating func mix(word: UInt64) { value = (value ^ word) &* 0x0000_0100_0000_01b3 }

    /// `value` in 16 hexadecimal digits.
    public var hex: String { Self.hex(value) }

    /// `value` in 16 hexadecimal digits, leading zeros kept.
    public static func hex(_ value: UInt64) -> String {
        let digits = String(value, radix: 16)
        return String(repeating: "0", count: 16 - digits.count) + digits
    }
}
