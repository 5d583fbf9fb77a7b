import Testing
@testable import Autograd

/// A random shape: `rank` extents drawn from `1...maxExtent`.
func randomShape(rank: Int, maxExtent: Int = 5, seed: UInt64) -> [Int] {
    var rng = RandomStream(seed: seed, stream: 99)
    return (0..<rank).map { _ in rng.int(in: 1...maxExtent) }
}

@Suite("Finite-difference gradient checks of the Transformer ops")
struct OpsGradientTests {
    @Test("softmax along the last axis", arguments: [1, 2, 3] as [UInt64])
    func softmax(seed: UInt64) {
        let x = randomTensor(randomShape(rank: 3, seed: seed), seed: seed)
        let r = GradientCheck.run(inputs: [x]) { $0.softmax(x) }
        #expect(r.maxError < 2e-3, "\(x.shape): \(r)")
    }

    @Test("logSoftmax along the last axis", arguments: [4, 5, 6] as [UInt64])
    func logSoftmax(seed: UInt64) {
        let x = randomTensor(randomShape(rank: 2, maxExtent: 7, seed: seed), seed: seed)
        let r = GradientCheck.run(inputs: [x]) { $0.logSoftmax(x) }
        #expect(r.maxError < 2e-3, "\(x.shape): \(r)")
    }

    @Test("cross-entropy, token mean and per-sequence mean, with ignored targets")
    func crossEntropy() {
        let x = randomTensor([6, 4], seed: 7)
        let targets: [Int32] = [1, 0, 3, 2, 0, 0]
        for perSequence in [nil, 2, 3, 6] as [Int?] {
            let r = GradientCheck.run(inputs: [x]) {
                $0.crossEntropy(x, targets: targets, ignoreIndex: 0, perSequence: perSequence)
            }
            #expect(r.maxError < 2e-3, "perSequence \(String(describing: perSequence)): \(r)")
        }
    }

    @Test("GeLU")
    func gelu() {
        let x = randomTensor(randomShape(rank: 2, maxExtent: 6, seed: 8), seed: 8, scale: 2)
        let r = GradientCheck.run(inputs: [x]) { $0.gelu(x) }
        #expect(r.maxError < 2e-3, "\(r)")
    }

    @Test("LayerNorm with gain and bias", arguments: [9, 10] as [UInt64])
    func layerNorm(seed: UInt64) {
        var shape = randomShape(rank: 2, maxExtent: 4, seed: seed)
        shape[1] += 2
        let x = randomTensor(shape, seed: seed)
        let g = randomTensor([shape[1]], seed: seed + 100), b = randomTensor([shape[1]], seed: seed + 200)
        let r = GradientCheck.run(inputs: [x, g, b]) { $0.layerNorm(x, gain: g, bias: b) }
        #expect(r.maxError < 2e-3, "\(shape): \(r)")
    }

    @Test("embedding accumulates repeated ids")
    func embedding() {
        let table = randomTensor([5, 3], seed: 11)
        let r = GradientCheck.run(inputs: [table]) { $0.embedding(ids: [4, 0, 4, 2, 4], table: table) }
        #expect(r.maxError < 2e-3, "\(r)")
    }

    @Test("concat, slice and reshape")
    func shapeOps() {
        let a = randomTensor([2, 3, 2], seed: 12), b = randomTensor([2, 3, 4], seed: 13)
        let r = GradientCheck.run(inputs: [a, b]) { t in
            let c = t.concat([a, b, a])
            return t.reshape(t.mul(t.slice(c, 1..<7), t.slice(c, 2..<8)), [6, 6])
        }
        #expect(r.maxError < 2e-3, "\(r)")
    }

    @Test("maskedFill passes no gradient through filled positions")
    func maskedFill() {
        let x = randomTensor([3, 2, 2], seed: 14)
        let mask = [false, true, false, false]
        let r = GradientCheck.run(inputs: [x]) { t in t.softmax(t.maskedFill(x, mask: mask, value: -1e9)) }
        #expect(r.maxError < 2e-3, "\(r)")
    }

    @Test("sum and mean along every axis", arguments: [0, 1, 2, -1] as [Int])
    func axisReductions(axis: Int) {
        let x = randomTensor(randomShape(rank: 3, seed: 15), seed: 15)
        let r = GradientCheck.run(inputs: [x]) { t in
            t.add(t.sum(x, axis: axis), t.mean(t.mul(x, x), axis: axis))
        }
        #expect(r.maxError < 2e-3, "\(x.shape) axis \(axis): \(r)")
    }

    @Test("dropout with a fixed stream")
    func dropout() {
        let x = randomTensor([4, 5], seed: 16)
        let r = GradientCheck.run(inputs: [x]) { t in
            var rng = RandomStream(seed: 3)
            return t.dropout(x, rate: 0.3, rng: &rng)
        }
        #expect(r.maxError < 2e-3, "\(r)")
    }

    @Test("a pre-LayerNorm attention block composes")
    func attentionBlock() {
        // x: [B·T, D] with B = 2, T = 3, D = 4; one head, causal.
        let x = randomTensor([6, 4], seed: 17)
        let g = randomTensor([4], seed: 18), b = randomTensor([4], seed: 19)
        let wq = randomTensor([4, 4], seed: 20, scale: 0.5), wk = randomTensor([4, 4], seed: 21, scale: 0.5)
        let causal = (0..<9).map { $0 % 3 > $0 / 3 }   // column > row
        let r = GradientCheck.run(inputs: [x, g, wq, wk]) { t in
            let h = t.layerNorm(x, gain: g, bias: b)
            let q = t.reshape(t.linear(h, weight: wq, bias: nil), [2, 3, 4])
            let k = t.reshape(t.linear(h, weight: wk, bias: nil), [2, 3, 4])
            let scores = t.maskedFill(t.scale(t.matmul(q, k, transposeB: true), 0.5), mask: causal, value: -.infinity)
            let att = t.matmul(t.softmax(scores), t.reshape(h, [2, 3, 4]))
            return t.gelu(t.add(x, t.reshape(att, [6, 4])))
        }
        #expect(r.maxError < 2e-3, "\(r)")
    }
}
