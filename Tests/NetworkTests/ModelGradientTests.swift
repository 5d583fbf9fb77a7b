import Testing
@testable import Autograd
@testable import Network

/// A tiny model with every module kind.
func tinyConfig(causal: Bool, masked: [Int] = [0]) -> ProgramConfig {
    ProgramConfig(varWidth: 5, layers: 2, catHeads: 1, numHeads: 1, catMLPs: 1, numMLPs: 1, mlpWidth: 6,
                  causal: causal, vocabularySize: 5, classCount: 4, maskedClasses: masked, maxLength: 5)
}

@Suite("Whole-model gradients")
struct ModelGradientTests {
    // Two sequences of length 5: one full, one padded (id 0 = <pad>).
    static let tokens: [Int32] = [4, 1, 2, 3, 1, 4, 2, 2, 0, 0]
    static let labels: [Int32] = [0, 1, 2, 3, 1, 0, 3, 2, 0, 0]

    func check(causal: Bool, mode: SampleMode, config: ProgramConfig? = nil) throws -> GradientCheck.Report {
        let model = try TransformerProgram(config: config ?? tinyConfig(causal: causal), seed: 3)
        return Self.tokens.withUnsafeBufferPointer { tok in
            Self.labels.withUnsafeBufferPointer { lab in
                let batch = SequenceBatch(sequences: 2, length: 5, tokens: tok.baseAddress!, causal: causal,
                                          tau: 0.7, mode: mode)
                return GradientCheck.run(inputs: model.parameters, epsilon: 2e-3) { tape in
                    var rng = RandomStream(seed: 11)
                    let w = model.sampleWeights(tape, tau: 0.9, mode: mode, rng: &rng)
                    let out = model.forward(tape, weights: w, batch: batch, rng: &rng)
                    return tape.crossEntropy(out.logits, targets: lab.baseAddress!, sequences: 2, length: 5,
                                             aggregation: .perToken, weight: 0.5)
                }
            }
        }
    }

    @Test("bidirectional model, Gumbel-softmax", arguments: [false, true])
    func gumbel(causal: Bool) throws {
        let r = try check(causal: causal, mode: .gumbelSoft)
        print("gumbel causal=\(causal):", r)
        #expect(r.checked > 300)
        #expect(r.maxError < 2e-2, "\(r)")
    }

    @Test("register-width kernels (k = 8, d_mlp = 16) in the whole model")
    func registerWidths() throws {
        let config = ProgramConfig(varWidth: 8, layers: 2, catHeads: 1, numHeads: 1, catMLPs: 1, numMLPs: 1, mlpWidth: 16,
                                   causal: false, vocabularySize: 5, classCount: 4, maskedClasses: [0], maxLength: 5)
        let r = try check(causal: false, mode: .gumbelSoft, config: config)
        #expect(r.maxError < 2e-2, "\(r)")
    }

    /// `divisor` 0: each sequence's own length; 7: the original's fixed padded length.
    @Test("factored embeddings and pooled classification", arguments: [0, 7])
    func embeddingsPooled(divisor: Int) throws {
        let config = ProgramConfig(varWidth: 5, layers: 1, catHeads: 1, numHeads: 1, catMLPs: 1, numMLPs: 1, mlpWidth: 6,
                                   causal: false, vocabularySize: 7, classCount: 3, maskedClasses: [0], maxLength: 5,
                                   embeddingVariables: 2, pooled: true)
        let model = try TransformerProgram(config: config, seed: 4)
        #expect(model.layout.catNames.prefix(3) == ["var0_embeddings", "var1_embeddings", "positions"])
        let tokens: [Int32] = [1, 5, 6, 3, 2, 1, 4, 4, 0, 0]
        let targets: [Int32] = [2, 1]   // one label per sequence
        let r = tokens.withUnsafeBufferPointer { tok in
            targets.withUnsafeBufferPointer { lab in
                let batch = SequenceBatch(sequences: 2, length: 5, tokens: tok.baseAddress!, causal: false, tau: 0.8,
                                          mode: .gumbelSoft)
                return GradientCheck.run(inputs: model.parameters, epsilon: 2e-3) { tape in
                    var rng = RandomStream(seed: 12)
                    let w = model.sampleWeights(tape, tau: 0.9, mode: .gumbelSoft, rng: &rng)
                    let out = model.forward(tape, weights: w, batch: batch, rng: &rng)
                    let pooled = tape.poolSequences(out.logits, batch: batch, divisor: divisor == 0 ? nil : divisor)
                    return tape.crossEntropy(pooled, targets: lab.baseAddress!, sequences: 2, length: 1,
                                             aggregation: .perToken, weight: 0.5)
                }
            }
        }
        #expect(r.maxError < 2e-2, "\(r)")
    }

    @Test("plain softmax relaxation")
    func softmax() throws {
        let r = try check(causal: false, mode: .softmax)
        print("softmax:", r)
        #expect(r.maxError < 2e-2, "\(r)")
    }
}

@Suite("Pooling")
struct PoolingTests {
    @Test("pooled logits: the sum over a sequence's tokens divided by its length, or by a fixed divisor")
    func values() {
        // Two sequences of padded length 4 with 3 and 2 tokens; logits[r] = [r, 10 r].
        let tokens: [Int32] = [5, 6, 7, 0, 5, 6, 0, 0]
        tokens.withUnsafeBufferPointer { tok in
            let batch = SequenceBatch(sequences: 2, length: 4, tokens: tok.baseAddress!, causal: false, tau: 1,
                                      mode: .softmax)
            let tape = Tape()
            let logits = Tensor([8, 2], values: (0..<8).flatMap { [Float($0), Float(10 * $0)] })
            let own = tape.poolSequences(logits, batch: batch)
            #expect(own.values == [1, 10, 4.5, 45])          // (0+1+2)/3, (4+5)/2
            let fixed = tape.poolSequences(logits, batch: batch, divisor: 6)
            #expect(fixed.values == [0.5, 5, 1.5, 15])       // (0+1+2)/6, (4+5)/6
        }
    }
}
