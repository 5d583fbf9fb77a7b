import Autograd

/// Reads variables from the residual stream through learned gates (the paper's `ConstrainedRead`).
///
/// Parameters: logits `φ ∈ R^{g×m}` for `g` gates over the `m` variables of one kind. Each step
/// the gates are sampled, `π = sample(φ, τ)` row-wise, and gate `r` reads
/// ```
/// read_r(x) = Σ_j π_rj · x[var j]          (a weighted sum of blocks of width w)
/// ```
/// — not as a dense `(w × m·w)` matrix product: same result, `w` times fewer operations.
/// Discrete (`π = onehot(argmax φ)`), a gate reads exactly one variable: the program's
/// `attn_0_1(positions, tokens)` names come from these argmaxes.
public struct VariableRead {
    /// Gate logits `[gates, m]`.
    public let logits: Tensor
    public var gates: Int { logits.shape[0] }
    public var variables: Int { logits.shape[1] }

    /// Gates over `variables` variables, initialised `N(0, 1)/√m`.
    public init(gates: Int, variables: Int, rng: inout RandomStream) {
        let scale = 1 / Float(variables).squareRoot()
        logits = Tensor([gates, variables], values: (0..<gates * variables).map { _ in rng.normal() * scale },
                        requiresGrad: true)
    }

    /// The variable each gate reads once discrete.
    public var argmax: [Int] {
        (0..<gates).map { g in
            var best = 0
            for j in 1..<variables where logits[g, j] > logits[g, best] { best = j }
            return best
        }
    }
}

extension Tape {
    /// Reads gate `gate` of `pi` (`[gates, m]`) from `stream` (`[rows, M·w]`, `M ≥ m` variables of
    /// width `w`): `y[r] = Σ_{j<m} π_j · stream[r, j]`, shape `[rows, w]`. With `batch`, only its
    /// packed (non-pad) rows are read: `y[p] = Σ_j π_j · stream[rowIndex[p], j]`, shape
    /// `[packedRows, w]`.
    ///
    /// Backward: `∂stream[r, j] += π_j ∂y[r]` and `∂π_j += Σ_r ⟨stream[r, j], ∂y[r]⟩`.
    ///
    /// With `sparseGradient` (the gates come from `softmax` or `gumbelSoft`), `∂π_j` is left out
    /// where `π_j` is exactly 0: the sampler's backward multiplies it by `π_j`, so it cannot
    /// matter, and late in training most gates are exactly one-hot.
    public func readVariables(_ stream: Tensor, width w: Int, gates pi: Tensor, gate: Int,
                              batch: SequenceBatch? = nil, sparseGradient: Bool = false) -> Tensor {
        let mark = Profile.enter(.reads)
        defer { Profile.exit(mark) }
        let m = pi.shape[1]
        let stride = stream.shape[1]
        precondition(m * w <= stride, "read of \(m) variables from a stream of \(stride / w)")
        let rows = batch?.packedRows ?? stream.shape[0]
        let rowIndex = batch?.rowIndex
        @inline(__always) func source(_ r: Int) -> Int { rowIndex.map { Int($0[r]) } ?? r }
        let y = tensor(rows: rows, cols: w, grad: needsGrad(stream, pi))
        let p = pi.data + gate * m
        // Only the variables with a non-zero weight are touched (all but one once discrete).
        var active = [Int]()
        active.reserveCapacity(m)
        for j in 0..<m where p[j] != 0 { active.append(j) }
        switch w {
        case 8: Self.weightedSum(SIMD8<Float>.self, rows, rowIndex, stream.data, stride, p, active, y.data)
        case 16: Self.weightedSum(SIMD16<Float>.self, rows, rowIndex, stream.data, stride, p, active, y.data)
        case 1: Self.weightedSumOfScalars(rows, rowIndex, stream.data, stride, p, active, y.data)
        default:
            for r in 0..<rows {
                let src = stream.data + source(r) * stride, dst = y.data + r * w
                dst.update(repeating: 0, count: w)
                for j in active { Vector.axpy(w, p[j], src + j * w, dst) }
            }
        }
        if let gy = y.grad {
            record {
                let mark = Profile.enter(.reads)
                defer { Profile.exit(mark) }
                switch w {
                case 8: Self.readBackward(SIMD8<Float>.self, rows, rowIndex, stream, gy, p, active, m: m,
                                          piGrad: pi.grad.map { $0 + gate * m }, sparseGradient: sparseGradient)
                case 16: Self.readBackward(SIMD16<Float>.self, rows, rowIndex, stream, gy, p, active, m: m,
                                           piGrad: pi.grad.map { $0 + gate * m }, sparseGradient: sparseGradient)
                case 1: Self.scalarReadBackward(rows, rowIndex, stream, gy, p, active, m: m,
                                                piGrad: pi.grad.map { $0 + gate * m }, sparseGradient: sparseGradient)
                default:
                    if let gs = stream.grad {
                        for r in 0..<rows {
                            let dst = gs + source(r) * stride, src = gy + r * w
                            for j in active { Vector.axpy(w, p[j], src, dst + j * w) }
                        }
                    }
                    if let gp = pi.grad {
                        // ∂π_j = Σ_r ⟨stream[r, j], ∂y[r]⟩, summed over the rows lane by lane, then across lanes.
                        for j in sparseGradient ? active : Array(0..<m) {
                            var sum: Float = 0
                            for c in 0..<w {
                                var lane: Float = 0
                                for r in 0..<rows { lane += stream.data[source(r) * stride + j * w + c] * gy[r * w + c] }
                                sum += lane
                            }
                            gp[gate * m + j] += sum
                        }
                    }
                }
            }
        }
        return y
    }
}

