import Foundation
import Testing
@testable import Autograd
@testable import Network

/// The MLP's forward pass computes each distinct input pair once (``DuplicateRows``) and copies
/// the result to the repeats: it must give every row exactly what computing it alone gives.
@Suite("Rows computed once")
struct DuplicateRowsTests {
    /// The numbering the kernel must produce: distinct rows in order of first appearance.
    static func reference(_ a: [Float], _ b: [Float], rows: Int, width: Int) -> (source: [Int32], first: [Int32]) {
        var source = [Int32](), first = [Int32]()
        func bits(_ r: Int) -> [UInt32] {
            (0..<width).map { a[r * width + $0].bitPattern } + (0..<width).map { b[r * width + $0].bitPattern }
        }
        for r in 0..<rows {
            if let i = first.firstIndex(where: { bits(Int($0)) == bits(r) }) {
                source.append(Int32(i))
            } else {
                source.append(Int32(first.count))
                first.append(Int32(r))
            }
        }
        return (source, first)
    }

    @Test("numbers distinct rows in order of first appearance, bit for bit", arguments: [1, 3, 8, 16])
    func numbering(width: Int) {
        var rng = RandomStream(seed: 5)
        let rows = 300
        // Rows drawn from 20 patterns (one-hot pairs and soft rows), plus a −0 that must not
        // match its +0 twin, so there are many repeats and some hash collisions to resolve.
        let patterns = (0..<20).map { p -> ([Float], [Float]) in
            if p % 2 == 0 {
                return ((0..<width).map { $0 == p % width ? 1 : 0 }, (0..<width).map { $0 == (p / 2) % width ? 1 : 0 })
            }
            return ((0..<width).map { _ in rng.uniform() }, (0..<width).map { _ in rng.uniform() })
        }
        var a = [Float](), b = [Float]()
        for r in 0..<rows {
            // Rows 0 and 7 take the one-hot pattern 0, row 7 with its zeros in b written as −0.
            let p = patterns[r == 0 || r == 7 ? 0 : Int(rng.uniform() * 20) % 20]
            a += p.0
            b += r == 7 ? p.1.map { $0 == 0 ? -0.0 : $0 } : p.1
        }
        var source = [Int32](repeating: -1, count: rows), first = [Int32](repeating: -1, count: rows)
        var table = [Int32](repeating: 0, count: DuplicateRows.tableSize(rows: rows))
        let n = DuplicateRows.find(a, b, rows: rows, width: width, source: &source, first: &first, table: &table)
        let expected = Self.reference(a, b, rows: rows, width: width)
        #expect(n == expected.first.count)
        #expect(n <= 21 && n < rows)
        #expect(source == expected.source)
        #expect(Array(first.prefix(n)) == expected.first)
        // Equal as numbers, not as bits: row 7 must not share row 0's number (width 1 has no
        // zero in pattern 0's b, so there the two rows are the same bits).
        #expect((source[7] == source[0]) == (width == 1))
    }

    /// A batch whose rows repeat (one-hot pairs, as late in training) against each row run on
    /// its own: the samples must be bit-for-bit the same.
    @Test("the MLP gives each repeated row what it computes alone", arguments: [false, true])
    func mlpRows(numerical: Bool) {
        var rng = RandomStream(seed: 9)
        let k = 8, d = 16, w = numerical ? 1 : k, rows = 12
        let mlp = ProgramMLP(numerical: numerical, variables: 2, width: k, hidden: d, rng: &rng)
        let a = Tensor([rows, w]), b = Tensor([rows, w])
        for r in 0..<rows {
            // Rows 0–3 repeat as 4–7 and 8–11, except row 10, which is soft.
            for c in 0..<w {
                a[r, c] = numerical ? Float(r % 4) / 4 : (c == r % 4 ? 1 : 0)
                b[r, c] = numerical ? Float((r % 4) / 2) : (c == (r % 4) / 2 ? 1 : 0)
                if r == 10 { a[r, c] = rng.uniform() }
            }
        }
        func outputs(_ x: Tensor, _ y: Tensor, rows n: Int) -> [Float] {
            let tokens = [Int32](repeating: 1, count: n)
            return tokens.withUnsafeBufferPointer { tok in
                let batch = SequenceBatch(sequences: 1, length: n, tokens: tok.baseAddress!, causal: false, tau: 0.5,
                                          mode: .softmax)
                let tape = Tape(recording: false)
                let stream = tape.tensor([n, k], zero: true)
                var noise = RandomStream(seed: 1)
                tape.programMLP(x, y, inWeight: mlp.inWeight, inBias: mlp.inBias, outWeight: mlp.outWeight,
                                outBias: mlp.outBias, batch: batch, into: stream, slot: 0, rng: &noise)
                return stream.values
            }
        }
        let whole = outputs(a, b, rows: rows)
        for r in 0..<rows {
            let alone = outputs(Tensor([1, w], values: (0..<w).map { a[r, $0] }),
                                Tensor([1, w], values: (0..<w).map { b[r, $0] }), rows: 1)
            #expect(Array(whole[r * k ..< (r + 1) * k]).map(\.bitPattern) == alone.map(\.bitPattern), "row \(r)")
        }
        #expect(Array(whole[0..<k]) == Array(whole[4 * k ..< 5 * k]))
    }

