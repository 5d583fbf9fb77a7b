import Foundation
import Testing
@testable import Autograd

@Suite("Vectorised exp")
struct VectorMathExpTests {
    @Test("exp matches Foundation's within 3e-7 relative over [−87, 87.9]")
    func accuracy() {
        var worst: Double = 0, at: Float = 0
        var x: Float = -87
        while x < 87.9 {
            var v = SIMD16<Float>()
            for i in 0..<16 { v[i] = x + Float(i) * 0.0007 }
            let e = VectorMath.exp(v)
            for i in 0..<16 {
                let ref = Foundation.exp(Double(v[i]))
                let err = abs(Double(e[i]) - ref) / ref
                if err > worst { worst = err; at = v[i] }
            }
            x += 0.0173
        }
        #expect(worst < 3e-7, "worst relative error \(worst) at \(at)")
    }

    @Test("very low inputs flush to exactly zero, high ones saturate, e¹ is e")
    func edges() {
        let e = VectorMath.exp(SIMD16<Float>(-1000, -88, -87.5, 1, 0, 89, 200, -.infinity, 0, 0, 0, 0, 0, 0, 0, 0))
        #expect(e[0] == 0 && e[1] == 0 && e[2] == 0)
        #expect(abs(e[3] - 2.7182817) < 1e-6)
        #expect(e[4] == 1)
        #expect(e[5] == e[6] && e[5] > 1e38)
        #expect(e[7] == 0)
    }
}
