import Autograd

/// The canonical arithmetic of the discrete model's MLPs and classifier.
///
/// Once every choice is fixed, an MLP is a function of two input values and the classifier a sum
/// of per-(variable, value) weights. Both are computed here in one fixed order, and *both* the
/// network's argmax mode and the program (its MLP tables, its classifier) use exactly this code
/// or its transcription, so network, interpreter and emitted Python agree bit for bit, near-ties
/// included:
///
/// - MLP: `h_j = max(0, (W_in[j, a] + W_in[j, k + b]) + b_in[j])` for categorical inputs (values
///   `a`, `b`), `h_j = max(0, (W_in[j, 0]·x + W_in[j, 1]·y) + b_in[j])` for numerical ones, then
///   `o_c = b_out[c] + Σ_j W_out[c, j]·h_j` summed in order of `j`, all in Float32; the output is
///   the first `c` with the largest `o_c` (log-softmax is monotone, so this is the argmax of the
///   sampled distribution).
/// - Classifier: `logit_c = Σ_v U[v, value_v, c] + Σ_u x_u · U[u, c]` in Float64, categorical
///   variables in stream order, then numerical ones, starting from 0; the label is the first
///   unmasked class with the largest logit. Python's floats are Float64, so the emitted program
///   repeats the very same additions.
public enum Discrete {
    /// The output value of a discrete MLP. `a`, `b` are value indices (categorical MLP, `w = k`)
    /// or the input numbers (numerical MLP, `w = 1`).
    @inlinable
    public static func mlpOutput(inWeight: UnsafePointer<Float>, inBias: UnsafePointer<Float>,
                                 outWeight: UnsafePointer<Float>, outBias: UnsafePointer<Float>,
                                 hidden d: Int, outputs k: Int, inputWidth w: Int, _ a: Float, _ b: Float) -> Int {
        withUnsafeTemporaryAllocation(of: Float.self, capacity: d) { h in
            for j in 0..<d {
                let row = inWeight + j * 2 * w
                let pre: Float = w == 1 ? row[0] * a + row[1] * b : row[Int(a)] + row[w + Int(b)]
                h[j] = max(0, pre + inBias[j])
            }
            var best = 0
            var bestValue = -Float.infinity
            for c in 0..<k {
                var o = outBias[c]
                let wc = outWeight + c * d
                for j in 0..<d { o += wc[j] * h[j] }
                if o > bestValue { bestValue = o; best = c }
            }
            return best
        }
    }

    /// The label of one position: `catValues[v]` is the value of categorical variable `v`
    /// (`nil` when the variable is empty, at a `<pad>` position), `numValues[u]` numerical `u`.
    /// `catWeight` is `[M_cat·k, C]`, `numWeight` `[M_num, C]`.
    @inlinable
    public static func label(catValues: UnsafePointer<Int32>, catCount: Int, numValues: UnsafePointer<Float>,
                             numCount: Int, width k: Int, catWeight: UnsafePointer<Float>,
                             numWeight: UnsafePointer<Float>, classes: Int, masked: [Bool],
                             logits: UnsafeMutablePointer<Double>) -> Int {
        for c in 0..<classes { logits[c] = 0 }
        for v in 0..<catCount where catValues[v] >= 0 {
            let row = catWeight + (v * k + Int(catValues[v])) * classes
            for c in 0..<classes { logits[c] += Double(row[c]) }
        }
        for u in 0..<numCount {
            let x = Double(numValues[u]), row = numWeight + u * classes
            for c in 0..<classes { logits[c] += x * Double(row[c]) }
        }
        return argmax(UnsafeBufferPointer(start: logits, count: classes), masked: masked)
    }

    /// The first unmasked class with the largest logit.
    @inlinable
    public static func argmax<C: Collection<Double>>(_ logits: C, masked: [Bool]) -> Int where C.Index == Int {
        var best = -1
        for c in logits.indices where !masked[c] {
            if best < 0 || logits[c] > logits[best] { best = c }
        }
        return max(best, 0)
    }
}
