import Foundation

extension Tape {
    /// The Gaussian error linear unit, in its tanh approximation (GPT-2's, PyTorch's
    /// `gelu(approximate: "tanh")`):
    ///
    /// ```
    /// y = ½ · x · (1 + tanh(u)),   u = √(2/π) · (x + 0.044715 · x³)
    /// ∂x = ∂y · (½ · (1 + tanh u) + ½ · x · (1 − tanh² u) · √(2/π) · (1 + 3 · 0.044715 · x²))
    /// ```
    /// It differs from the exact `x · Φ(x)` by less than 5e-4. For example `gelu(1) ≈ 0.8412`,
    /// `gelu(−1) ≈ −0.1588`.
    public func gelu(_ x: Tensor) -> Tensor {
        let y = tensor(x.shape, grad: needsGrad(x))
        let n = x.count, xd = x.data, yd = y.data
        for i in 0..<n {
            let v = xd[i]
            let t = Foundation.tanh(GeLU.k * (v + GeLU.c * v * v * v))
            yd[i] = 0.5 * v * (1 + t)
        }
        if let gy = y.grad {
            record {
                let gx = x.grad!
                for i in 0..<n {
                    let v = xd[i]
                    let t = Foundation.tanh(GeLU.k * (v + GeLU.c * v * v * v))
                    let du = GeLU.k * (1 + 3 * GeLU.c * v * v)
                    gx[i] += gy[i] * (0.5 * (1 + t) + 0.5 * v * (1 - t * t) * du)
                }
            }
        }
        return y
    }
}

enum GeLU {
    /// √(2/π).
    static let k: Float = 0.7978845608028654
    static let c: Float = 0.044715
}
