import Testing
@testable import Autograd
@testable import Network

/// A tiny baseline: every layer kind, two heads, small enough for finite differences.
func tinyStandardConfig(causal: Bool, pooled: Bool = false, activation: StandardConfig.Activation = .gelu,
                        masked: [Int] = [0], layers: Int = 2, heads: Int = 2, dropout: Float = 0) -> StandardConfig {
    StandardConfig(dModel: 8, layers: layers, heads: heads, dMLP: 12, dropout: dropout, activation: activation,
                   causal: causal, pooled: pooled, vocabularySize: 6, classCount: 5, maskedClasses: masked,
                   maxLength: 7)
}

@Suite("Standard Transformer baseline")
struct StandardTransformerTests {
    // Three sequences of length 5, right-padded differently (id 0 = <pad>).
    static let tokens: [Int32] = [5, 1, 2, 3, 4,
                                  5, 2, 2, 0, 0,
                                  5, 3, 0, 0, 0]
    static let labels: [Int32] = [0, 1, 2, 3, 1,
                                  0, 3, 2, 0, 0,
                                  2, 4, 0, 0, 0]

    /// The loss of the model on the three sequences, as the runner computes it.
    func loss(_ model: StandardTransformer, _ tape: Tape, causal: Bool, pooled: Bool) -> Tensor {
        let batch = StandardBatch(tokens: Self.tokens, sequences: 3, length: 5, causal: causal, training: false)
        var rng = RandomStream(seed: 1)
        let logits = model(tape, batch, rng: &rng)
        let targets: [Int32] = pooled ? [Self.labels[0], Self.labels[5], Self.labels[10]] : Self.labels
        return targets.withUnsafeBufferPointer {
            tape.crossEntropy(logits, targets: $0.baseAddress!, sequences: 3, length: pooled ? 1 : 5,
                              aggregation: .perToken, weight: 1 / 3)
        }
    }

    @Test("token embeddings can be replaced (GloVe), and a table of the wrong size is refused")
    func tokenEmbeddings() throws {
        let model = try StandardTransformer(config: tinyStandardConfig(causal: false), seed: 1)
        let tokens = model.embedding.tokens
        let table = (0..<tokens.count).map { Float($0) / 100 }
        try model.setTokenEmbeddings(table)
        #expect(tokens.values == table)
        #expect(throws: ConfigError.self) { try model.setTokenEmbeddings([1, 2, 3]) }
        #expect(tokens.values == table)
    }

    @Test("whole-model gradients match finite differences (GeLU, bidirectional and causal)", arguments: [false, true])
    func wholeModelGradient(causal: Bool) throws {
        let model = try StandardTransformer(config: tinyStandardConfig(causal: causal), seed: 4)
        let r = GradientCheck.run(inputs: model.parameters, epsilon: 1e-2) { loss(model, $0, causal: causal, pooled: false) }
        print("standard gradient, causal \(causal):", r)
        #expect(r.checked == model.parameterCount)
        #expect(r.maxError < 1e-3, "\(r)")
    }

    @Test("whole-model gradients of every unmasked logit (ReLU, one layer)")
    func logitGradient() throws {
        let model = try StandardTransformer(config: tinyStandardConfig(causal: false, activation: .relu, masked: [],
                                                                       layers: 1), seed: 5)
        let batch = StandardBatch(tokens: Self.tokens, sequences: 3, length: 5, causal: false, training: false)
        let r = GradientCheck.run(inputs: model.parameters, epsilon: 1e-3) { tape in
            var rng = RandomStream(seed: 1)
            return model(tape, batch, rng: &rng)
        }
        print("standard logit gradient:", r)
        #expect(r.maxError < 5e-3, "\(r)")
    }

