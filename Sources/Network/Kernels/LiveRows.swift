import Autograd

/// The rows of a gradient that are not all zero, and the packing of a backward pass onto them.
///
/// A sample that is exactly one-hot passes no gradient back: the sampler's Jacobian is
/// `∂x_j = p_j (∂y_j − ⟨p, ∂y⟩) / τ`, and with `p = e_i` that is `(∂y_i − ∂y_i)` at `i` and
/// `0 · (…)` elsewhere. Late in training nearly every attention row and MLP output is one-hot
/// (in a sort run, about 81% of MLP rows around epoch 100 and 99% at the end), so a module's backward
/// products run over the other rows only, gathered together. A skipped row would only add zeros
/// to the weight gradients' sums, so every sum, and every result, stays the same.
///
/// ```
/// rows of ∂o:   [0 0 0] [.1 −.1 0] [0 0 0] [0 .2 −.2]
/// find      →   index = [1, 3], count 2
/// compact   →   ∂o = [.1 −.1 0] [0 .2 −.2] …  (the first `count` rows)
/// ```
enum LiveRows {
    /// Writes the indices of the rows of `g` (`[rows, width]`) that hold a non-zero into `index`
    /// and returns how many there are.
    static func find(_ g: UnsafePointer<Float>, rows: Int, width: Int,
                     into index: UnsafeMutablePointer<Int32>) -> Int {
        var count = 0
        for r in 0..<rows {
            // The OR of the magnitudes' bits, without a branch per value (−0 counts as zero).
            let row = UnsafeRawPointer(g + r * width).assumingMemoryBound(to: UInt32.self)
            var bits: UInt32 = 0
            for c in 0..<width { bits |= row[c] & 0x7fff_ffff }
            index[count] = Int32(r)
            count += bits != 0 ? 1 : 0
        }
        return count
    }

    /// Moves rows `index[0..<count]` of `x` (`[rows, width]`) to rows `0..<count`, in place
    /// (`index` is increasing, so no row is overwritten before it is moved).
    static func compact(_ x: UnsafeMutablePointer<Float>, width: Int, index: UnsafePointer<Int32>, count: Int) {
        for i in 0..<count where Int(index[i]) != i {
            (x + i * width).update(from: x + Int(index[i]) * width, count: width)
        }
    }

    /// `into[i] = x[index[i]]` for `i < count` (rows of `width`).
    static func gather(_ x: UnsafePointer<Float>, width: Int, index: UnsafePointer<Int32>, count: Int,
                       into y: UnsafeMutablePointer<Float>) {
        for i in 0..<count { (y + i * width).update(from: x + Int(index[i]) * width, count: width) }
    }

    /// `into[index[i]] += x[i]` for `i < count` (rows of `width`).
    static func scatterAdd(_ x: UnsafePointer<Float>, width: Int, index: UnsafePointer<Int32>, count: Int,
                           into y: UnsafeMutablePointer<Float>) {
        for i in 0..<count { Vector.add(width, x + i * width, y + Int(index[i]) * width) }
    }
}
