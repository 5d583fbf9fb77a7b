import Autograd

extension Tape {
    /// Reads every gate of `pi` (`[gates, m]`) from `stream`: the tensors
    /// ``readVariables(_:width:gates:gate:batch:sparseGradient:)`` returns for gates `0, 1, …` in
    /// turn, with the same bits, forward and backward.
    ///
    /// Where the gates weigh the same variables (every gate dense, as early in training, when
    /// reads cost most), two or three gates of width 8 or 16 share one pass over the stream:
    /// ```
    /// y_g[r] = Σ_j π_gj · stream[r, j]          (each stream block loaded once for every g)
    /// ∂stream[r, j] += π_{G−1,j} ∂y_{G−1}[r] + … + π_0j ∂y_0[r]   (one load and store, not G)
    /// ∂π_gj += Σ_r ⟨stream[r, j], ∂y_g[r]⟩                       (each stream load shared by every g)
    /// ```
    /// The backward pass adds the gates' terms in the order separate reads' backward passes
    /// would (the last gate first), so nothing changes but the number of passes. Otherwise each
    /// gate is read on its own.
    ///
    /// For example a categorical head reads its query, key and value with
    /// `let qkv = tape.readVariables(stream, width: k, gates: pi, batch: batch)`.
    public func readVariables(_ stream: Tensor, width w: Int, gates pi: Tensor, batch: SequenceBatch? = nil,
                              sparseGradient: Bool = false) -> [Tensor] {
        let gates = pi.shape[0], m = pi.shape[1]
        guard (w == 8 || w == 16) && (gates == 2 || gates == 3) && Self.sameVariables(pi.data, gates: gates, m: m) else {
            return (0..<gates).map {
                readVariables(stream, width: w, gates: pi, gate: $0, batch: batch, sparseGradient: sparseGradient)
            }
        }
        switch (w, gates) {
        case (8, 2): return readGates(SIMD8<Float>.self, three: false, stream, pi, batch, sparseGradient)
        case (8, _): return readGates(SIMD8<Float>.self, three: true, stream, pi, batch, sparseGradient)
        case (_, 2): return readGates(SIMD16<Float>.self, three: false, stream, pi, batch, sparseGradient)
        default: return readGates(SIMD16<Float>.self, three: true, stream, pi, batch, sparseGradient)
        }
    }

    /// The one-pass read of two gates (three when `three`) of width `V.scalarCount` that weigh the
    /// same variables, and its backward pass.
    @inline(__always)
    private func readGates<V: SIMD>(_: V.Type, three: Bool, _ stream: Tensor, _ pi: Tensor, _ batch: SequenceBatch?,
                                    _ sparseGradient: Bool) -> [Tensor] where V.Scalar == Float {
        let mark = Profile.enter(.reads)
        defer { Profile.exit(mark) }
        let w = V.scalarCount, m = pi.shape[1], stride = stream.shape[1]
        precondition(m * w <= stride, "read of \(m) variables from a stream of \(stride / w)")
        let rows = batch?.packedRows ?? stream.shape[0]
        let rowIndex = batch?.rowIndex
        let grad = needsGrad(stream, pi)
        let ys = (0..<(three ? 3 : 2)).map { _ in tensor(rows: rows, cols: w, grad: grad) }
        let p = pi.data
        var active = [Int]()
        active.reserveCapacity(m)
        for j in 0..<m where p[j] != 0 { active.append(j) }
        // Two gates: the third pointer repeats the second and is never used.
        Self.weightedSums(V.self, three: three, rows, rowIndex, stream.data, stride, p, m, active,
                          (ys[0].data, ys[1].data, ys[ys.count - 1].data))
        guard grad else { return ys }
        record {
            let mark = Profile.enter(.reads)
            defer { Profile.exit(mark) }
            let gy = (UnsafePointer(ys[0].grad!), UnsafePointer(ys[1].grad!), UnsafePointer(ys[ys.count - 1].grad!))
            // `three` is a captured value here, not a constant: branch once, so each kernel is
            // compiled for a known gate count (testing it inside the loops cost 3% of dyck1's step in
            // `tprog bench train`).
            @inline(__always) func backward(three: Bool) {
                Self.streamGradients(V.self, three: three, rows, rowIndex, stream, gy, p, m, active)
                if let gp = pi.grad {
                    Self.gateGradients(V.self, three: three, rows, rowIndex, stream, gy, m, active, gp, sparseGradient)
                }
            }
            if three { backward(three: true) } else { backward(three: false) }
        }
        return ys
    }