    @Test("pooled classification gradients match finite differences")
    func pooledGradient() throws {
        let model = try StandardTransformer(config: tinyStandardConfig(causal: false, pooled: true), seed: 6)
        let r = GradientCheck.run(inputs: model.parameters, epsilon: 1e-2) { loss(model, $0, causal: false, pooled: true) }
        print("standard pooled gradient:", r)
        #expect(r.maxError < 1e-3, "\(r)")
    }

    @Test("tokenMean averages non-pad positions and passes ∂y/n back to each")
    func tokenMean() {
        let x = Tensor([2, 3, 2], values: [1, 2, 3, 4, 9, 9,
                                           5, 6, 7, 8, 1, 1])
        let y = Tape(recording: false).tokenMean(x, tokens: [4, 2, 0, 3, 0, 1])
        #expect(y.values == [2, 3, 3, 3.5])
        let r = GradientCheck.run(inputs: [x]) { $0.tokenMean(x, tokens: [4, 2, 0, 3, 0, 1]) }
        #expect(r.maxError < 2e-3, "\(r)")
    }

    @Test("with a divisor, tokenMean divides the sum of the non-pad positions by it")
    func tokenMeanDivisor() {
        let x = Tensor([2, 3, 2], values: [1, 2, 3, 4, 9, 9,
                                           5, 6, 7, 8, 1, 1])
        let y = Tape(recording: false).tokenMean(x, tokens: [4, 2, 0, 3, 0, 1], divisor: 3)
        #expect(y.values == [4.0 / 3, 2, 2, 7.0 / 3])
        let r = GradientCheck.run(inputs: [x]) { $0.tokenMean(x, tokens: [4, 2, 0, 3, 0, 1], divisor: 3) }
        #expect(r.maxError < 2e-3, "\(r)")
    }

    /// Logits of every sequence of `tokens` (`sequences × length`), one array per sequence.
    func logits(_ model: StandardTransformer, _ tokens: [Int32], sequences: Int, length: Int,
                causal: Bool) -> [[Float]] {
        let batch = StandardBatch(tokens: tokens, sequences: sequences, length: length, causal: causal, training: false)
        var rng = RandomStream(seed: 0)
        let out = model(Tape(recording: false), batch, rng: &rng).values
        let per = out.count / sequences
        return (0..<sequences).map { Array(out[($0 * per)..<(($0 + 1) * per)]) }
    }

    @Test("changing one sequence's padding never changes another sequence's outputs", arguments: [false, true])
    func paddingMasksArePerSequence(causal: Bool) throws {
        // Several heads, so a head-major/batch-major mix-up of the masks (the original's bug)
        // would hand sequences each other's padding.
        let model = try StandardTransformer(config: tinyStandardConfig(causal: causal, heads: 4), seed: 7)
        let a = logits(model, Self.tokens, sequences: 3, length: 5, causal: causal)
        for variant: [Int32] in [[5, 2, 2, 1, 3], [5, 2, 0, 0, 0], [5, 0, 0, 0, 0], [5, 2, 2, 4, 0]] {
            var tokens = Self.tokens
            tokens.replaceSubrange(5..<10, with: variant)
            let b = logits(model, tokens, sequences: 3, length: 5, causal: causal)
            #expect(a[0] == b[0], "sequence 0 changed with sequence 1 = \(variant)")
            #expect(a[2] == b[2], "sequence 2 changed with sequence 1 = \(variant)")
            #expect(a[1] != b[1])
        }
    }

    @Test("a sequence's outputs do not depend on its batch or on extra padding", arguments: [false, true])
    func outputsIndependentOfBatchAndPadding(causal: Bool) throws {
        let model = try StandardTransformer(config: tinyStandardConfig(causal: causal, heads: 2), seed: 8)
        let classes = model.config.classCount
        let batched = logits(model, Self.tokens, sequences: 3, length: 5, causal: causal)
        for s in 0..<3 {
            let seq = Array(Self.tokens[(s * 5)..<(s * 5 + 5)])
            let alone = logits(model, seq, sequences: 1, length: 5, causal: causal)[0]
            let longer = logits(model, seq + [0, 0], sequences: 1, length: 7, causal: causal)[0]
            for i in 0..<5 where seq[i] != 0 {
                for c in 0..<classes {
                    let x = batched[s][i * classes + c]
                    guard x.isFinite else { continue }
                    #expect(abs(alone[i * classes + c] - x) <= 1e-5, "sequence \(s) position \(i) alone")
                    #expect(abs(longer[i * classes + c] - x) <= 1e-5, "sequence \(s) position \(i) padded to 7")
                }
            }
        }
    }

