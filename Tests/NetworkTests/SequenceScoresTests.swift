import Testing
@testable import Autograd
@testable import Network

/// The attention heads compute a sequence's scores with whole-sequence kernels; each head must
/// sum every score exactly as it did one pair at a time (so a seed's run is the same, bit for bit,
/// across that change): the categorical head in plain `c` order, the numerical head as
/// `Vector.dot` associates its sum.
@Suite("Sequence scores are summed as the per-pair code summed them")
struct SequenceScoresTests {
    @Test("sequenceScores = Σ_c in order and sequenceDots = Vector.dot, bit for bit",
          arguments: [4, 8, 12, 16, 32, 37])
    func scores(k: Int) {
        let n = 11, length = 9
        var rng = RandomStream(seed: UInt64(k))
        // Non-negative values, as reads of a categorical stream are; about a third exact zeros.
        func values(_ count: Int) -> [Float] { (0..<count).map { _ in rng.int(below: 3) == 0 ? 0 : abs(rng.normal()) } }
        let qw = Tensor([length, k], values: values(length * k)), key = Tensor([length, k], values: values(length * k))
        let tokens = (0..<n).map { Int32($0 < length ? 1 : 0) }
        let ldk = (n + 7) / 8 * 8
        var sequential = [Float](repeating: .nan, count: length * ldk), dots = sequential
        tokens.withUnsafeBufferPointer { tok in
            let batch = SequenceBatch(sequences: 1, length: n, tokens: tok.baseAddress!, causal: false, tau: 1, mode: .gumbelSoft)
            let tape = Tape(recording: false)
            tape.sequenceScores(qw: qw, key: key, batch: batch, sequence: 0, keysT: Tensor([k, ldk]), into: &sequential)
            tape.sequenceDots(qw: qw, key: key, batch: batch, sequence: 0, keysT: Tensor([k, ldk]), into: &dots)
        }
        for i in 0..<length {
            for j in 0..<length {
                var s: Float = 0
                for c in 0..<k { s += qw.data[i * k + c] * key.data[j * k + c] }
                let d = Vector.dot(k, qw.data + i * k, key.data + j * k)
                #expect(sequential[i * ldk + j].bitPattern == s.bitPattern, "k \(k): S[\(i), \(j)] in c order")
                #expect(dots[i * ldk + j].bitPattern == d.bitPattern, "k \(k): S[\(i), \(j)] as Vector.dot")
            }
        }
    }
}
