import Foundation
import Testing
@testable import Autograd

/// Whether two arrays agree to `tolerance` (absolute), element by element.
func close(_ a: [Float], _ b: [Float], _ tolerance: Float = 1e-4) -> Bool {
    a.count == b.count && zip(a, b).allSatisfy { abs($0 - $1) <= tolerance || $0 == $1 }
}

@Suite("Forward values of the Transformer ops against hand-computed cases")
struct OpsValueTests {
    let tape = Tape(recording: false)

    @Test("softmax of [1, 2, 3] and of huge equal logits")
    func softmax() {
        let x = Tensor([2, 3], values: [1, 2, 3, 1000, 1000, -.infinity])
        let y = tape.softmax(x).values
        #expect(close(y, [0.09003057, 0.24472847, 0.66524096, 0.5, 0.5, 0]), "\(y)")
    }

    @Test("logSoftmax of [1, 2, 3] is stable for large logits")
    func logSoftmax() {
        let x = Tensor([2, 3], values: [1, 2, 3, 1001, 1002, 1003])
        let y = tape.logSoftmax(x).values
        let expected: [Float] = [-2.40760596, -1.40760596, -0.40760596]
        #expect(close(y, expected + expected), "\(y)")
    }

    @Test("cross-entropy: token mean, ignored targets, per-sequence mean")
    func crossEntropy() {
        // Row losses: ℓ0 = log 2 (logits [0, 0], target 1); ℓ1 = log(1 + e⁻²) (logits [2, 0],
        // target 0); ℓ2 = log(1 + e⁻¹) (logits [0, 1], target 1); row 3 is ignored.
        let x = Tensor([4, 2], values: [0, 0, 2, 0, 0, 1, 5, -5])
        let l0 = Float(Foundation.log(2.0)), l1 = Float(Foundation.log(1 + Foundation.exp(-2.0)))
        let l2 = Float(Foundation.log(1 + Foundation.exp(-1.0)))
        let token = tape.crossEntropy(x, targets: [1, 0, 1, -1], ignoreIndex: -1)[0]
        #expect(abs(token - (l0 + l1 + l2) / 3) < 1e-6, "\(token)")
        // Sequences of 2 rows: [ℓ0, ℓ1] and [ℓ2, ignored] → ((ℓ0 + ℓ1)/2 + ℓ2) / 2.
        let perSeq = tape.crossEntropy(x, targets: [1, 0, 1, -1], ignoreIndex: -1, perSequence: 2)[0]
        #expect(abs(perSeq - ((l0 + l1) / 2 + l2) / 2) < 1e-6, "\(perSeq)")
        // A sequence with nothing to score is left out of the mean.
        let skip = tape.crossEntropy(x, targets: [1, 0, 0, 0], perSequence: 2)[0]
        #expect(abs(skip - l0) < 1e-6, "\(skip)")
        #expect(tape.crossEntropy(x, targets: [0, 0, 0, 0])[0] == 0)
    }

    @Test("cross-entropy gradient is softmax minus one-hot, weighted")
    func crossEntropyGradient() {
        let t = Tape()
        let x = Tensor([2, 2], values: [0, 0, 2, 0], requiresGrad: true)
        t.backward(t.crossEntropy(x, targets: [1, 0], ignoreIndex: -1))
        let p = Float(1 / (1 + Foundation.exp(-2.0)))
        #expect(close(x.gradient, [0.25, -0.25, (p - 1) / 2, (1 - p) / 2], 1e-6), "\(x.gradient)")
    }

    @Test("GeLU (tanh approximation) at a few points")
    func gelu() {
        // PyTorch: gelu(x, approximate='tanh') at -3, -1, 0, 0.5, 1, 3.
        let x = Tensor([6], values: [-3, -1, 0, 0.5, 1, 3])
        let y = tape.gelu(x).values
        #expect(close(y, [-0.00363739, -0.15880801, 0, 0.34571401, 0.84119199, 2.99636261], 1e-5), "\(y)")
    }

    @Test("LayerNorm of [1, 2, 3] with gain and bias")
    func layerNorm() {
        let x = Tensor([2, 3], values: [1, 2, 3, 5, 5, 5])
        let g = Tensor([3], values: [1, 2, 1]), b = Tensor([3], values: [0, 1, -1])
        let y = tape.layerNorm(x, gain: g, bias: b).values
        let s = Float(1 / (2.0 / 3 + 1e-5).squareRoot())
        #expect(close(y, [-s, 1, s - 1, 0, 1, -1], 1e-5), "\(y)")
    }

    @Test("embedding gathers rows and accumulates their gradients")
    func embedding() {
        let t = Tape()
        let table = Tensor([3, 2], values: [1, 2, 3, 4, 5, 6], requiresGrad: true)
        let y = t.embedding(ids: [2, 0, 2], table: table)
        #expect(y.shape == [3, 2] && y.values == [5, 6, 1, 2, 5, 6])
        t.backward(t.sum(y))
        #expect(table.gradient == [1, 1, 0, 0, 2, 2])
    }

    @Test("concat and slice along the last axis")
    func concatSlice() {
        let a = Tensor([2, 2], values: [1, 2, 3, 4]), b = Tensor([2, 1], values: [5, 6])
        let c = tape.concat([a, b])
        #expect(c.shape == [2, 3] && c.values == [1, 2, 5, 3, 4, 6])
        let s = tape.slice(c, 1..<3)
        #expect(s.shape == [2, 2] && s.values == [2, 5, 4, 6])
        #expect(tape.reshape(c, [3, 2]).shape == [3, 2])
    }

    @Test("maskedFill repeats its mask over leading axes and zeroes the masked gradient")
    func maskedFill() {
        let t = Tape()
        let x = Tensor([2, 2], values: [1, 2, 3, 4], requiresGrad: true)
        let y = t.maskedFill(x, mask: [false, true], value: -7)
        #expect(y.values == [1, -7, 3, -7])
        t.backward(t.sum(y))
        #expect(x.gradient == [1, 0, 1, 0])
    }

    @Test("sum and mean along an axis")
    func axisReductions() {
        let x = Tensor([2, 3], values: [1, 2, 3, 4, 5, 6])
        #expect(tape.sum(x, axis: 0).values == [5, 7, 9])
        #expect(tape.sum(x, axis: -1).values == [6, 15])
        #expect(tape.sum(x, axis: 1, keepingAxis: true).shape == [2, 1])
        #expect(tape.mean(x, axis: 1).values == [2, 5])
        #expect(tape.mean(x, axis: 0).values == [2.5, 3.5, 4.5])
        #expect(tape.sum(x).values == [21])
    }

    @Test("dropout: identity when off, unbiased and reproducible when on")
    func dropout() {
        let x = Tensor([10_000], values: [Float](repeating: 1, count: 10_000))
        var rng = RandomStream(seed: 5)
        #expect(tape.dropout(x, rate: 0, rng: &rng) === x)
        #expect(tape.dropout(x, rate: 0.5, rng: &rng, training: false) === x)
        let y = tape.dropout(x, rate: 0.25, rng: &rng).values
        let kept = y.filter { $0 != 0 }
        #expect(kept.allSatisfy { abs($0 - 4.0 / 3) < 1e-6 })
        #expect(abs(Float(kept.count) / 10_000 - 0.75) < 0.02, "\(kept.count)")
        var again = RandomStream(seed: 5)
        #expect(tape.dropout(x, rate: 0.25, rng: &again).values == y)
    }
}
