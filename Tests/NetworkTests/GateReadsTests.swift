import Testing
@testable import Autograd
@testable import Network

/// `readVariables(_:width:gates:batch:sparseGradient:)` reads every gate of a head at once, in one
/// pass over the stream where it can. It must give the tensors and gradients of separate reads,
/// gate by gate, bit for bit (runs stay the same across the change), and those must be the sums
/// the read stands for.
@Suite("Reading every gate at once")
struct GateReadsTests {
    /// How the gates weigh the variables: all dense, all on the same variables (some exact
    /// zeros), or each gate on its own (one-hot, as late in training: the separate path).
    enum Weights: CaseIterable { case dense, sameZeros, different }

    struct Result { var outputs: [[Float]], streamGrad: [Float], gateGrad: [Float] }

    /// Reads `gates` gates of width `w` from a random stream (18 rows, 5 of them pad), with the
    /// outputs' gradients set to random values, then runs the backward pass; `together` uses the
    /// all-gates read.
    func read(w: Int, gates: Int, weights: Weights, sparse: Bool, together: Bool) -> Result {
        let m = 5, stride = (m + 1) * w, n = 6, sequences = 3
        var rng = RandomStream(seed: UInt64(w * 100 + gates))
        let stream = Tensor([sequences * n, stride], values: (0..<sequences * n * stride).map { _ in rng.normal() },
                            requiresGrad: true)
        for i in 0..<stream.count { stream.grad![i] = rng.normal() }
        var p = (0..<gates * m).map { _ in abs(rng.normal()) }
        for g in 0..<gates {
            for j in 0..<m {
                switch weights {
                case .dense: break
                case .sameZeros: if j % 2 == 1 { p[g * m + j] = 0 }
                case .different: p[g * m + j] = j == g ? 1 : 0
                }
            }
        }
        let pi = Tensor([gates, m], values: p, requiresGrad: true)
        // Sequences of 6, 3 and 4 tokens (0 = pad).
        let tokens: [Int32] = [1, 2, 3, 1, 2, 3, 1, 2, 3, 0, 0, 0, 3, 2, 1, 1, 0, 0]
        let tape = Tape()
        // The batch (its packed-row index) must live through the backward pass, as in training.
        let ys: [Tensor] = tokens.withUnsafeBufferPointer { tok in
            let batch = SequenceBatch(sequences: sequences, length: n, tokens: tok.baseAddress!, causal: false,
                                      tau: 1, mode: .gumbelSoft)
            let ys = together
                ? tape.readVariables(stream, width: w, gates: pi, batch: batch, sparseGradient: sparse)
                : (0..<gates).map { tape.readVariables(stream, width: w, gates: pi, gate: $0, batch: batch,
                                                       sparseGradient: sparse) }
            var grng = RandomStream(seed: 7)
            for y in ys { for i in 0..<y.count { y.grad![i] = grng.normal() } }
            tape.runBackward()
            return withExtendedLifetime(batch) { ys }
        }
        return Result(outputs: ys.map { Array(UnsafeBufferPointer(start: $0.data, count: $0.count)) },
                      streamGrad: Array(UnsafeBufferPointer(start: stream.grad!, count: stream.count)),
                      gateGrad: Array(UnsafeBufferPointer(start: pi.grad!, count: pi.count)))
    }

    /// Widths 8 and 16 only: other widths are read gate by gate, so comparing them would compare
    /// the same calls. The `.different` weights check that the one pass is not taken for them.
    @Test("all gates at once = gate by gate, bit for bit", arguments: [8, 16], [2, 3])
    func sameBits(w: Int, gates: Int) {
        for weights in Weights.allCases {
            for sparse in [false, true] {
                let a = read(w: w, gates: gates, weights: weights, sparse: sparse, together: true)
                let b = read(w: w, gates: gates, weights: weights, sparse: sparse, together: false)
                let label = "w \(w), \(gates) gates, \(weights), sparse \(sparse)"
                #expect(a.outputs.map { $0.map(\.bitPattern) } == b.outputs.map { $0.map(\.bitPattern) }, "\(label): y")
                #expect(a.streamGrad.map(\.bitPattern) == b.streamGrad.map(\.bitPattern), "\(label): ∂stream")
                #expect(a.gateGrad.map(\.bitPattern) == b.gateGrad.map(\.bitPattern), "\(label): ∂π")
            }
        }
    }

    /// The sums themselves, in Double: `y_g[p] = Σ_j π_gj stream[row p, j]` over the packed rows.
    @Test("the outputs are the gates' weighted sums of the packed rows", arguments: [8, 16])
    func values(w: Int) {
        let m = 5, stride = (m + 1) * w
        var rng = RandomStream(seed: UInt64(w * 100 + 3))
        // The draws `read` makes: the stream, its gradient, then the gates.
        let stream = (0..<18 * stride).map { _ in Double(rng.normal()) }
        for _ in 0..<18 * stride { _ = rng.normal() }
        let p = (0..<3 * m).map { _ in Double(abs(rng.normal())) }
        let rows = [0, 1, 2, 3, 4, 5, 6, 7, 8, 12, 13, 14, 15]
        let r = read(w: w, gates: 3, weights: .dense, sparse: false, together: true)
        for g in 0..<3 {
            #expect(r.outputs[g].count == rows.count * w)
            for (q, row) in rows.enumerated() {
                for c in 0..<w {
                    var s = 0.0
                    for j in 0..<m { s += p[g * m + j] * stream[row * stride + j * w + c] }
                    #expect(abs(Double(r.outputs[g][q * w + c]) - s) < 1e-4, "gate \(g), row \(row), lane \(c)")
                }
            }
        }
    }
}
