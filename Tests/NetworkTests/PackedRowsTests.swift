import Testing
@testable import Autograd
@testable import Network

@Suite("Packed rows")
struct PackedRowsTests {
    @Test("packed rows list each sequence's non-pad positions in order")
    func layout() {
        let tokens: [Int32] = [4, 1, 2, 0, 3, 0, 0, 0, 1, 2, 3, 4]
        tokens.withUnsafeBufferPointer { tok in
            let batch = SequenceBatch(sequences: 3, length: 4, tokens: tok.baseAddress!, causal: false, tau: 1,
                                      mode: .softmax)
            #expect(batch.lengths == [3, 1, 4])
            #expect(batch.offsets == [0, 3, 4, 8])
            #expect(batch.packedRows == 8)
            #expect((0..<8).map { batch.rowIndex[$0] } == [0, 1, 2, 4, 8, 9, 10, 11])
        }
    }

    /// Padding is invisible: a sequence's real positions get the same logits, and the model the
    /// same gradients, whatever the length of the (unscored) sequence packed before it.
    @Test("a sequence's outputs and gradients do not depend on its neighbours' padding",
          arguments: [SampleMode.softmax, .argmax])
    func paddingInvisible(mode: SampleMode) throws {
        let model = try TransformerProgram(config: tinyConfig(causal: false), seed: 5)
        func run(neighbour: [Int32]) -> (logits: [Float], grads: [Float]) {
            for p in model.parameters { p.zeroGrad() }
            let tokens = neighbour + [4, 1, 2, 3, 0], labels: [Int32] = [0, 0, 0, 0, 0, 0, 1, 2, 3, 0]
            let tape = Tape(recording: mode != .argmax)
            return tokens.withUnsafeBufferPointer { tok in
                labels.withUnsafeBufferPointer { lab in
                    let batch = SequenceBatch(sequences: 2, length: 5, tokens: tok.baseAddress!, causal: false,
                                              tau: 0.8, mode: mode)
                    var rng = RandomStream(seed: 1)
                    let w = model.sampleWeights(tape, tau: 0.8, mode: mode, rng: &rng)
                    let out = model.forward(tape, weights: w, batch: batch, rng: &rng)
                    if mode != .argmax {
                        let loss = tape.crossEntropy(out.logits, targets: lab.baseAddress!, sequences: 2, length: 5,
                                                     aggregation: .perSequence, weight: 1)
                        tape.backward(loss)
                    }
                    let c = out.logits.shape[1]
                    // The second sequence's four real positions.
                    let logits = Array(UnsafeBufferPointer(start: out.logits.data + 5 * c, count: 4 * c))
                    let grads = model.parameters.flatMap { p in
                        p.grad.map { Array(UnsafeBufferPointer(start: $0, count: p.count)) } ?? []
                    }
                    return (logits, grads)
                }
            }
        }
        let short = run(neighbour: [4, 3, 0, 0, 0]), long = run(neighbour: [4, 2, 2, 1, 3])
        #expect(short.logits == long.logits)
        #expect(short.grads == long.grads)
        if mode != .argmax { #expect(short.grads.contains { $0 != 0 }) }
    }
}
