import Autograd

/// The distinct rows of a module's inputs, so that a forward pass computes each only once.
///
/// Late in training nearly every variable a module reads is exactly one-hot (the gates and the
/// samples have collapsed), so an MLP's input pairs `(a[r], b[r])` take at most `k²` values over
/// hundreds of rows. Rows whose inputs are equal *bit for bit* get bit-for-bit equal outputs (each
/// row is computed by the same arithmetic wherever it sits), so computing the distinct rows and
/// copying their outputs to the repeats changes no result.
///
/// ```
/// rows of [a | b]:  [e0 | e2] [e1 | e1] [e0 | e2] [.3 .7 | e1]
/// find      →       source = [0, 1, 0, 2], first = [0, 1, 3], 3 distinct
/// ```
enum DuplicateRows {
    /// The hash table's size for `rows` rows: a power of two at least twice `rows`.
    static func tableSize(rows: Int) -> Int {
        var size = 16
        while size < 2 * rows { size *= 2 }
        return size
    }

    /// Numbers the distinct rows of `[a[r], b[r]]` (each part `width` floats, row strides
    /// `width`) in order of first appearance: `source[r]` is row `r`'s number, `first[i]` the
    /// first row numbered `i`. Returns how many distinct rows there are. `table` is scratch of
    /// ``tableSize(rows:)`` entries.
    static func find(_ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, rows: Int, width: Int,
                     source: UnsafeMutablePointer<Int32>, first: UnsafeMutablePointer<Int32>,
                     table: UnsafeMutablePointer<Int32>) -> Int {
        let size = tableSize(rows: rows), mask = size - 1
        table.update(repeating: -1, count: size)
        let wa = UnsafeRawPointer(a).assumingMemoryBound(to: UInt32.self)
        let wb = UnsafeRawPointer(b).assumingMemoryBound(to: UInt32.self)
        @inline(__always) func equal(_ r: Int, _ s: Int) -> Bool {
            let ra = wa + r * width, sa = wa + s * width, rb = wb + r * width, sb = wb + s * width
            for c in 0..<width where ra[c] != sa[c] || rb[c] != sb[c] { return false }
            return true
        }
        var distinct = 0
        for r in 0..<rows {
            let h = hash(wa + r * width, wb + r * width, width)
            var slot = Int(truncatingIfNeeded: h) & mask
            while true {
                let i = Int(table[slot])
                if i < 0 {
                    table[slot] = Int32(distinct)
                    first[distinct] = Int32(r)
                    source[r] = Int32(distinct)
                    distinct += 1
                    break
                }
                if equal(r, Int(first[i])) {
                    source[r] = Int32(i)
                    break
                }
                slot = (slot + 1) & mask
            }
        }
        return distinct
    }

    /// A hash of the bits of one row's two parts: eight lanes at a time, each lane multiplied by
    /// its own odd constant (independent products, not a chain of dependent ones), then mixed.
    @inline(__always)
    static func hash(_ a: UnsafePointer<UInt32>, _ b: UnsafePointer<UInt32>, _ width: Int) -> UInt32 {
        let ka = SIMD8<UInt32>(0x9E37_79B1, 0x85EB_CA77, 0xC2B2_AE3D, 0x27D4_EB2F,
                               0x1656_67B1, 0xD3A2_646D, 0xFD70_46C5, 0xB55A_4F09)
        let kb = SIMD8<UInt32>(0x7FEB_352D, 0x846C_A68B, 0x2C1B_3C6D, 0x297A_2D39,
                               0x68E3_1DA5, 0xE703_7ED1, 0x8CB9_2BA7, 0xA0B4_28DB)
        var acc = SIMD8<UInt32>(repeating: 0)
        var c = 0
        while c + 8 <= width {
            let va = UnsafeRawPointer(a + c).loadUnaligned(as: SIMD8<UInt32>.self)
            let vb = UnsafeRawPointer(b + c).loadUnaligned(as: SIMD8<UInt32>.self)
            acc = (acc &* 0x0100_0193) ^ (va &* ka) ^ (vb &* kb)
            c += 8
        }
        var h = acc.wrappedSum()
        while c < width {
            h = (h ^ a[c]) &* 0x0100_0193
            h = (h ^ b[c]) &* 0x0100_0193
            c += 1
        }
        h ^= h >> 16
        h = h &* 0x7FEB_352D
        h ^= h >> 15
        return h
    }
}
