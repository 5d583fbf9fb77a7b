import Autograd
import Foundation

/// A categorical or numerical MLP: reads two variables and writes a new categorical variable.
///
/// With `u = [a; b]` (two categorical blocks of width `k`, or two numerical scalars):
/// ```
/// h = ReLU(W_in u + b_in)            W_in ∈ R^{d×2w}
/// o = log_softmax(W_out h + b_out)   W_out ∈ R^{k×d}
/// y = sample(o, τ)
/// ```
/// Discrete, the inputs are one value each, so the module is a lookup table from
/// `(a, b)` to `argmax o` — at most `k²` rows for a categorical MLP, and one row per
/// reachable pair of numbers for a numerical one.
public struct ProgramMLP {
    /// Whether the inputs are numerical variables (scalars) rather than categorical ones.
    public let numerical: Bool
    /// Gates for the two inputs.
    public let read: VariableRead
    public let inWeight: Tensor   // [d, 2w]
    public let inBias: Tensor     // [d]
    public let outWeight: Tensor  // [k, d]
    public let outBias: Tensor    // [k]

    /// Input width `w`: `k` for categorical inputs, 1 for numerical ones.
    public var inputWidth: Int { inWeight.shape[1] / 2 }

    public init(numerical: Bool, variables: Int, width k: Int, hidden d: Int, rng: inout RandomStream) {
        self.numerical = numerical
        let w = numerical ? 1 : k
        read = VariableRead(gates: 2, variables: variables, rng: &rng)
        let si = 1 / Float(d).squareRoot(), so = 1 / Float(k).squareRoot()
        inWeight = Tensor([d, 2 * w], values: (0..<d * 2 * w).map { _ in rng.normal() * si }, requiresGrad: true)
        inBias = Tensor([d], requiresGrad: true)
        outWeight = Tensor([k, d], values: (0..<k * d).map { _ in rng.normal() * so }, requiresGrad: true)
        outBias = Tensor([k], requiresGrad: true)
    }

    /// The MLP's output for one block, written into `catStream` slot `slot`. `weights` are the
    /// chunk's views of `inWeight, inBias, outWeight, outBias`.
    public func callAsFunction(_ tape: Tape, catStream: Tensor, numStream: Tensor, batch: SequenceBatch,
                               pi: Tensor, weights: ArraySlice<Tensor>, slot: Int, rng: inout RandomStream) {
        let source = numerical ? numStream : catStream
        let sparse = batch.mode.hasSparseGradient
        let ab = tape.readVariables(source, width: inputWidth, gates: pi, batch: batch, sparseGradient: sparse)
        let w = Array(weights)
        tape.programMLP(ab[0], ab[1], inWeight: w[0], inBias: w[1], outWeight: w[2], outBias: w[3], batch: batch,
                        into: catStream, slot: slot, rng: &rng)
    }
}