    /// Whether every gate of `p` (`[gates, m]`) gives a non-zero weight to the same variables.
    static func sameVariables(_ p: UnsafePointer<Float>, gates: Int, m: Int) -> Bool {
        for j in 0..<m {
            let on = p[j] != 0
            for g in 1..<gates where (p[g * m + j] != 0) != on { return false }
        }
        return true
    }

    /// `y_g[r] = Σ_{j ∈ active} π_gj · stream[row r, j]` for the gates 0, 1 (and 2 when `three`),
    /// two rows at a time, each sum in `j` order as ``weightedSum(_:_:_:_:_:_:_:_:)`` adds it.
    @inline(__always)
    static func weightedSums<V: SIMD>(_: V.Type, three: Bool, _ rows: Int, _ rowIndex: UnsafePointer<Int32>?,
                                      _ stream: UnsafePointer<Float>, _ stride: Int, _ p: UnsafePointer<Float>,
                                      _ m: Int, _ active: [Int],
                                      _ y: (UnsafeMutablePointer<Float>, UnsafeMutablePointer<Float>,
                                            UnsafeMutablePointer<Float>))
        where V.Scalar == Float {
        let w = V.scalarCount
        @inline(__always) func src(_ r: Int) -> UnsafePointer<Float> { stream + (rowIndex.map { Int($0[r]) } ?? r) * stride }
        @inline(__always) func load(_ q: UnsafePointer<Float>) -> V { UnsafeRawPointer(q).loadUnaligned(as: V.self) }
        @inline(__always) func store(_ v: V, _ y: UnsafeMutablePointer<Float>, _ r: Int) {
            UnsafeMutableRawPointer(y + r * w).storeBytes(of: v, as: V.self)
        }
        active.withUnsafeBufferPointer { act in
            var r = 0
            while r + 2 <= rows {
                let s0 = src(r), s1 = src(r + 1)
                var a0 = V(), a1 = V(), b0 = V(), b1 = V(), c0 = V(), c1 = V()
                for j in act {
                    let o = j * w, x0 = load(s0 + o), x1 = load(s1 + o)
                    let pa = V(repeating: p[j]), pb = V(repeating: p[m + j])
                    a0 += pa * x0; a1 += pa * x1
                    b0 += pb * x0; b1 += pb * x1
                    if three {
                        let pc = V(repeating: p[2 * m + j])
                        c0 += pc * x0; c1 += pc * x1
                    }
                }
                store(a0, y.0, r); store(a1, y.0, r + 1)
                store(b0, y.1, r); store(b1, y.1, r + 1)
                if three { store(c0, y.2, r); store(c1, y.2, r + 1) }
                r += 2
            }
            if r < rows {
                let s0 = src(r)
                var a0 = V(), b0 = V(), c0 = V()
                for j in act {
                    let x0 = load(s0 + j * w)
                    a0 += V(repeating: p[j]) * x0
                    b0 += V(repeating: p[m + j]) * x0
                    if three { c0 += V(repeating: p[2 * m + j]) * x0 }
                }
                store(a0, y.0, r); store(b0, y.1, r)
                if three { store(c0, y.2, r) }
            }
        }
    }

