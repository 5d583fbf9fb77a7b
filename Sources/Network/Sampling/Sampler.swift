import Autograd

/// The relaxed-sampling kernel for one row of logits (see ``SampleMode``).
///
/// Forward writes the sample into `y` and, for straight-through `gumbelHard`, the soft sample
/// whose Jacobian the backward pass uses into `soft` (otherwise `soft` may alias `y`).
/// Backward, with `p` the soft sample:
/// ```
/// ∂x_j = p_j · (∂y_j − Σ_i p_i ∂y_i) / τ
/// ```
/// Exponentials use ``VectorMath/exp(_:)``: 16 lanes at a time, and probabilities below
/// `e^−87` are exactly 0 (no subnormals at low temperature).
public enum Sampler {
    /// Samples one row. `noise` holds `n` Gumbel draws for the noisy modes.
    @inlinable
    public static func forward(
        _ x: UnsafePointer<Float>, count n: Int, tau: Float, mode: SampleMode,
        noise: UnsafePointer<Float>?, into y: UnsafeMutablePointer<Float>,
        soft: UnsafeMutablePointer<Float>
    ) {
        if n == 0 { return }
        if mode == .argmax {
            var best = 0
            for j in 1..<n where x[j] > x[best] { best = j }
            for j in 0..<n { y[j] = j == best ? 1 : 0 }
            return
        }
        let inv = 1 / tau
        var s: Float = 0
        var best = 0
        if n <= 8 {
            // The same, on eight lanes (a categorical MLP's output at k = 8): the same bits. (Not
            // generic over the vector type: that compiled to lane-by-lane code, see VectorMath.exp.)
            var z = Vector.load8(x, count: n, pad: -.infinity)
            if mode != .softmax { z += Vector.load8(noise!, count: n, pad: 0) }
            z *= inv
            let m = Vector.max(z)
            if mode == .gumbelHard { for j in 0..<n where z[j] == m { best = j; break } }
            let e = VectorMath.exp(z - m)
            s = Vector.sum(e)
            Vector.store8(e * (1 / s), soft, count: n)
        } else if n <= 16 {
            // One vector holds the row: z = (x + g)/τ, e = exp(z − max z).
            var z = Vector.load16(x, count: n, pad: -.infinity)
            if mode != .softmax { z += Vector.load16(noise!, count: n, pad: 0) }
            z *= inv
            let m = Vector.max(z)
            if mode == .gumbelHard { for j in 0..<n where z[j] == m { best = j; break } }
            let e = VectorMath.exp(z - m)
            s = Vector.sum(e)
            Vector.store16(e * (1 / s), soft, count: n)
        } else {
            var m = -Float.infinity
            for j in 0..<n {
                let z = (mode == .softmax ? x[j] : x[j] + noise![j]) * inv
                soft[j] = z
                if z > m { m = z; best = j }
            }
            var i = 0
            while i < n {
                let c = min(16, n - i)
                let e = VectorMath.exp(Vector.load16(soft + i, count: c, pad: -.infinity) - m)
                Vector.store16(e, soft + i, count: c)
                s += Vector.sum(e)
                i += 16
            }
            let r = 1 / s
            for j in 0..<n { soft[j] *= r }
        }
        if mode == .gumbelHard {
            for j in 0..<n { y[j] = j == best ? 1 : 0 }
        } else if y != soft {
            y.update(from: soft, count: n)
        }
    }

    /// Whether the sample `p` is exactly one-hot (one entry exactly 1, the others exactly 0); its
    /// Jacobian is then 0, and ``backward(soft:gradOutput:count:tau:into:)`` would add zeros.
    @inlinable
    public static func isOneHot(_ p: UnsafePointer<Float>, count n: Int) -> Bool {
        var ones = 0, zeros = 0
        for j in 0..<n {
            ones += p[j] == 1 ? 1 : 0
            zeros += p[j] == 0 ? 1 : 0
        }
        return ones == 1 && zeros == n - 1
    }

    /// Accumulates `∂x += p ⊙ (∂y − ⟨p, ∂y⟩) / τ` for one row with soft sample `p`.
    @inlinable
    public static func backward(
        soft p: UnsafePointer<Float>, gradOutput dy: UnsafePointer<Float>, count n: Int, tau: Float,
        into dx: UnsafeMutablePointer<Float>
    ) {
        let dot = Vector.dot(n, p, dy)
        let inv = 1 / tau
        for j in 0..<n { dx[j] += p[j] * (dy[j] - dot) * inv }
    }
}
