/// Compares the tape's gradients with central finite differences.
///
/// The scalar checked is a random projection of the output, `L = Σ_i r_i · y_i` with fixed
/// random `r`, so every output element matters and no symmetric cancellation hides an error.
/// For each input element `x`, `(L(x + ε) − L(x − ε)) / 2ε` is compared with `∂L/∂x` from the
/// tape. `L` is summed in `Double`; the forward pass itself runs in Float32, so tolerances
/// must allow for Float32 rounding (`ε ≈ 1e-2`, errors around `1e-3` relative).
public enum GradientCheck {
    /// The outcome of a check.
    public struct Report: Sendable, CustomStringConvertible {
        /// The largest `|analytic − numeric| / max(1, |analytic|, |numeric|)`.
        public var maxError: Double
        /// Where it occurred: input index and element index.
        public var worst: (input: Int, element: Int, analytic: Double, numeric: Double)
        /// The number of elements compared.
        public var checked: Int
        public var description: String {
            "max error \(maxError) at input \(worst.input)[\(worst.element)] "
                + "(analytic \(worst.analytic), numeric \(worst.numeric)); \(checked) elements"
        }
    }

    /// Runs the check. `build` must compute the same function every time it is called (fix any
    /// random noise inside it by re-seeding).
    public static func run(inputs: [Tensor], epsilon: Float = 1e-2, seed: UInt64 = 1,
                           build: (Tape) -> Tensor) -> Report {
        for x in inputs where x.grad == nil { x.enableGrad() }
        for x in inputs { x.zeroGrad() }
        let tape = Tape()
        let y = build(tape)
        var rng = RandomStream(seed: seed)
        let r = (0..<y.count).map { _ in Double(rng.uniform() * 2 - 1) }
        guard let gy = y.grad else {
            return Report(maxError: .infinity, worst: (0, 0, 0, 0), checked: 0)
        }
        for i in 0..<y.count { gy[i] = Float(r[i]) }
        tape.backward(y, seeded: true)
        let analytic = inputs.map { $0.gradient }

        func loss() -> Double {
            let t = Tape(recording: false)
            let out = build(t)
            var s: Double = 0
            for i in 0..<out.count { s += r[i] * Double(out.data[i]) }
            return s
        }
        var report = Report(maxError: 0, worst: (0, 0, 0, 0), checked: 0)
        for (xi, x) in inputs.enumerated() {
            for e in 0..<x.count {
                let saved = x.data[e]
                x.data[e] = saved + epsilon
                let lp = loss()
                x.data[e] = saved - epsilon
                let lm = loss()
                x.data[e] = saved
                let numeric = (lp - lm) / (2 * Double(epsilon))
                let a = Double(analytic[xi][e])
                let err = abs(a - numeric) / max(1, abs(a), abs(numeric))
                report.checked += 1
                if err > report.maxError || report.checked == 1 {
                    report.maxError = max(err, report.maxError)
                    if err >= report.maxError { report.worst = (xi, e, a, numeric) }
                }
            }
        }
        return report
    }
}
