import Foundation
import Testing
@testable import Autograd
@testable import Network

/// The backward passes skip the rows whose sample is exactly one-hot (``LiveRows``). These tests
/// build batches where some rows are one-hot and others are not, and check every gradient: the
/// skipped rows must contribute nothing, and the packed rows must land back where they came from.
@Suite("Rows with one-hot samples")
struct OneHotRowsTests {
    @Test("LiveRows finds, packs, gathers and scatters rows")
    func liveRows() {
        let g: [Float] = [0, -0, 0, 1, 0, 0, 0, 0, 0, 0, 0, -2]   // 4 rows of 3: rows 1 and 3 hold a non-zero
        var index = [Int32](repeating: -1, count: 4)
        let count = LiveRows.find(g, rows: 4, width: 3, into: &index)
        #expect(count == 2)
        #expect(Array(index.prefix(2)) == [1, 3])
        var x: [Float] = (0..<8).map(Float.init)                  // 4 rows of 2
        LiveRows.compact(&x, width: 2, index: index, count: count)
        #expect(Array(x.prefix(4)) == [2, 3, 6, 7])
        var packed = [Float](repeating: 0, count: 4)
        LiveRows.gather([10, 11, 12, 13, 14, 15, 16, 17], width: 2, index: index, count: count, into: &packed)
        #expect(packed == [12, 13, 16, 17])
        var y = [Float](repeating: 1, count: 8)
        LiveRows.scatterAdd([5, 6, 7, 8], width: 2, index: index, count: count, into: &y)
        #expect(y == [1, 1, 6, 7, 1, 1, 8, 9])
    }

    /// Hidden unit 0 is `relu(50 a₀ − 25)` and adds `20 ×` it to output 0: the rows with `a₀ = 1`
    /// get a logit 500 above the others (an exactly one-hot sample), those with `a₀ < 0.3` none.
    @Test("MLP: finite differences with some outputs exactly one-hot", arguments: [false, true])
    func mlp(numerical: Bool) {
        var rng = RandomStream(seed: 21)
        let k = 8, d = 16, w = numerical ? 1 : k
        let mlp = ProgramMLP(numerical: numerical, variables: 2, width: k, hidden: d, rng: &rng)
        for c in 0..<2 * w { mlp.inWeight[0, c] = c == 0 ? 50 : 0 }
        mlp.inBias[0] = -25
        for c in 0..<k { mlp.outWeight[c, 0] = c == 0 ? 20 : 0 }
        // Two sequences, of 5 and 3 tokens (padded to 5): packed rows 0…7.
        let tokens: [Int32] = [1, 1, 1, 1, 1, 1, 1, 1, 0, 0]
        let oneHotRows: Set = [1, 2, 6]
        let a = Tensor([8, w]), b = Tensor([8, w])
        for r in 0..<8 {
            for c in 0..<w {
                a[r, c] = rng.uniform() * 0.3
                b[r, c] = rng.uniform()
            }
            if oneHotRows.contains(r) { a[r, 0] = 1 }
        }
        let inputs = [a, b, mlp.inWeight, mlp.inBias, mlp.outWeight, mlp.outBias]
        let report = tokens.withUnsafeBufferPointer { tok in
            let batch = SequenceBatch(sequences: 2, length: 5, tokens: tok.baseAddress!, causal: false, tau: 1,
                                      mode: .gumbelSoft)
            return GradientCheck.run(inputs: inputs, epsilon: 2e-3) { tape in
                let stream = tape.tensor([10, 2 * k], zero: true, grad: true)
                var noise = RandomStream(seed: 3)
                tape.programMLP(a, b, inWeight: mlp.inWeight, inBias: mlp.inBias, outWeight: mlp.outWeight,
                                outBias: mlp.outBias, batch: batch, into: stream, slot: 1, rng: &noise)
                if tape.isRecording {
                    // The sample of every packed row: exactly one-hot where expected, soft elsewhere.
                    for r in 0..<8 {
                        let row = batch.rowIndex[r]
                        let y = (0..<k).map { stream.data[Int(row) * 2 * k + k + $0] }
                        #expect((y == [1] + [Float](repeating: 0, count: k - 1)) == oneHotRows.contains(r), "row \(r)")
                    }
                }
                return stream
            }
        }
        #expect(report.checked == inputs.reduce(0) { $0 + $1.count })
        #expect(report.maxError < 2e-2, "\(report)")
        // The one-hot rows' inputs get no gradient, the others do.
        for r in 0..<8 {
            let da = (0..<w).map { a.gradient[r * w + $0] }
            #expect(da.allSatisfy { $0 == 0 } == oneHotRows.contains(r), "row \(r): \(da)")
        }
    }

