import Foundation
import Testing
@testable import Autograd

@Suite("Uniform and Gumbel noise")
struct NoiseTests {
    // Computed independently with a Python transcription of xoshiro256** (the one that
    // reproduces the pinned seed-0 draws), u = (k + ½)·2⁻²³ and g = −log(−log u) in Double.
    static let uniform42: [Float] = [0.0475887656211853, 0.08386296033859253, 0.42604416608810425,
                                     0.37898021936416626, 0.22614437341690063, 0.6800433993339539,
                                     0.014455854892730713, 0.9246929287910461]
    static let gumbel42: [Double] = [-1.1135529727002558, -0.9076822800067644, 0.15874692091809506,
                                     0.0301795899699703, -0.3964792985363599, 0.9529581905810744,
                                     -1.443774223028803, 2.5472898574193827]

    @Test("the first uniforms and Gumbel samples of seed 42 are pinned")
    func pinned() {
        var u = [Float](repeating: 0, count: 8), g = [Float](repeating: 0, count: 8)
        var a = RandomStream(seed: 42), b = RandomStream(seed: 42)
        a.fillUniform(&u, count: 8)
        b.fillGumbel(&g, count: 8)
        #expect(u == NoiseTests.uniform42, "\(u)")
        for (x, y) in zip(g, NoiseTests.gumbel42) { #expect(abs(Double(x) - y) < 2e-6, "\(g)") }
    }

    @Test("a partial block uses a whole block of draws, and odd counts agree with full blocks")
    func partialBlocks() {
        var a = RandomStream(seed: 7), b = RandomStream(seed: 7)
        var full = [Float](repeating: 0, count: 48), parts = [Float](repeating: 0, count: 48)
        a.fillGumbel(&full, count: 48)
        parts.withUnsafeMutableBufferPointer { p in
            b.fillGumbel(p.baseAddress!, count: 16)
            b.fillGumbel(p.baseAddress! + 16, count: 5)       // 16 made, 5 kept
            b.fillGumbel(p.baseAddress! + 32, count: 16)
        }
        #expect(Array(parts[0..<21]) == Array(full[0..<21]))
        #expect(Array(parts[32..<48]) == Array(full[32..<48]))
    }

    @Test("uniforms never reach 0 or 1 and cover the interval evenly")
    func uniformRange() {
        let n = 1 << 20
        var u = [Float](repeating: 0, count: n)
        var rng = RandomStream(seed: 3)
        rng.fillUniform(&u, count: n)
        #expect(u.allSatisfy { $0 > 0 && $0 < 1 })
        let mean = u.reduce(0.0) { $0 + Double($1) } / Double(n)
        #expect(abs(mean - 0.5) < 2e-3, "\(mean)")
        // The extreme values map to finite Gumbel samples.
        var extremes = SIMD16<Float>(repeating: 0x1p-24)
        extremes[1] = 1 - 0x1p-24
        let g = -VectorMath.log(-VectorMath.log(extremes))
        #expect(g[0].isFinite && g[1].isFinite && abs(g[1] - 16.635532) < 1e-4, "\(g[0]) \(g[1])")
    }

    @Test("Gumbel mean ≈ Euler–Mascheroni and variance ≈ π²/6 over 10⁶ draws")
    func gumbelMoments() {
        let n = 1_000_000
        var g = [Float](repeating: 0, count: n)
        var rng = RandomStream(seed: 11)
        rng.fillGumbel(&g, count: n)
        let mean = g.reduce(0.0) { $0 + Double($1) } / Double(n)
        let variance = g.reduce(0.0) { $0 + (Double($1) - mean) * (Double($1) - mean) } / Double(n - 1)
        // Standard errors: √(π²/6 / n) ≈ 1.3e-3 for the mean, ≈ 5e-3 for the variance.
        #expect(abs(mean - 0.5772156649) < 6e-3, "mean \(mean)")
        #expect(abs(variance - Double.pi * Double.pi / 6) < 2.5e-2, "variance \(variance)")
    }

    @Test("the vector log agrees with Foundation.log to 4e-7 relative over a sweep")
    func vectorLog() {
        // Every 2⁻¹⁴ step of the binade's mantissa, over exponents −30 … 30, plus values
        // near 1 where the log is tiny.
        var xs: [Float] = []
        for e in -30...30 {
            for i in stride(from: 0, to: 1 << 23, by: 1 << 9) {
                xs.append(Float(sign: .plus, exponent: e, significand: 1 + Float(i) * 0x1p-23))
            }
        }
        for i in 1...4096 { xs.append(1 - Float(i) * 0x1p-24); xs.append(1 + Float(i) * 0x1p-23) }
        while xs.count % 16 != 0 { xs.append(1) }
        var worst: Double = 0, at: Float = 0
        for start in stride(from: 0, to: xs.count, by: 16) {
            var v = SIMD16<Float>()
            for j in 0..<16 { v[j] = xs[start + j] }
            let y = VectorMath.log(v)
            for j in 0..<16 {
                let exact = Foundation.log(Double(v[j]))
                let err = exact == 0 ? abs(Double(y[j])) : abs(Double(y[j]) - exact) / abs(exact)
                if err > worst { worst = err; at = v[j] }
            }
        }
        #expect(worst < 4e-7, "worst relative error \(worst) at \(at)")
    }
}

@Suite("Vector and scalar noise paths")
struct NoisePathTests {
    @Test("the SIMD16 and the scalar transcriptions give the same bits")
    func sameBits() {
        for gumbel in [false, true] {
            var a = RandomStream(seed: 9), b = RandomStream(seed: 9)
            var scalar = [Float](repeating: 0, count: 16)
            var mismatches = 0
            for _ in 0..<512 {
                let v = gumbel ? a.gumbel16() : a.uniform16()
                b.noiseBlockScalar(&scalar, count: 16, gumbel: gumbel)
                for j in 0..<16 where v[j].bitPattern != scalar[j].bitPattern { mismatches += 1 }
            }
            #expect(mismatches == 0, "gumbel \(gumbel)")
        }
    }
}