    /// The same MLP with repeated rows, checked against finite differences: the repeats' `h`
    /// (copied from the row computed) must carry their gradients as if computed themselves.
    @Test("MLP gradients with repeated rows match finite differences")
    func mlpGradients() {
        var rng = RandomStream(seed: 13)
        let k = 8, d = 16, rows = 10
        let mlp = ProgramMLP(numerical: false, variables: 2, width: k, hidden: d, rng: &rng)
        let a = Tensor([rows, k]), b = Tensor([rows, k])
        for r in 0..<rows { for c in 0..<k { a[r, c] = c == r % 3 ? 1 : 0; b[r, c] = c == r % 2 ? 1 : 0 } }
        let tokens = [Int32](repeating: 1, count: rows)
        let inputs = [mlp.inWeight, mlp.inBias, mlp.outWeight, mlp.outBias]
        let report = tokens.withUnsafeBufferPointer { tok in
            let batch = SequenceBatch(sequences: 1, length: rows, tokens: tok.baseAddress!, causal: false, tau: 1,
                                      mode: .gumbelSoft)
            return GradientCheck.run(inputs: inputs, epsilon: 2e-3) { tape in
                let stream = tape.tensor([rows, k], zero: true, grad: true)
                var noise = RandomStream(seed: 3)
                tape.programMLP(a, b, inWeight: mlp.inWeight, inBias: mlp.inBias, outWeight: mlp.outWeight,
                                outBias: mlp.outBias, batch: batch, into: stream, slot: 0, rng: &noise)
                return stream
            }
        }
        #expect(report.checked == inputs.reduce(0) { $0 + $1.count })
        #expect(report.maxError < 2e-2, "\(report)")
    }

    @Test("the eight-lane exp, max and sampler agree bit for bit with the sixteen-lane ones")
    func eightLanes() {
        var x: Float = -95
        while x < 90 {
            var v = SIMD8<Float>()
            for i in 0..<8 { v[i] = x + Float(i) * 0.013 }
            v[3] = i3(x)
            let e8 = VectorMath.exp(v), e16 = VectorMath.exp(SIMD16(lowHalf: v, highHalf: v))
            #expect((0..<8).allSatisfy { e8[$0].bitPattern == e16[$0].bitPattern }, "at \(x)")
            #expect(Vector.max(v) == Vector.max(SIMD16(lowHalf: v, highHalf: SIMD8(repeating: -.infinity))))
            x += 0.37
        }
        func i3(_ x: Float) -> Float { x < -90 ? -.infinity : x }
        // The sampler on rows of 1…8 values, against the sixteen-lane formula written out.
        var rng = RandomStream(seed: 2)
        for n in 1...8 {
            for tau: Float in [3, 0.4, 0.01] {
                let logits = (0..<n).map { _ in rng.normal() * 3 }, noise = (0..<n).map { _ in rng.normal() }
                var y = [Float](repeating: 0, count: n)
                y.withUnsafeMutableBufferPointer { out in
                    Sampler.forward(logits, count: n, tau: tau, mode: .gumbelSoft, noise: noise, into: out.baseAddress!,
                                    soft: out.baseAddress!)
                }
                var z = SIMD16<Float>(repeating: -.infinity), g = SIMD16<Float>()
                for j in 0..<n { z[j] = logits[j]; g[j] = noise[j] }
                z = (z + g) * (1 / tau)
                let e = VectorMath.exp(z - Vector.max(z))
                let expected = e * (1 / Vector.sum(e))
                #expect((0..<n).allSatisfy { y[$0].bitPattern == expected[$0].bitPattern }, "n \(n), τ \(tau)")
            }
        }
    }
}
