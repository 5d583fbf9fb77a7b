import Testing
@testable import Autograd

/// Random tensors for the gradient checks.
func randomTensor(_ shape: [Int], seed: UInt64, scale: Float = 1) -> Tensor {
    var rng = RandomStream(seed: seed)
    let n = shape.reduce(1, *)
    return Tensor(shape, values: (0..<n).map { _ in rng.normal() * scale }, requiresGrad: true)
}

@Suite("Finite-difference gradient checks")
struct GradientTests {
    @Test("matmul with a shared right factor")
    func matmulShared() {
        let a = randomTensor([2, 3, 4], seed: 1), b = randomTensor([4, 5], seed: 2)
        let r = GradientCheck.run(inputs: [a, b]) { $0.matmul(a, b) }
        #expect(r.maxError < 2e-3, "\(r)")
    }

    @Test("matmul batched and transposed")
    func matmulBatchedTransposed() {
        let a = randomTensor([3, 2, 4], seed: 3), b = randomTensor([3, 5, 4], seed: 4)
        let r = GradientCheck.run(inputs: [a, b]) { $0.matmul(a, b, transposeB: true) }
        #expect(r.maxError < 2e-3, "\(r)")
    }

    @Test("linear = matmul + broadcast bias")
    func linear() {
        let x = randomTensor([6, 3], seed: 5), w = randomTensor([4, 3], seed: 6), b = randomTensor([4], seed: 7)
        let r = GradientCheck.run(inputs: [x, w, b]) { $0.linear(x, weight: w, bias: b) }
        #expect(r.maxError < 2e-3, "\(r)")
    }

    @Test("elementwise add, mul, scale, relu")
    func elementwise() {
        let a = randomTensor([3, 4], seed: 8), b = randomTensor([3, 4], seed: 9)
        let r = GradientCheck.run(inputs: [a, b]) { t in
            t.relu(t.scale(t.add(t.mul(a, b), a), 1.5))
        }
        #expect(r.maxError < 2e-3, "\(r)")
    }

    @Test("sum and mean")
    func reductions() {
        let a = randomTensor([5, 2], seed: 10)
        let r = GradientCheck.run(inputs: [a]) { t in t.add(t.sum(a), t.mean(t.mul(a, a))) }
        #expect(r.maxError < 2e-3, "\(r)")
    }

    @Test("a broken backward is caught")
    func checkCanFail() {
        // The check itself must be able to fail: an op whose backward is off by a factor 2.
        let a = randomTensor([4], seed: 11)
        let r = GradientCheck.run(inputs: [a]) { t in
            let y = t.tensor([4], grad: true)
            for i in 0..<4 { y.data[i] = a.data[i] * 3 }
            t.record { for i in 0..<4 { a.grad![i] += 6 * y.grad![i] } }
            return y
        }
        #expect(r.maxError > 0.3)
    }
}
