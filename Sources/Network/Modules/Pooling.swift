import Autograd

extension Tape {
    /// Sentence classification: the sum of each sequence's per-position logits over its tokens,
    /// divided by its length `n_s` or, when `divisor` is given, by that fixed `D`:
    /// `y[s] = (1/D_s) Σ_{i < n_s} logits[s·N + i]` with `D_s = D ?? n_s`, shape `[sequences, C]`
    /// (the label is scored at position 0). Backward: `∂logits[s·N + i] += ∂y[s] / D_s` for `i < n_s`.
    ///
    /// The original divides by the padded length (`mean` over all `N` positions after zeroing the
    /// pads), so its logits are scaled by `n_s/N`: the label (the argmax) is the same, the loss
    /// is not. For `<s> good film </s>` padded to `D = 8`, `y = (ℓ₀ + ℓ₁ + ℓ₂ + ℓ₃)/8`.
    public func poolSequences(_ logits: Tensor, batch: SequenceBatch, divisor: Int? = nil) -> Tensor {
        let c = logits.shape[1], n = batch.length
        let y = tensor(rows: batch.sequences, cols: c, zero: true, grad: needsGrad(logits))
        for s in 0..<batch.sequences {
            let length = batch.lengths[s], out = y.data + s * c
            for i in 0..<length { Vector.add(c, logits.data + (s * n + i) * c, out) }
            let inv = 1 / Float(max(divisor ?? length, 1))
            for j in 0..<c { out[j] *= inv }
        }
        if let gy = y.grad {
            record {
                let gx = logits.grad!
                for s in 0..<batch.sequences {
                    let length = batch.lengths[s], inv = 1 / Float(max(divisor ?? length, 1))
                    for i in 0..<length { Vector.axpy(c, inv, gy + s * c, gx + (s * n + i) * c) }
                }
            }
        }
        return y
    }
}