extension Tape {
    /// The fused MLP kernel (see ``ProgramMLP``) on the batch's packed rows (`a`, `b`:
    /// `[packedRows, w]`); the sampled output goes to `stream[rowIndex[r], slot]`. The Gumbel
    /// noise is drawn for every stream row, pad rows included, so the draws a row gets do not
    /// depend on the packing.
    public func programMLP(_ a: Tensor, _ b: Tensor, inWeight: Tensor, inBias: Tensor, outWeight: Tensor,
                           outBias: Tensor, batch: SequenceBatch, into stream: Tensor, slot: Int,
                           rng: inout RandomStream) {
        let mark = Profile.enter(.mlp)
        defer { Profile.exit(mark) }
        let rows = a.shape[0], w = a.shape[1], d = inWeight.shape[0], k = outWeight.shape[0]
        let stride = stream.shape[1], rowIndex = batch.rowIndex
        precondition(rows == batch.packedRows, "MLP inputs must hold the batch's packed rows")
        if batch.mode == .argmax {
            discreteMLP(a, b, inWeight: inWeight, inBias: inBias, outWeight: outWeight, outBias: outBias,
                        rowIndex: rowIndex, into: stream, slot: slot)
            return
        }
        // h = ReLU(a·W_in[:, :w]ᵀ + b·W_in[:, w:]ᵀ + b_in),  o = log_softmax(h·W_outᵀ + b_out)
        let inT = tensor(rows: 2 * w, cols: d), outT = tensor(rows: d, cols: k)
        RowLinear.transpose(inWeight.data, rows: d, cols: 2 * w, into: inT.data)
        RowLinear.transpose(outWeight.data, rows: k, cols: d, into: outT.data)
        let h = tensor(rows: rows, cols: d), logp = tensor(rows: rows, cols: k)
        // Each distinct input pair is computed once (late in training a few dozen of hundreds of
        // rows, see ``DuplicateRows``) into the first rows of `h` and `logp`, then copied out to
        // every row that has it. The scratch is taken at full size whatever the count, so every
        // step asks the arena for the same buffers.
        let source = indices(rows), first = indices(rows), table = indices(DuplicateRows.tableSize(rows: rows))
        let distinctA = tensor(rows: rows, cols: w), distinctB = tensor(rows: rows, cols: w)
        let n = DuplicateRows.find(a.data, b.data, rows: rows, width: w, source: source, first: first, table: table)
        let repeats = n < rows
        var (xa, xb) = (UnsafePointer(a.data), UnsafePointer(b.data))
        if repeats {
            LiveRows.gather(a.data, width: w, index: first, count: n, into: distinctA.data)
            LiveRows.gather(b.data, width: w, index: first, count: n, into: distinctB.data)
            (xa, xb) = (UnsafePointer(distinctA.data), UnsafePointer(distinctB.data))
        }
        RowLinear.forward(rows: n, in: w, out: d, x: xa, ldx: w, wt: inT.data, bias: inBias.data, y: h.data, ldy: d)
        RowLinear.forward(rows: n, in: w, out: d, x: xb, ldx: w, wt: inT.data + w * d, bias: nil,
                          y: h.data, ldy: d, accumulate: true)
        Self.relu(h.data, count: n * d)
        RowLinear.forward(rows: n, in: d, out: k, x: h.data, ldx: d, wt: outT.data, bias: outBias.data,
                          y: logp.data, ldy: k)
        LogSoftmax.rows(logp.data, rows: n, count: k)
        if repeats {
            // In place, last row first: row r takes distinct row source[r] ≤ r, whose slot no row
            // after r has overwritten yet, and no row before r needs slot r (source[r′] ≤ r′ < r).
            for r in (0..<rows).reversed() {
                let i = Int(source[r])
                if i == r { continue }
                (h.data + r * d).update(from: h.data + i * d, count: d)
                (logp.data + r * k).update(from: logp.data + i * k, count: k)
            }
        }
        // y = sample(o, τ)
        let sampling = Profile.enter(.sampling)
        let soft = tensor(rows: rows, cols: k)
        let noise = batch.mode.isNoisy ? tensor(rows: batch.rows, cols: k) : nil
        if let noise { rng.fillGumbel(noise.data, count: noise.count) }
        for r in 0..<rows {
            let row = Int(rowIndex[r])
            let y = stream.data + row * stride + slot * k
            Sampler.forward(logp.data + r * k, count: k, tau: batch.tau, mode: batch.mode,
                            noise: noise.map { UnsafePointer($0.data + row * k) }, into: y,
                            soft: batch.mode == .gumbelHard ? soft.data + r * k : y)
            if batch.mode == .gumbelSoft || batch.mode == .softmax { (soft.data + r * k).update(from: y, count: k) }
        }
        Profile.exit(sampling)
        guard batch.mode.isDifferentiable && needsGrad(a, b, inWeight, outWeight), let gStream = stream.grad
        else { return }
        let tau = batch.tau
        record {
            let mark = Profile.enter(.mlp)
            defer { Profile.exit(mark) }
            // ∂o (through the sampler and log_softmax)
            let dOut = self.tensor(rows: rows, cols: k, zero: true)
            for r in 0..<rows {
                let dlogp = dOut.data + r * k
                Sampler.backward(soft: soft.data + r * k, gradOutput: gStream + Int(rowIndex[r]) * stride + slot * k,
                                 count: k,
                                 tau: tau, into: dlogp)
                var sum: Float = 0
                for c in 0..<k { sum += dlogp[c] }
                let lp = logp.data + r * k, p = soft.data + r * k
                // softmax(o) = exp(log_softmax(o)), reusing `soft` as scratch once it is consumed
                LogSoftmax.exponentiate(lp, count: k, into: p)
                for c in 0..<k { dlogp[c] -= p[c] * sum }
            }
            // Rows whose sample is exactly one-hot have ∂o = 0: the products run over the others,
            // packed into the first `live` rows (``LiveRows``). The scratch is taken from the tape
            // at full size whatever `live` is, so every step asks the arena for the same buffers.
            let dh = self.tensor(rows: rows, cols: d)
            let packedA = self.tensor(rows: rows, cols: w), packedB = self.tensor(rows: rows, cols: w)
            let packedDA = self.tensor(rows: rows, cols: w), packedDB = self.tensor(rows: rows, cols: w)
            let index = self.indices(rows)
            let live = LiveRows.find(dOut.data, rows: rows, width: k, into: index)
            if live == 0 { return }
            let packed = live < rows
            var ax = a.data, bx = b.data
            if packed {
                // `dOut` and `h` are this closure's own from here on, so they are packed in place.
                LiveRows.compact(dOut.data, width: k, index: index, count: live)
                LiveRows.compact(h.data, width: d, index: index, count: live)
                LiveRows.gather(a.data, width: w, index: index, count: live, into: packedA.data)
                LiveRows.gather(b.data, width: w, index: index, count: live, into: packedB.data)
                (ax, bx) = (packedA.data, packedB.data)
            }
            // ∂W_out += ∂oᵀ·h, ∂b_out += Σ ∂o, ∂h = ∂o·W_out (through the ReLU)
            if let g = outWeight.grad {
                RowLinear.backwardWeight(rows: live, in: d, out: k, dy: dOut.data, ldy: k, x: h.data, ldx: d,
                                         dw: g, dbias: outBias.grad)
            }
            RowLinear.backwardInput(rows: live, in: d, out: k, dy: dOut.data, ldy: k, w: outWeight.data,
                                    dx: dh.data, ldx: d, accumulate: false)
            Self.reluBackward(h.data, dh.data, count: live * d)
            // ∂W_in[:, :w] += ∂hᵀ·a, ∂W_in[:, w:] += ∂hᵀ·b, ∂b_in += Σ ∂h, ∂a = ∂h·W_in[:, :w], ∂b = ∂h·W_in[:, w:]
            if let g = inWeight.grad {
                RowLinear.backwardWeight(rows: live, in: w, out: d, dy: dh.data, ldy: d, x: ax, ldx: w,
                                         dw: g, lddw: 2 * w, dbias: inBias.grad)
                RowLinear.backwardWeight(rows: live, in: w, out: d, dy: dh.data, ldy: d, x: bx, ldx: w,
                                         dw: g + w, lddw: 2 * w, dbias: nil)
            }
            func inputGradient(_ input: Tensor, column: Int, scratch: Tensor) {
                guard let g = input.grad else { return }
                let dx = packed ? scratch.data : g
                RowLinear.backwardInput(rows: live, in: w, out: d, dy: dh.data, ldy: d, w: inWeight.data + column,
                                        ldw: 2 * w, dx: dx, ldx: w, accumulate: !packed)
                if packed { LiveRows.scatterAdd(dx, width: w, index: index, count: live, into: g) }
            }
            inputGradient(a, column: 0, scratch: packedDA)
            inputGradient(b, column: w, scratch: packedDB)
        }
    }