    @Test("causal: a later token never changes an earlier position's output")
    func causalOrder() throws {
        let model = try StandardTransformer(config: tinyStandardConfig(causal: true), seed: 9)
        let a = logits(model, [5, 1, 2, 3, 4], sequences: 1, length: 5, causal: true)[0]
        let b = logits(model, [5, 1, 2, 1, 1], sequences: 1, length: 5, causal: true)[0]
        let c = model.config.classCount
        #expect(Array(a[0..<(3 * c)]) == Array(b[0..<(3 * c)]))
        #expect(Array(a[(3 * c)...]) != Array(b[(3 * c)...]))
    }

    @Test("masked classes are −∞ and never predicted; pooled logits are the mean of per-position logits")
    func classifierAndPooling() throws {
        let plain = try StandardTransformer(config: tinyStandardConfig(causal: false, masked: [0, 2]), seed: 10)
        let out = logits(plain, Self.tokens, sequences: 3, length: 5, causal: false).flatMap { $0 }
        for r in 0..<15 {
            #expect(out[r * 5] == -.infinity && out[r * 5 + 2] == -.infinity)
            #expect(out[r * 5 + 1].isFinite && out[r * 5 + 3].isFinite && out[r * 5 + 4].isFinite)
        }
        // The same weights, pooled: the mean of the unpooled logits over each sequence's tokens.
        var config = plain.config
        config.pooled = true
        let pooled = try StandardTransformer(config: config, seed: 10)
        let p = logits(pooled, Self.tokens, sequences: 3, length: 5, causal: false)
        for (s, n) in [(0, 5), (1, 3), (2, 2)] {
            for c in [1, 3, 4] {
                let mean = (0..<n).map { out[(s * 5 + $0) * 5 + c] }.reduce(0, +) / Float(n)
                #expect(abs(p[s][c] - mean) <= 1e-5)
            }
        }
    }

    @Test("the runner's chunked gradients equal one tape's, for any chunk size")
    func chunkedGradients() throws {
        let model = try StandardTransformer(config: tinyStandardConfig(causal: false), seed: 11)
        func gradients(chunk: Int) -> [Float] {
            for p in model.parameters { p.zeroGrad() }
            let runner = StandardRunner(model: model, chunkSize: chunk)
            _ = Self.tokens.withUnsafeBufferPointer { tok in
                Self.labels.withUnsafeBufferPointer { lab in
                    runner.run(tokens: tok.baseAddress!, labels: lab.baseAddress!, count: 3, length: 5, train: true,
                               seed: 0, stream: 1)
                }
            }
            return model.parameters.flatMap(\.gradient)
        }
        for p in model.parameters { p.zeroGrad() }
        let tape = Tape()
        tape.backward(loss(model, tape, causal: false, pooled: false))
        let reference = model.parameters.flatMap(\.gradient)
        for chunk in [1, 2, 3] {
            let g = gradients(chunk: chunk)
            let err = zip(g, reference).map { abs($0 - $1) }.max()!
            #expect(err < 1e-5, "chunk \(chunk): max difference \(err)")
        }
    }