    /// `∂stream[row r, j] += π_{2j} ∂y_2[r]` (when `three`), then `+= π_{1j} ∂y_1[r]`, then
    /// `+= π_{0j} ∂y_0[r]`, for the active `j`: the additions of the gates' separate backward
    /// passes, in their order, with one load and store of `∂stream` instead of one per gate.
    @inline(__always)
    static func streamGradients<V: SIMD>(_: V.Type, three: Bool, _ rows: Int, _ rowIndex: UnsafePointer<Int32>?,
                                         _ stream: Tensor,
                                         _ gy: (UnsafePointer<Float>, UnsafePointer<Float>, UnsafePointer<Float>),
                                         _ p: UnsafePointer<Float>, _ m: Int, _ active: [Int])
        where V.Scalar == Float {
        guard let gs = stream.grad else { return }
        let w = V.scalarCount, stride = stream.shape[1]
        @inline(__always) func row(_ r: Int) -> Int { (rowIndex.map { Int($0[r]) } ?? r) * stride }
        @inline(__always) func load(_ q: UnsafePointer<Float>) -> V { UnsafeRawPointer(q).loadUnaligned(as: V.self) }
        for j in active {
            let pa = V(repeating: p[j]), pb = V(repeating: p[m + j]), pc = V(repeating: three ? p[2 * m + j] : 0)
            for r in 0..<rows {
                let dst = gs + row(r) + j * w
                var acc = load(dst)
                if three { acc += pc * load(gy.2 + r * w) }
                acc += pb * load(gy.1 + r * w)
                acc += pa * load(gy.0 + r * w)
                UnsafeMutableRawPointer(dst).storeBytes(of: acc, as: V.self)
            }
        }
    }

    /// `∂π_gj += Σ_r ⟨stream[row r, j], ∂y_g[r]⟩` for the gates 0, 1 (and 2 when `three`) and the
    /// active `j` with `sparseGradient`, else all `m`: two variables at a time, each stream load
    /// shared by every gate; every sum in row order, then lane order, as
    /// ``gateGradient(_:_:_:_:_:_:m:into:sparseGradient:)`` adds it.
    @inline(__always)
    static func gateGradients<V: SIMD>(_: V.Type, three: Bool, _ rows: Int, _ rowIndex: UnsafePointer<Int32>?,
                                       _ stream: Tensor,
                                       _ gy: (UnsafePointer<Float>, UnsafePointer<Float>, UnsafePointer<Float>),
                                       _ m: Int, _ active: [Int], _ gp: UnsafeMutablePointer<Float>,
                                       _ sparseGradient: Bool)
        where V.Scalar == Float {
        let w = V.scalarCount, stride = stream.shape[1]
        @inline(__always) func row(_ r: Int) -> Int { (rowIndex.map { Int($0[r]) } ?? r) * stride }
        @inline(__always) func load(_ q: UnsafePointer<Float>) -> V { UnsafeRawPointer(q).loadUnaligned(as: V.self) }
        @inline(__always) func add(_ acc: V, _ at: Int) { gp[at] += laneSum(acc) }
        let count = sparseGradient ? active.count : m
        @inline(__always) func js(_ i: Int) -> Int { sparseGradient ? active[i] : i }
        var i = 0
        while i < count {
            let pair = i + 1 < count
            let j0 = js(i), j1 = pair ? js(i + 1) : j0
            var a0 = V(), a1 = V(), b0 = V(), b1 = V(), c0 = V(), c1 = V()
            for r in 0..<rows {
                let s = stream.data + row(r), x0 = load(s + j0 * w), x1 = load(s + j1 * w)
                let ga = load(gy.0 + r * w), gb = load(gy.1 + r * w)
                a0 += x0 * ga; a1 += x1 * ga
                b0 += x0 * gb; b1 += x1 * gb
                if three {
                    let gc = load(gy.2 + r * w)
                    c0 += x0 * gc; c1 += x1 * gc
                }
            }
            add(a0, j0); add(b0, m + j0)
            if three { add(c0, 2 * m + j0) }
            if pair {
                add(a1, j1); add(b1, m + j1)
                if three { add(c1, 2 * m + j1) }
            }
            i += 2
        }
    }
}