extension Tape {
    /// `y[r] = Σ_{j ∈ active} π_j · stream[row r, j]` with the row held in one `V` register
    /// (`row r` = `rowIndex[r]`, or `r`), four rows at a time: four independent chains of
    /// additions instead of one (each row still summed in `j` order).
    @inline(__always)
    static func weightedSum<V: SIMD>(_: V.Type, _ rows: Int, _ rowIndex: UnsafePointer<Int32>?,
                                     _ stream: UnsafePointer<Float>, _ stride: Int,
                                     _ p: UnsafePointer<Float>, _ active: [Int], _ y: UnsafeMutablePointer<Float>)
        where V.Scalar == Float {
        let w = V.scalarCount
        @inline(__always) func src(_ r: Int) -> UnsafePointer<Float> { stream + (rowIndex.map { Int($0[r]) } ?? r) * stride }
        @inline(__always) func load(_ q: UnsafePointer<Float>) -> V { UnsafeRawPointer(q).loadUnaligned(as: V.self) }
        @inline(__always) func store(_ v: V, _ r: Int) { UnsafeMutableRawPointer(y + r * w).storeBytes(of: v, as: V.self) }
        active.withUnsafeBufferPointer { act in
            var r = 0
            while r + 4 <= rows {
                let s0 = src(r), s1 = src(r + 1), s2 = src(r + 2), s3 = src(r + 3)
                var a0 = V(), a1 = V(), a2 = V(), a3 = V()
                for j in act {
                    let pj = V(repeating: p[j]), o = j * w
                    a0 += pj * load(s0 + o)
                    a1 += pj * load(s1 + o)
                    a2 += pj * load(s2 + o)
                    a3 += pj * load(s3 + o)
                }
                store(a0, r); store(a1, r + 1); store(a2, r + 2); store(a3, r + 3)
                r += 4
            }
            while r < rows {
                let s0 = src(r)
                var acc = V()
                for j in act { acc += V(repeating: p[j]) * load(s0 + j * w) }
                store(acc, r)
                r += 1
            }
        }
    }
}

extension Tape {
    /// The backward pass of a read of width `V.scalarCount`: `∂stream[row r, j] += π_j ∂y[r]` for
    /// the active `j`, one variable at a time, then ``gateGradient(_:_:_:_:_:_:m:into:sparseGradient:)``.
    @inline(__always)
    static func readBackward<V: SIMD>(_: V.Type, _ rows: Int, _ rowIndex: UnsafePointer<Int32>?, _ stream: Tensor,
                                      _ gy: UnsafePointer<Float>, _ p: UnsafePointer<Float>, _ active: [Int],
                                      m: Int, piGrad: UnsafeMutablePointer<Float>?, sparseGradient: Bool)
        where V.Scalar == Float {
        let w = V.scalarCount, stride = stream.shape[1]
        @inline(__always) func row(_ r: Int) -> Int { (rowIndex.map { Int($0[r]) } ?? r) * stride }
        @inline(__always) func load(_ q: UnsafePointer<Float>) -> V { UnsafeRawPointer(q).loadUnaligned(as: V.self) }
        if let gs = stream.grad {
            for j in active {
                let pj = V(repeating: p[j])
                for r in 0..<rows {
                    let dst = gs + row(r) + j * w
                    UnsafeMutableRawPointer(dst).storeBytes(of: load(dst) + pj * load(gy + r * w), as: V.self)
                }
            }
        }
        guard let gp = piGrad else { return }
        gateGradient(V.self, rows, rowIndex, stream, gy, active, m: m, into: gp, sparseGradient: sparseGradient)
    }

