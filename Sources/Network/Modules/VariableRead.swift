import Autograd

/// Reads variables from the residual stream through learned gates (the paper's `ConstrainedRead`).
///
/// Parameters: logits `φ ∈ R^{g×m}` for `g` gates over the `m` variables of one kind. Each step
/// the gates are sampled, `π = sample(φ, τ)` row-wise, and gate `r` reads
/// ```
/// read_r(x) = Σ_j π_rj · x[var j]          (a weighted sum of blocks of width w)
/// ```
/// — not as a dense `(w × m·w)` matrix product: same result, `w` times fewer operations.
/// Discrete (`π = onehot(argmax φ)`), a gate reads exactly one variable: the program's
/// `attn_0_1(positions, tokens)` names come from these argmaxes.
public struct VariableRead {
    /// Gate logits `[gates, m]`.
    public let logits: Tensor
    public var gates: Int { logits.shape[0] }
    public var variables: Int { logits.shape[1] }

    /// Gates over `variables` variables, initialised `N(0, 1)/√m`.
    public init(gates: Int, variables: Int, rng: inout RandomStream) {
        let scale = 1 / Float(variables).squareRoot()
        logits = Tensor([gates, variables], values: (0..<gates * variables).map { _ in rng.normal() * scale },
                        requiresGrad: true)
    }

    /// The variable each gate reads once discrete.
    public var argmax: [Int] {
        (0..<gates).map { g in
            var best = 0
            for j in 1..<variables where logits[g, j] > logits[g, best] { best = j }
            return best
        }
    }
}

extension Tape {
    /// Reads gate `gate` of `pi` (`[gates, m]`) from `stream` (`[rows, M·w]`, `M ≥ m` variables of
    /// width `w`): `y[r] = Σ_{j<m} π_j · stream[r, j]`, shape `[rows, w]`.
    ///
    /// Backward: `∂stream[r, j] += π_j ∂y[r]` and `∂π_j += Σ_r ⟨stream[r, j], ∂y[r]⟩`.
    ///
    /// With `sparseGradient` (the gates come from `softmax` or `gumbelSoft`), `∂π_j` is left out
    /// where `π_j` is exactly 0: the sampler's backward multiplies it by `π_j`, so it cannot
    /// matter, and late in training most gates are exactly one-hot.
    public func readVariables(_ stream: Tensor, width w: Int, gates pi: Tensor, gate: Int,
                              sparseGradient: Bool = false) -> Tensor {
        let m = pi.shape[1]
        let rows = stream.shape[0], stride = stream.shape[1]
        precondition(m * w <= stride, "read of \(m) variables from a stream of \(stride / w)")
        let y = tensor([rows, w], zero: true, grad: needsGrad(stream, pi))
        let p = pi.data + gate * m
        // Only the variables with a non-zero weight are touched (all but one once discrete).
        var active = [Int]()
        active.reserveCapacity(m)
        for j in 0..<m where p[j] != 0 { active.append(j) }
        for r in 0..<rows {
            let src = stream.data + r * stride, dst = y.data + r * w
            for j in active { Vector.axpy(w, p[j], src + j * w, dst) }
        }
        if let gy = y.grad {
            record {
                if let gs = stream.grad {
                    for r in 0..<rows {
                        let dst = gs + r * stride, src = gy + r * w
                        for j in active { Vector.axpy(w, p[j], src, dst + j * w) }
                    }
                }
                if let gp = pi.grad {
                    // ∂π_j = Σ_r ⟨stream[r, j], ∂y[r]⟩, accumulated in a per-variable buffer.
                    let acc = UnsafeMutablePointer<Float>.allocate(capacity: m)
                    acc.initialize(repeating: 0, count: m)
                    let needed = sparseGradient ? active : Array(0..<m)
                    for r in 0..<rows {
                        let x = stream.data + r * stride, g = gy + r * w
                        for j in needed { acc[j] += Vector.dot(w, x + j * w, g) }
                    }
                    for j in 0..<m { gp[gate * m + j] += acc[j] }
                    acc.deallocate()
                }
            }
        }
        return y
    }
}
