import Testing
@testable import Autograd

@Suite("Adam optimiser")
struct AdamTests {
    /// Sets the gradient of `w` and takes one step.
    private func step(_ adam: Adam, _ w: Tensor, grad: [Float]) {
        for i in 0..<grad.count { w.grad![i] = grad[i] }
        adam.step()
    }

    @Test("two steps match a hand computation of PyTorch's bias-corrected update")
    func twoSteps() {
        // Reference values computed in Double with PyTorch's formulas:
        // step 1 moves each weight by lr·sign(g); step 2 uses m̂ = m/0.19, v̂ = v/0.001999.
        let w = Tensor([2], values: [1, -2], requiresGrad: true)
        let adam = Adam(parameters: [w], learningRate: 0.1)
        step(adam, w, grad: [0.5, -0.1])
        #expect(abs(w[0] - 0.900000002) < 1e-6 && abs(w[1] - -1.90000001) < 1e-6, "\(w.values)")
        step(adam, w, grad: [0.2, 0.3])
        #expect(abs(w[0] - 0.8101424839) < 2e-6, "\(w.values)")
        #expect(abs(w[1] - -1.9494189911) < 2e-6, "\(w.values)")
        #expect(adam.stepCount == 2)
    }

    @Test("the joint gradient norm is clipped to maxGradNorm, in place, and only when above it")
    func clipping() {
        let a = Tensor([1], values: [0], requiresGrad: true)
        let b = Tensor([1], values: [0], requiresGrad: true)
        let adam = Adam(parameters: [a, b], learningRate: 0.1, maxGradNorm: 1)
        a.grad![0] = 3; b.grad![0] = 4            // ‖g‖ = 5 → scaled by 1/(5 + 1e-6)
        adam.step()
        #expect(abs(adam.lastGradNorm - 5) < 1e-6)
        #expect(abs(a.grad![0] - 0.6) < 1e-6 && abs(b.grad![0] - 0.8) < 1e-6)
        a.grad![0] = 0.03; b.grad![0] = 0.04      // ‖g‖ = 0.05 < 1 → untouched
        adam.step()
        #expect(a.grad![0] == 0.03 && b.grad![0] == 0.04)
        #expect(abs(a[0] - -0.1706400354) < 2e-6, "\(a.values)")
        #expect(abs(b[0] - -0.1706400363) < 2e-6, "\(b.values)")
    }

    @Test("zeroGrad clears every gradient and parameters without gradients are skipped")
    func zeroGradAndSkip() {
        let w = Tensor([3], values: [1, 2, 3], requiresGrad: true)
        let frozen = Tensor([2], values: [5, 6])
        let adam = Adam(parameters: [w, frozen])
        for i in 0..<3 { w.grad![i] = 1 }
        adam.step()
        #expect(frozen.values == [5, 6])
        adam.zeroGrad()
        #expect(w.gradient == [0, 0, 0])
    }

    @Test("Adam minimises a quadratic")
    func minimisesQuadratic() {
        let w = Tensor([4], values: [3, -2, 1, 0.5], requiresGrad: true)
        let target: [Float] = [1, 1, -1, 0]
        let adam = Adam(parameters: [w], learningRate: 0.05)
        for _ in 0..<500 {
            adam.zeroGrad()
            for i in 0..<4 { w.grad![i] = 2 * (w[i] - target[i]) }
            adam.step()
        }
        for i in 0..<4 { #expect(abs(w[i] - target[i]) < 1e-2, "\(w.values)") }
    }
}
