import Foundation

/// The Adam optimiser (Kingma & Ba), with PyTorch's `torch.optim.Adam` semantics and optional
/// global gradient-norm clipping (PyTorch's `clip_grad_norm_`).
///
/// For every parameter `θ` with gradient `g`, step `t = 1, 2, …`:
///
/// ```
/// m ← β₁·m + (1 − β₁)·g
/// v ← β₂·v + (1 − β₂)·g²
/// m̂ = m / (1 − β₁ᵗ)      v̂ = v / (1 − β₂ᵗ)
/// θ ← θ − lr · m̂ / (√v̂ + ε)
/// ```
///
/// With `maxGradNorm`, before the update the gradients of *all* parameters are scaled together
/// by `maxGradNorm / (‖g‖ + 1e-6)` when their joint Euclidean norm `‖g‖` exceeds `maxGradNorm`
/// (the gradient buffers are modified in place, as in PyTorch). The moment buffers are allocated
/// once, in the initialiser, so a step allocates nothing. Parameters without a gradient buffer
/// are skipped.
///
/// ```swift
/// let w = Tensor([2], values: [1, -1], requiresGrad: true)
/// let adam = Adam(parameters: [w], learningRate: 0.1)
/// // … backward fills w.grad …
/// adam.step()          // the first step moves each weight by ≈ lr·sign(g)
/// adam.zeroGrad()
/// ```
public final class Adam {
    /// The parameters updated by ``step()``.
    public let parameters: [Tensor]
    /// The step size `lr` (may be changed between steps, e.g. by a schedule).
    public var learningRate: Float
    public let beta1: Float
    public let beta2: Float
    public let epsilon: Float
    /// When set, the joint gradient norm is clipped to this value before each step.
    public var maxGradNorm: Float?
    /// The number of steps taken so far.
    public private(set) var stepCount = 0
    /// The joint gradient norm seen by the last ``step()`` (before clipping).
    public private(set) var lastGradNorm: Float = 0

    private let firstMoments: [UnsafeMutablePointer<Float>]
    private let secondMoments: [UnsafeMutablePointer<Float>]
    private let counts: [Int]

    public init(parameters: [Tensor], learningRate: Float = 0.05, beta1: Float = 0.9,
                beta2: Float = 0.999, epsilon: Float = 1e-8, maxGradNorm: Float? = nil) {
        self.parameters = parameters
        self.learningRate = learningRate
        self.beta1 = beta1
        self.beta2 = beta2
        self.epsilon = epsilon
        self.maxGradNorm = maxGradNorm
        counts = parameters.map(\.count)
        firstMoments = counts.map { n in
            let p = Tensor.allocate(n); p.initialize(repeating: 0, count: max(n, 1)); return p
        }
        secondMoments = counts.map { n in
            let p = Tensor.allocate(n); p.initialize(repeating: 0, count: max(n, 1)); return p
        }
    }

    deinit {
        for p in firstMoments { p.deallocate() }
        for p in secondMoments { p.deallocate() }
    }

    /// The joint Euclidean norm of all parameter gradients (accumulated in `Double`).
    public func gradientNorm() -> Float {
        var total: Double = 0
        for p in parameters {
            guard let g = p.grad else { continue }
            var s: Float = 0
            for i in 0..<p.count { s += g[i] * g[i] }
            total += Double(s)
        }
        return Float(total.squareRoot())
    }

    /// Clips the gradients (when `maxGradNorm` is set) and applies one Adam update.
    public func step() {
        let mark = Profile.enter(.optimiser)
        defer { Profile.exit(mark) }
        lastGradNorm = gradientNorm()
        if let maxNorm = maxGradNorm, lastGradNorm > maxNorm {
            let c = maxNorm / (lastGradNorm + 1e-6)
            for p in parameters {
                guard let g = p.grad else { continue }
                for i in 0..<p.count { g[i] *= c }
            }
        }
        stepCount += 1
        let t = Double(stepCount)
        // Bias corrections folded into the step size and ε, computed in Double:
        // lr·m̂/(√v̂ + ε) = (lr/c₁)·m / (√v/√c₂ + ε).
        let c1 = 1 - Foundation.pow(Double(beta1), t)
        let sqrtC2 = (1 - Foundation.pow(Double(beta2), t)).squareRoot()
        let stepSize = Float(Double(learningRate) / c1)
        let invSqrtC2 = Float(1 / sqrtC2)
        let b1 = beta1, b2 = beta2, eps = epsilon
        for (index, p) in parameters.enumerated() {
            guard let g = p.grad else { continue }
            precondition(p.count == counts[index], "Adam: parameter \(index) changed size")
            let m = firstMoments[index], v = secondMoments[index], x = p.data
            for i in 0..<p.count {
                let gi = g[i]
                let mi = b1 * m[i] + (1 - b1) * gi
                let vi = b2 * v[i] + (1 - b2) * gi * gi
                m[i] = mi
                v[i] = vi
                x[i] -= stepSize * mi / ((vi.squareRoot() * invSqrtC2) + eps)
            }
        }
    }

    /// Sets every parameter's gradient to zero.
    public func zeroGrad() {
        for p in parameters { p.zeroGrad() }
    }

    /// The moment estimates `m` and `v` of every parameter, in ``parameters`` order: with
    /// ``stepCount``, all the state a later ``restore(stepCount:first:second:)`` needs to continue
    /// exactly where this optimiser stands.
    public var moments: (first: [[Float]], second: [[Float]]) {
        (zip(firstMoments, counts).map { Array(UnsafeBufferPointer(start: $0, count: $1)) },
         zip(secondMoments, counts).map { Array(UnsafeBufferPointer(start: $0, count: $1)) })
    }

    /// Puts back a state read from ``moments`` and ``stepCount``, so that the next ``step()`` is
    /// exactly the one that would have followed. Throws when the shapes do not match.
    public func restore(stepCount: Int, first: [[Float]], second: [[Float]]) throws(AdamStateError) {
        guard stepCount >= 0 else { throw AdamStateError("negative step count \(stepCount)") }
        guard first.count == counts.count, second.count == counts.count else {
            throw AdamStateError("\(first.count) moment tensors for \(counts.count) parameters")
        }
        for (index, n) in counts.enumerated() where first[index].count != n || second[index].count != n {
            throw AdamStateError("parameter \(index) has \(n) values, its saved moments \(first[index].count) and \(second[index].count)")
        }
        for (index, n) in counts.enumerated() where n > 0 {
            first[index].withUnsafeBufferPointer { firstMoments[index].update(from: $0.baseAddress!, count: n) }
            second[index].withUnsafeBufferPointer { secondMoments[index].update(from: $0.baseAddress!, count: n) }
        }
        self.stepCount = stepCount
    }
}

/// A saved optimiser state that does not fit the parameters it is restored to.
public struct AdamStateError: Error, CustomStringConvertible, Sendable {
    public let description: String
    public init(_ description: String) { self.description = description }
}