    /// `x = max(x, 0)`, eight lanes at a time (no branch per value: the signs are random early in
    /// training, and a mispredicted branch per value costs more than the whole MLP product).
    static func relu(_ x: UnsafeMutablePointer<Float>, count: Int) {
        var i = 0
        while i + 8 <= count {
            let v = UnsafeRawPointer(x + i).loadUnaligned(as: SIMD8<Float>.self)
            UnsafeMutableRawPointer(x + i).storeBytes(of: v.replacing(with: 0, where: v .< 0), as: SIMD8<Float>.self)
            i += 8
        }
        while i < count { x[i] = max(x[i], 0); i += 1 }
    }

    /// `∂h = 0` where `h ≤ 0` (ReLU's gradient), eight lanes at a time.
    static func reluBackward(_ h: UnsafePointer<Float>, _ dh: UnsafeMutablePointer<Float>, count: Int) {
        var i = 0
        while i + 8 <= count {
            let v = UnsafeRawPointer(h + i).loadUnaligned(as: SIMD8<Float>.self)
            let g = UnsafeRawPointer(dh + i).loadUnaligned(as: SIMD8<Float>.self)
            UnsafeMutableRawPointer(dh + i).storeBytes(of: g.replacing(with: 0, where: v .<= 0), as: SIMD8<Float>.self)
            i += 8
        }
        while i < count { if h[i] <= 0 { dh[i] = 0 }; i += 1 }
    }

    /// The discrete MLP (``Discrete/mlpOutput(inWeight:inBias:outWeight:outBias:hidden:outputs:inputWidth:_:_:)``)
    /// on every packed row: one-hot inputs (or numbers) in, a one-hot output out. Categorical rows are
    /// looked up in a `k × k` table filled on first use; a row whose input is empty (no value)
    /// gets an empty output.
    func discreteMLP(_ a: Tensor, _ b: Tensor, inWeight: Tensor, inBias: Tensor, outWeight: Tensor, outBias: Tensor,
                     rowIndex: UnsafePointer<Int32>, into stream: Tensor, slot: Int) {
        let rows = a.shape[0], w = a.shape[1], d = inWeight.shape[0], k = outWeight.shape[0]
        let stride = stream.shape[1]
        var table = [Int](repeating: -1, count: w == 1 ? 0 : w * w)
        func value(_ t: Tensor, _ r: Int) -> Float? {
            let p = t.data + r * w
            if w == 1 { return p[0] }
            for c in 0..<w where p[c] == 1 { return Float(c) }
            return nil
        }
        for r in 0..<rows {
            let out = stream.data + Int(rowIndex[r]) * stride + slot * k
            for c in 0..<k { out[c] = 0 }
            guard let x = value(a, r), let y = value(b, r) else { continue }
            var o: Int
            if w == 1 {
                o = Discrete.mlpOutput(inWeight: inWeight.data, inBias: inBias.data, outWeight: outWeight.data,
                                       outBias: outBias.data, hidden: d, outputs: k, inputWidth: w, x, y)
            } else {
                let key = Int(x) * w + Int(y)
                o = table[key]
                if o < 0 {
                    o = Discrete.mlpOutput(inWeight: inWeight.data, inBias: inBias.data, outWeight: outWeight.data,
                                           outBias: outBias.data, hidden: d, outputs: k, inputWidth: w, x, y)
                    table[key] = o
                }
            }
            out[o] = 1
        }
    }
}
