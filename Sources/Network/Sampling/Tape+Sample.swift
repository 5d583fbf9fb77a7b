import Autograd

extension Tape {
    /// Samples every row of `logits` (`[rows, n]`, rows over the last axis) with ``SampleMode``
    /// at temperature `tau`, drawing Gumbel noise from `rng` for the noisy modes.
    ///
    /// This is the sampler applied to the read gates (`π = sample(φ, τ)`) and to the predicate
    /// rows (`W = sample(ψ, τ)`), once per training step.
    public func sample(_ logits: Tensor, tau: Float, mode: SampleMode, rng: inout RandomStream) -> Tensor {
        let mark = Profile.enter(.sampling)
        defer { Profile.exit(mark) }
        let n = logits.shape.last ?? 1
        let rows = logits.count / max(n, 1)
        let differentiable = mode.isDifferentiable
        let y = tensor(logits.shape, grad: differentiable && needsGrad(logits))
        let soft = mode == .gumbelHard ? tensor(logits.shape) : y
        let noise = mode.isNoisy ? tensor(logits.shape) : nil
        if let noise { rng.fillGumbel(noise.data, count: noise.count) }
        for r in 0..<rows {
            Sampler.forward(logits.data + r * n, count: n, tau: tau, mode: mode,
                            noise: noise.map { UnsafePointer($0.data + r * n) },
                            into: y.data + r * n, soft: soft.data + r * n)
        }
        if let gy = y.grad {
            record {
                let mark = Profile.enter(.sampling)
                defer { Profile.exit(mark) }
                let gx = logits.grad!
                for r in 0..<rows {
                    Sampler.backward(soft: soft.data + r * n, gradOutput: gy + r * n, count: n,
                                     tau: tau, into: gx + r * n)
                }
            }
        }
        return y
    }
}
