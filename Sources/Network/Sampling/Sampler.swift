import Autograd

/// The relaxed-sampling kernel for one row of logits (see ``SampleMode``).
///
/// Forward writes the sample into `y` and, for straight-through `gumbelHard`, the soft sample
/// whose Jacobian the backward pass uses into `soft` (otherwise `soft` may alias `y`).
/// Backward, with `p` the soft sample:
/// ```
/// ∂x_j = p_j · (∂y_j − Σ_i p_i ∂y_i) / τ
/// ```
public enum Sampler {
    /// Samples one row. `noise` holds `n` Gumbel draws for the noisy modes.
    @inlinable
    public static func forward(
        _ x: UnsafePointer<Float>, count n: Int, tau: Float, mode: SampleMode,
        noise: UnsafePointer<Float>?, into y: UnsafeMutablePointer<Float>,
        soft: UnsafeMutablePointer<Float>
    ) {
        switch mode {
        case .argmax:
            var best = 0
            for j in 1..<max(n, 1) where x[j] > x[best] { best = j }
            for j in 0..<n { y[j] = j == best ? 1 : 0 }
        case .softmax, .gumbelSoft, .gumbelHard:
            let inv = 1 / tau
            var m = -Float.infinity
            for j in 0..<n {
                let z = (mode == .softmax ? x[j] : x[j] + noise![j]) * inv
                soft[j] = z
                if z > m { m = z }
            }
            var s: Float = 0
            var best = 0
            for j in 0..<n {
                if soft[j] > soft[best] { best = j }
                let e = expf(soft[j] - m)
                soft[j] = e
                s += e
            }
            let r = 1 / s
            for j in 0..<n { soft[j] *= r }
            if mode == .gumbelHard {
                for j in 0..<n { y[j] = j == best ? 1 : 0 }
            } else if y != soft {
                y.update(from: soft, count: n)
            }
        }
    }

    /// Accumulates `∂x += p ⊙ (∂y − ⟨p, ∂y⟩) / τ` for one row with soft sample `p`.
    @inlinable
    public static func backward(
        soft p: UnsafePointer<Float>, gradOutput dy: UnsafePointer<Float>, count n: Int, tau: Float,
        into dx: UnsafeMutablePointer<Float>
    ) {
        var dot: Float = 0
        for j in 0..<n { dot += p[j] * dy[j] }
        let inv = 1 / tau
        for j in 0..<n { dx[j] += p[j] * (dy[j] - dot) * inv }
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