    @Test("a chunk runs at its longest sequence's width: loss, gradients and predictions ignore extra trailing padding")
    func trailingPaddingIsTrimmed() throws {
        #expect(Self.tokens.withUnsafeBufferPointer { StandardRunner.width($0.baseAddress!, sequences: 3, length: 5) } == 5)
        #expect(Self.tokens.withUnsafeBufferPointer { StandardRunner.width($0.baseAddress! + 5, sequences: 2, length: 5) } == 3)
        let model = try StandardTransformer(config: tinyStandardConfig(causal: false, dropout: 0.3), seed: 13)
        /// Sequences 1 and 2 of the fixture (widths 3 and 2) padded to `length`, one chunk.
        func run(length: Int) -> (loss: Double, gradients: [Float], predictions: [Int32]) {
            var tokens: [Int32] = [], labels: [Int32] = []
            for s in 1...2 {
                tokens += Self.tokens[s * 5..<s * 5 + 3] + [Int32](repeating: 0, count: length - 3)
                labels += Self.labels[s * 5..<s * 5 + 3] + [Int32](repeating: 0, count: length - 3)
            }
            for p in model.parameters { p.zeroGrad() }
            var predictions = [Int32](repeating: 9, count: 2 * length)
            let r = tokens.withUnsafeBufferPointer { tok in
                labels.withUnsafeBufferPointer { lab in
                    predictions.withUnsafeMutableBufferPointer { out in
                        StandardRunner(model: model).run(tokens: tok.baseAddress!, labels: lab.baseAddress!, count: 2,
                                                         length: length, train: true, seed: 0, stream: 3,
                                                         predictions: out.baseAddress!)
                    }
                }
            }
            return (r.loss, model.parameters.flatMap(\.gradient), predictions)
        }
        let short = run(length: 3), long = run(length: 7)
        #expect(short.loss == long.loss && short.gradients == long.gradients)
        #expect(Array(long.predictions[0..<3]) == Array(short.predictions[0..<3]))
        #expect(Array(long.predictions[7..<10]) == Array(short.predictions[3..<6]))
        #expect(long.predictions[3..<7].allSatisfy { $0 == 0 } && long.predictions[10..<14].allSatisfy { $0 == 0 })
    }

    @Test("dropout is active only in training, and a stream fixes its mask")
    func dropout() throws {
        let model = try StandardTransformer(config: tinyStandardConfig(causal: false, dropout: 0.3), seed: 12)
        func run(training: Bool, stream: UInt64) -> [Float] {
            let batch = StandardBatch(tokens: Self.tokens, sequences: 3, length: 5, causal: false, training: training)
            var rng = RandomStream(seed: 0, stream: stream)
            return model(Tape(recording: false), batch, rng: &rng).values
        }
        #expect(run(training: false, stream: 1) == run(training: false, stream: 2))
        #expect(run(training: true, stream: 1) == run(training: true, stream: 1))
        #expect(run(training: true, stream: 1) != run(training: true, stream: 2))
        #expect(run(training: true, stream: 1) != run(training: false, stream: 1))
    }

    @Test("configuration errors name the problem")
    func validation() {
        var c = tinyStandardConfig(causal: false)
        c.heads = 3
        #expect(throws: ConfigError.self) { try StandardTransformer(config: c, seed: 0) }
        c = tinyStandardConfig(causal: false)
        c.dropout = 1
        #expect(throws: ConfigError.self) { try StandardTransformer(config: c, seed: 0) }
        c = tinyStandardConfig(causal: false)
        c.maskedClasses = [0, 1, 2, 3, 4]
        #expect(throws: ConfigError.self) { try StandardTransformer(config: c, seed: 0) }
    }

    @Test("parameter names follow the parameter order")
    func names() throws {
        let model = try StandardTransformer(config: tinyStandardConfig(causal: false), seed: 0)
        #expect(model.parameterNames.count == model.parameters.count)
        #expect(model.parameterNames[4] == "layer0.attention.in_weight" && model.parameters[4].shape == [24, 8])
        #expect(model.parameterNames.last == "classifier" && model.parameters.last!.shape == [8, 5])
    }
}