    /// Queries that accept exactly one key (one-hot query, one-hot keys, identity predicate) get
    /// an exactly one-hot attention at τ = 0.1; the others (soft queries) do not. Gradients are
    /// compared with an independent evaluation of the head's forward and backward in `Double`.
    @Test("categorical attention: gradients with some rows exactly one-hot", arguments: [false, true])
    func attention(causal: Bool) {
        var rng = RandomStream(seed: causal ? 31 : 32)
        let k = 8, n = 6, tau: Float = 0.1
        let tokens: [Int32] = [1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0]   // lengths 6 and 4
        let keyValues = [0, 1, 2, 3, 4, 5, 3, 1, 0, 2]                // packed rows
        let oneHotQueries: [Int: Int] = [3: 2, 5: 5, 7: 3, 9: 2]      // packed row → value (a key at or before it)
        let q = Tensor([10, k], requiresGrad: true), key = Tensor([10, k], requiresGrad: true)
        let v = Tensor([10, k], requiresGrad: true), w = Tensor([k, k], requiresGrad: true)
        for r in 0..<10 {
            key[r, keyValues[r]] = 1
            for c in 0..<k { v[r, c] = rng.uniform() * 2 - 1 }
            if let value = oneHotQueries[r] {
                q[r, value] = 1
            } else {
                for c in 0..<k { q[r, c] = 0.2 + rng.uniform() }
            }
        }
        for c in 0..<k { w[c, c] = 1 }
        let projection = (0..<12 * k).map { _ in Double(rng.uniform() * 2 - 1) }
        let stream = Tensor([12, k], requiresGrad: true)
        tokens.withUnsafeBufferPointer { tok in
            let batch = SequenceBatch(sequences: 2, length: n, tokens: tok.baseAddress!, causal: causal, tau: tau,
                                      mode: .softmax)
            let tape = Tape()
            var noise = RandomStream(seed: 0)
            tape.categoricalAttention(query: q, key: key, value: v, predicate: w, batch: batch, into: stream, slot: 0,
                                      rng: &noise)
            for i in 0..<12 * k { stream.grad![i] = Float(projection[i]) }
            tape.backward(stream, seeded: true)
            let expected = Self.referenceAttention(q: q, key: key, v: v, w: w, batch: batch, projection: projection)
            // The one-hot queries read exactly their key's value.
            for (r, value) in oneHotQueries {
                let s = r < 6 ? 0 : 1, j = (0..<batch.lengths[s]).first { keyValues[batch.offsets[s] + $0] == value }!
                let row = Int(batch.rowIndex[r])
                #expect((0..<k).map { stream[row, $0] } == (0..<k).map { v[batch.offsets[s] + j, $0] }, "row \(r)")
            }
            for (name, t, reference) in [("q", q, expected.dq), ("key", key, expected.dk), ("v", v, expected.dv),
                                         ("W", w, expected.dw)] {
                let error = zip(t.gradient, reference).map { abs(Double($0) - $1) / max(1, abs($1)) }.max()!
                #expect(error < 1e-3, "∂\(name): error \(error)")
            }
            // The one-hot queries get no gradient, the others do (a causal first query sees one key
            // only: its attention is one-hot too).
            for r in 0..<10 {
                let s = r < 6 ? 0 : 1, oneHot = oneHotQueries[r] != nil || batch.visibleKeys(s, r - batch.offsets[s]) == 1
                let dq = (0..<k).map { q.gradient[r * k + $0] }
                #expect(dq.allSatisfy { $0 == 0 } == oneHot, "row \(r): \(dq)")
            }
        }
    }

    /// The head's forward and backward written out plainly in `Double` (SPEC §1), for the loss
    /// `Σ projection ⊙ out`.
    static func referenceAttention(q: Tensor, key: Tensor, v: Tensor, w: Tensor, batch: SequenceBatch,
                                   projection: [Double]) -> (dq: [Double], dk: [Double], dv: [Double], dw: [Double]) {
        let k = w.shape[0], n = batch.length, tau = Double(batch.tau), scale = 1 / Double(k).squareRoot()
        var dq = [Double](repeating: 0, count: q.count), dk = dq, dv = dq
        var dw = [Double](repeating: 0, count: w.count)
        for s in 0..<batch.sequences {
            let base = batch.offsets[s]
            for i in 0..<batch.lengths[s] {
                let visible = batch.visibleKeys(s, i), qi = base + i
                let qw = (0..<k).map { c in (0..<k).reduce(0.0) { $0 + Double(q[qi, $1]) * Double(w[$1, c]) } }
                let scores = (0..<visible).map { j in (0..<k).reduce(0.0) { $0 + qw[$1] * Double(key[base + j, $1]) } }
                let total = scores.reduce(0, +)
                // The BOS default as the kernel computes it, in Float32.
                let bos = max(0, 1 - Float(total) / (Float(total) + 1e-10)), bosActive = bos > 0
                var sb = scores
                sb[0] += Double(bos)
                let logits = (0..<visible).map { j in
                    (log(sb[j] + 1e-20) + Double(batch.bias[i * n + j])) * scale / tau
                }
                let top = logits.max()!
                let e = logits.map { exp($0 - top) }, sum = e.reduce(0, +)
                let a = e.map { $0 / sum }
                let dOut = (0..<k).map { projection[(s * n + i) * k + $0] }
                var dA = [Double](repeating: 0, count: visible)
                for j in 0..<visible {
                    for c in 0..<k {
                        dv[(base + j) * k + c] += a[j] * dOut[c]
                        dA[j] += dOut[c] * Double(v[base + j, c])
                    }
                }
                let mean = (0..<visible).reduce(0.0) { $0 + a[$1] * dA[$1] }
                var dS = (0..<visible).map { j in a[j] * (dA[j] - mean) / tau * scale / (sb[j] + 1e-20) }
                if bosActive {
                    let d = dS[0] * (-1e-10 / ((total + 1e-10) * (total + 1e-10)))
                    for j in 0..<visible { dS[j] += d }
                }
                var dqw = [Double](repeating: 0, count: k)
                for j in 0..<visible {
                    for c in 0..<k {
                        dqw[c] += dS[j] * Double(key[base + j, c])
                        dk[(base + j) * k + c] += dS[j] * qw[c]
                    }
                }
                for c in 0..<k {
                    for e in 0..<k {
                        dq[qi * k + c] += dqw[e] * Double(w[c, e])
                        dw[c * k + e] += Double(q[qi, c]) * dqw[e]
                    }
                }
            }
        }
        return (dq, dk, dv, dw)
    }
}
