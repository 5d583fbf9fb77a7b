import Foundation

extension Tape {
    /// The mean cross-entropy of `logits` (`[rows, C]`, unnormalised) against integer `targets`
    /// (one per row), skipping rows whose target is `ignoreIndex` (padding, say).
    ///
    /// Without `perSequence`, every non-ignored row weighs the same:
    ///
    /// ```
    /// ℓ_r = log Σ_j exp(logits[r, j]) − logits[r, targets[r]]
    /// L   = (1 / N) · Σ_{r not ignored} ℓ_r          N = the number of non-ignored rows
    /// ```
    ///
    /// With `perSequence: T`, the rows are consecutive sequences of `T` rows each
    /// (`rows` must be a multiple of `T`). Each sequence is first averaged over its own
    /// non-ignored rows, then the sequences are averaged, so a long sequence counts no more
    /// than a short one:
    ///
    /// ```
    /// L = (1 / S) · Σ_s (1 / n_s) · Σ_{r in s, not ignored} ℓ_r
    /// ```
    /// where `n_s` is the number of non-ignored rows of sequence `s` and the mean runs over the
    /// `S` sequences with `n_s > 0` (a sequence with nothing to predict is left out rather
    /// than counted as zero). When no row at all is scored, `L = 0` and the gradient is zero.
    ///
    /// For example, logits `[[0, 0], [2, 0]]` with targets `[1, 0]` (and `ignoreIndex: -1`)
    /// give `L = (log 2 + log(1 + e⁻²)) / 2 ≈ 0.4100`.
    ///
    /// The gradient is `∂logits[r, j] = ∂L · w_r · (softmax(logits[r])_j − [j = targets[r]])`,
    /// with `w_r` the row's weight in the mean above (0 for ignored rows).
    public func crossEntropy(_ logits: Tensor, targets: [Int32], ignoreIndex: Int32 = 0,
                             perSequence: Int? = nil) -> Tensor {
        precondition(logits.shape.count == 2, "crossEntropy: logits must be [rows, classes], got \(logits.shape)")
        let rows = logits.shape[0], classes = logits.shape[1]
        precondition(targets.count == rows, "crossEntropy: \(targets.count) targets for \(rows) rows")
        let sequenceLength = perSequence ?? max(rows, 1)
        precondition(sequenceLength > 0 && rows % sequenceLength == 0,
                     "crossEntropy: \(rows) rows are not whole sequences of \(sequenceLength)")
        // Per-row weights w_r of the mean (0 for ignored rows).
        let weights = tensor(count: rows)
        let w = weights.data
        var scoredSequences = 0
        targets.withUnsafeBufferPointer { t in
            for s in 0..<(rows / sequenceLength) {
                var scored = 0
                for r in (s * sequenceLength)..<((s + 1) * sequenceLength) where t[r] != ignoreIndex {
                    precondition(t[r] >= 0 && Int(t[r]) < classes,
                                 "crossEntropy: target \(t[r]) outside 0..<\(classes)")
                    scored += 1
                }
                let weight = scored > 0 ? 1 / Float(scored) : 0
                for r in (s * sequenceLength)..<((s + 1) * sequenceLength) {
                    w[r] = t[r] != ignoreIndex ? weight : 0
                }
                if scored > 0 { scoredSequences += 1 }
            }
        }
        if perSequence == nil {
            // One "sequence" holding every row: w_r = 1/N already.
        } else if scoredSequences > 0 {
            let inv = 1 / Float(scoredSequences)
            for r in 0..<rows { w[r] *= inv }
        }
        let y = tensor(count: 1, grad: needsGrad(logits))
        let x = logits.data
        var loss: Double = 0
        targets.withUnsafeBufferPointer { t in
            for r in 0..<rows where w[r] != 0 {
                let xr = x + r * classes
                let lse = Rows.logSumExp(xr, count: classes)
                loss += Double(w[r]) * Double(lse - xr[Int(t[r])])
            }
        }
        y.data[0] = Float(loss)
        if let gy = y.grad {
            record {
                let gx = logits.grad!, g = gy[0]
                targets.withUnsafeBufferPointer { t in
                    for r in 0..<rows where w[r] != 0 {
                        let xr = x + r * classes, gxr = gx + r * classes
                        let m = Rows.max(xr, count: classes)
                        var s: Float = 0
                        for j in 0..<classes { s += Foundation.exp(xr[j] - m) }
                        let scale = g * w[r] / s
                        for j in 0..<classes { gxr[j] += scale * Foundation.exp(xr[j] - m) }
                        gxr[Int(t[r])] -= g * w[r]
                    }
                }
            }
        }
        return y
    }
}
