import Autograd

extension Tape {
    /// Sentence classification: the mean of each sequence's per-position logits over its tokens,
    /// `y[s] = (1/n_s) Σ_{i < n_s} logits[s·N + i]`, shape `[sequences, C]` (the label is scored
    /// at position 0). Backward: `∂logits[s·N + i] += ∂y[s] / n_s` for `i < n_s`.
    public func poolSequences(_ logits: Tensor, batch: SequenceBatch) -> Tensor {
        let c = logits.shape[1], n = batch.length
        let y = tensor([batch.sequences, c], zero: true, grad: needsGrad(logits))
        for s in 0..<batch.sequences {
            let length = batch.lengths[s], out = y.data + s * c
            for i in 0..<length { Vector.add(c, logits.data + (s * n + i) * c, out) }
            let inv = 1 / Float(max(length, 1))
            for j in 0..<c { out[j] *= inv }
        }
        if let gy = y.grad {
            record {
                let gx = logits.grad!
                for s in 0..<batch.sequences {
                    let length = batch.lengths[s], inv = 1 / Float(max(length, 1))
                    for i in 0..<length { Vector.axpy(c, inv, gy + s * c, gx + (s * n + i) * c) }
                }
            }
        }
        return y
    }
}