    /// `∂π_j += Σ_r ⟨stream[row r, j], ∂y[r]⟩` of a read of width `V.scalarCount` (`gp` is the
    /// gate's row of `∂π`), for the active `j` with `sparseGradient`, else for all `m`: rows summed
    /// lane by lane with the running sums in registers, then the lanes in order.
    @inline(__always)
    static func gateGradient<V: SIMD>(_: V.Type, _ rows: Int, _ rowIndex: UnsafePointer<Int32>?, _ stream: Tensor,
                                      _ gy: UnsafePointer<Float>, _ active: [Int], m: Int,
                                      into gp: UnsafeMutablePointer<Float>, sparseGradient: Bool)
        where V.Scalar == Float {
        let w = V.scalarCount, stride = stream.shape[1]
        @inline(__always) func row(_ r: Int) -> Int { (rowIndex.map { Int($0[r]) } ?? r) * stride }
        @inline(__always) func load(_ q: UnsafePointer<Float>) -> V { UnsafeRawPointer(q).loadUnaligned(as: V.self) }
        // ∂π_j, four variables at a time (four independent chains sharing each load of ∂y[r]; each
        // still summed in row order, then lane order).
        @inline(__always) func add(_ acc: V, _ j: Int) { gp[j] += laneSum(acc) }
        // The variables: the active ones, or all m (without building an array of them every step).
        let count = sparseGradient ? active.count : m
        @inline(__always) func js(_ i: Int) -> Int { sparseGradient ? active[i] : i }
        var i = 0
        while i + 4 <= count {
            let o0 = js(i) * w, o1 = js(i + 1) * w, o2 = js(i + 2) * w, o3 = js(i + 3) * w
            var a0 = V(), a1 = V(), a2 = V(), a3 = V()
            for r in 0..<rows {
                let g = load(gy + r * w), s = stream.data + row(r)
                a0 += load(s + o0) * g
                a1 += load(s + o1) * g
                a2 += load(s + o2) * g
                a3 += load(s + o3) * g
            }
            add(a0, js(i)); add(a1, js(i + 1)); add(a2, js(i + 2)); add(a3, js(i + 3))
            i += 4
        }
        while i < count {
            let j = js(i)
            var acc = V()
            for r in 0..<rows { acc += load(stream.data + row(r) + j * w) * load(gy + r * w) }
            add(acc, j)
            i += 1
        }
    }
}

extension Tape {
    /// ``weightedSum(_:_:_:_:_:_:_:_:)`` for numerical variables (`w` = 1): `y[r] = Σ_{j ∈ active}
    /// π_j · stream[row r, j]`, four rows at a time with the sums in registers (summed into memory,
    /// each addition waited for the store of the one before).
    @inline(__always)
    static func weightedSumOfScalars(_ rows: Int, _ rowIndex: UnsafePointer<Int32>?, _ stream: UnsafePointer<Float>,
                                     _ stride: Int, _ p: UnsafePointer<Float>, _ active: [Int],
                                     _ y: UnsafeMutablePointer<Float>) {
        @inline(__always) func src(_ r: Int) -> UnsafePointer<Float> { stream + (rowIndex.map { Int($0[r]) } ?? r) * stride }
        active.withUnsafeBufferPointer { act in
            var r = 0
            while r + 4 <= rows {
                let s0 = src(r), s1 = src(r + 1), s2 = src(r + 2), s3 = src(r + 3)
                var a0: Float = 0, a1: Float = 0, a2: Float = 0, a3: Float = 0
                for j in act {
                    let pj = p[j]
                    a0 += pj * s0[j]
                    a1 += pj * s1[j]
                    a2 += pj * s2[j]
                    a3 += pj * s3[j]
                }
                y[r] = a0; y[r + 1] = a1; y[r + 2] = a2; y[r + 3] = a3
                r += 4
            }
            while r < rows {
                let s0 = src(r)
                var acc: Float = 0
                for j in act { acc += p[j] * s0[j] }
                y[r] = acc
                r += 1
            }
        }
    }

    /// The backward pass of a read of numerical variables (`w` = 1): `∂stream[row r, j] += π_j ∂y[r]`
    /// for the active `j`, and `∂π_j += Σ_r stream[row r, j] ∂y[r]` for eight `j` at a time (one
    /// vector lane each, every lane summed in row order).
    @inline(__always)
    static func scalarReadBackward(_ rows: Int, _ rowIndex: UnsafePointer<Int32>?, _ stream: Tensor,
                                   _ gy: UnsafePointer<Float>, _ p: UnsafePointer<Float>, _ active: [Int],
                                   m: Int, piGrad: UnsafeMutablePointer<Float>?, sparseGradient: Bool) {
        let stride = stream.shape[1]
        @inline(__always) func row(_ r: Int) -> Int { (rowIndex.map { Int($0[r]) } ?? r) * stride }
        if let gs = stream.grad {
            active.withUnsafeBufferPointer { act in
                for r in 0..<rows {
                    let dst = gs + row(r), g = gy[r]
                    for j in act { dst[j] += p[j] * g }
                }
            }
        }
        guard let gp = piGrad else { return }
        var j0 = 0
        while j0 < m {
            let c = min(8, m - j0)
            var acc = SIMD8<Float>()
            for r in 0..<rows { acc += Vector.load8(stream.data + row(r) + j0, count: c, pad: 0) * SIMD8(repeating: gy[r]) }
            for i in 0..<c where !sparseGradient || p[j0 + i] != 0 { gp[j0 + i] += acc[i] }
            j0 += 8
        }
    }

    /// `v[0] + v[1] + …`, in lane order (how the reads' `∂π` sums finish).
    @inline(__always)
    static func laneSum<V: SIMD>(_ v: V) -> Float where V.Scalar == Float {
        var sum: Float = 0
        for c in 0..<V.scalarCount { sum += v[c] }
        return sum
    }
}
