extension Tape {
    /// Matrix product over the last two axes, batched over the leading ones.
    ///
    /// ```
    /// a: [..., m, k]   b: [k, n] (shared) or [..., k, n] (one per batch item)
    /// y[..., i, j] = Σ_p a[..., i, p] · b[..., p, j]
    /// ∂a = ∂y · bᵀ      ∂b = aᵀ · ∂y   (summed over the batch when b is shared)
    /// ```
    /// With `transposeB`, `b` is stored `[..., n, k]` and used as its transpose.
    public func matmul(_ a: Tensor, _ b: Tensor, transposeB: Bool = false) -> Tensor {
        precondition(a.shape.count >= 2 && b.shape.count >= 2, "matmul needs matrices")
        let m = a.shape[a.shape.count - 2], k = a.shape[a.shape.count - 1]
        let bRows = b.shape[b.shape.count - 2], bCols = b.shape[b.shape.count - 1]
        let (bk, n) = transposeB ? (bCols, bRows) : (bRows, bCols)
        precondition(bk == k, "matmul: inner extents \(a.shape) · \(b.shape) differ")
        let batch = a.count / max(m * k, 1)
        let shared = b.shape.count == 2
        precondition(shared || b.count == batch * k * n, "matmul: batch extents \(a.shape) · \(b.shape) differ")
        var shape = Array(a.shape.dropLast()); shape.append(n)
        let y = tensor(shape, grad: needsGrad(a, b))
        if shared {
            Gemm.multiply(m: batch * m, n: n, k: k, a.data, lda: k, b.data, ldb: bCols,
                          transposeB: transposeB, into: y.data, ldc: n)
        } else {
            for t in 0..<batch {
                Gemm.multiply(m: m, n: n, k: k, a.data + t * m * k, lda: k, b.data + t * k * n,
                              ldb: bCols, transposeB: transposeB, into: y.data + t * m * n, ldc: n)
            }
        }
        guard y.grad != nil else { return y }
        record {
            let gy = y.grad!
            if let ga = a.grad {
                // ∂a = ∂y · op(b)ᵀ
                if shared {
                    Gemm.multiply(m: batch * m, n: k, k: n, gy, lda: n, b.data, ldb: bCols,
                                  transposeB: !transposeB, into: ga, ldc: k, accumulate: true)
                } else {
                    for t in 0..<batch {
                        Gemm.multiply(m: m, n: k, k: n, gy + t * m * n, lda: n, b.data + t * k * n,
                                      ldb: bCols, transposeB: !transposeB, into: ga + t * m * k,
                                      ldc: k, accumulate: true)
                    }
                }
            }
            if let gb = b.grad {
                // ∂op(b) = aᵀ · ∂y; stored transposed when b is.
                let items = shared ? 1 : batch
                let rows = shared ? batch * m : m
                for t in 0..<items {
                    let at = a.data + t * m * k, gyt = gy + t * m * n, gbt = gb + t * k * n
                    if transposeB {
                        Gemm.multiply(m: n, n: k, k: rows, gyt, lda: n, transposeA: true, at, ldb: k,
                                      into: gbt, ldc: k, accumulate: true)
                    } else {
                        Gemm.multiply(m: k, n: n, k: rows, at, lda: k, transposeA: true, gyt, ldb: n,
                                      into: gbt, ldc: n, accumulate: true)
                    }
                }
            }
        }
        return y
    }

    /// An affine map of the last axis: `y = x · Wᵀ + b`, with `weight` `[out, in]` and
    /// `bias` `[out]` (PyTorch's `Linear` layout).
    public func linear(_ x: Tensor, weight: Tensor, bias: Tensor?) -> Tensor {
        let y = matmul(x, weight, transposeB: true)
        guard let bias else { return y }
        return addBias(y, bias)
    }
}
