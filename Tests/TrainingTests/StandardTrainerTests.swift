import Autograd
import Foundation
import Testing
@testable import Network
@testable import Tasks
@testable import Training

@Suite("Standard Transformer training")
struct StandardTrainerTests {
    /// reverse with bodies of 1–4 symbols out of 5 (780 distinct inputs, 524 for training).
    static func reverseData() throws -> TaskDataset {
        var taskOptions = TaskOptions.defaults(for: .reverse)
        taskOptions.maxLength = 6
        taskOptions.datasetSize = 780
        return try TaskDataset.generate(.reverse, options: taskOptions)
    }

    static let smallModel = StandardModelOptions(dModel: 32, layers: 2, heads: 2, dMLP: 64)

    /// A model that cannot use positions or mixes masks stays near 50% here (its first epochs);
    /// a correct one reaches 100% within ~15 epochs (about a second in a debug build).
    @Test("a small model learns reverse (best-on-validation test accuracy ≥ 95%)")
    func reverseLearns() throws {
        let data = try Self.reverseData()
        var options = StandardTrainingOptions()
        options.epochs = 25
        options.batchSize = 32
        options.learningRate = 3e-3
        let trainer = try StandardTrainer(dataset: data, model: Self.smallModel, options: options)
        var losses: [Double] = []
        let summary = try trainer.train(onEpoch: { losses.append($0.trainLoss) })
        #expect(summary.epochs.count == 25 && losses.count == 25)
        #expect(losses.last! < losses.first! / 10, "training loss \(losses.first!) → \(losses.last!)")
        #expect(summary.testAtBest.accuracy >= 0.95, "best epoch \(summary.bestEpoch): val \(summary.bestVal), test \(summary.testAtBest)")
    }

    @Test("the best epoch is the first with the highest validation accuracy, and its parameters can be restored")
    func bestEpoch() throws {
        let data = try Self.reverseData()
        var options = StandardTrainingOptions()
        options.epochs = 6
        options.batchSize = 32
        options.learningRate = 3e-3
        let trainer = try StandardTrainer(dataset: data, model: Self.smallModel, options: options)
        let summary = try trainer.train()
        let vals = summary.epochs.map { $0.val!.accuracy }
        #expect(summary.bestEpoch == vals.firstIndex(of: vals.max()!)!)
        #expect(summary.bestVal == summary.epochs[summary.bestEpoch].val!)
        #expect(summary.testAtBest == summary.epochs[summary.bestEpoch].test!)
        #expect(summary.trainAtBest == summary.epochs[summary.bestEpoch].train!)
        trainer.restoreBestParameters()
        #expect(trainer.evaluate(.test) == summary.testAtBest)
        #expect(trainer.evaluate(.val) == summary.bestVal)

        // A caller's score replaces validation accuracy: here the latest epoch wins.
        let other = try StandardTrainer(dataset: data, model: Self.smallModel, options: options)
        #expect(try other.train(score: { Double($0.epoch) }).bestEpoch == 5)
    }

    @Test("a run whose loss overflows stops with a DivergenceError naming the step")
    func divergenceIsReported() throws {
        var options = StandardTrainingOptions()
        options.epochs = 3
        options.batchSize = 32
        options.learningRate = 1e37   // the first Adam update moves every parameter by about 1e37
        let trainer = try StandardTrainer(dataset: try Self.reverseData(), model: Self.smallModel, options: options)
        do {
            _ = try trainer.train()
            Issue.record("training with lr 1e37 did not report a divergence")
        } catch {
            #expect(error.epoch == 0 && error.step >= 1 && error.tau == nil)
            #expect(error.description.hasPrefix("training diverged") && !error.description.contains("τ"))
        }
    }

    @Test("the same seed gives bit-identical training (dropout on); another seed differs")
    func determinism() throws {
        let data = try Self.reverseData()
        func run(seed: UInt64) throws -> ([Float], Double) {
            var options = StandardTrainingOptions()
            options.epochs = 2
            options.batchSize = 40
            options.seed = seed
            options.chunkSize = 8
            options.evaluateTrain = false
            var model = Self.smallModel
            model.dropout = 0.2
            let trainer = try StandardTrainer(dataset: data, model: model, options: options)
            let summary = try trainer.train()
            return (trainer.model.parameters.flatMap(\.values), summary.epochs.last!.trainLoss)
        }
        let a = try run(seed: 1), b = try run(seed: 1), c = try run(seed: 2)
        #expect(a.0 == b.0 && a.1 == b.1)
        #expect(a.0 != c.0)
    }

    @Test("pooled sentence classification learns which sentences contain a word")
    func pooledLearns() throws {
        // Label "yes" iff the sentence contains "w0"; the mean-pooled classifier must find it.
        var rng = RandomStream(seed: 3)
        func sentences(_ count: Int) -> [LabeledSentence] {
            (0..<count).map { _ in
                let words = (0..<rng.int(in: 1...6)).map { _ in "w\(rng.int(below: 8))" }
                return LabeledSentence(tokens: words, label: words.contains("w0") ? "yes" : "no")
            }
        }
        let data = try NLPDataset(name: "contains", train: sentences(600), val: sentences(100), test: sentences(200),
                                  options: NLPOptions(replaceNumbers: false, maxWords: 8))
        var options = StandardTrainingOptions()
        options.epochs = 15
        options.batchSize = 32
        options.learningRate = 3e-3
        let trainer = try StandardTrainer(dataset: data, model: StandardModelOptions(dModel: 16, layers: 1, heads: 2, dMLP: 32),
                                          options: options)
        #expect(trainer.config.pooled && trainer.config.maskedClasses == [0, 1])
        let summary = try trainer.train()
        #expect(summary.testAtBest.accuracy >= 0.9, "test \(summary.testAtBest)")
        // Predictions: the label at position 0 only.
        let test = trainer.splits[.test]!
        var predictions = [Int32](repeating: -1, count: test.count * test.length)
        _ = predictions.withUnsafeMutableBufferPointer { trainer.evaluate(.test, predictions: $0.baseAddress!) }
        for s in 0..<test.count {
            #expect(predictions[s * test.length] > 1)
            #expect(predictions[(s * test.length + 1)..<((s + 1) * test.length)].allSatisfy { $0 == 0 })
        }
    }

    @Test("configurations follow the data set: causal tasks, <unk> masked unless a label")
    func configFromData() throws {
        var taskOptions = TaskOptions.defaults(for: .induction)
        taskOptions.datasetSize = 200
        let induction = try TaskDataset.generate(.induction, options: taskOptions)
        let config = Self.smallModel.config(for: induction)
        #expect(config.causal && !config.pooled)
        #expect(config.maskedClasses == [0])      // <unk> is induction's "not seen yet" label
        #expect(config.maxLength == induction.maxLength && config.vocabularySize == induction.vocabulary.count)
        var bad = StandardTrainingOptions()
        bad.learningRate = 0
        #expect(throws: ConfigError.self) { try StandardTrainer(dataset: induction, model: Self.smallModel, options: bad) }
    }
}

/// Seconds per epoch at the paper's RASP baseline setting (reverse, d_model 256, bs 50). Off by
/// default; `TPROG_STD_BENCH=LAYERS,HEADS,EPOCHS swift test -c release --filter StandardBenchmark`.
@Suite("Standard Transformer benchmark")
struct StandardBenchmark {
    static let setting = ProcessInfo.processInfo.environment["TPROG_STD_BENCH"]

    @Test("reverse at the paper's RASP setting", .enabled(if: setting != nil))
    func reverseEpochs() throws {
        let parts = (Self.setting ?? "3,8,2").split(separator: ",").compactMap { Int($0) }
        let (layers, heads, epochs) = (parts[0], parts[1], parts[2])
        let data = try TaskDataset.generate(.reverse, options: .defaults(for: .reverse))
        var options = StandardTrainingOptions()
        options.epochs = epochs
        let trainer = try StandardTrainer(dataset: data, model: .paperRASP(layers: layers, heads: heads), options: options)
        var last = Date()
        let start = last
        var stepTime = 0.0
        let summary = try trainer.train(onStep: { p in if p.step + 1 == p.steps { stepTime = p.elapsed } }, onEpoch: { e in
            let now = Date()
            print(String(format: "epoch %d: %.1f s (training %.1f s), loss %.4f, train %.4f val %.4f test %.4f", e.epoch,
                         now.timeIntervalSince(last), stepTime - last.timeIntervalSince(start), e.trainLoss,
                         e.train!.accuracy, e.val!.accuracy, e.test!.accuracy))
            last = now
        })
        print("reverse L\(layers) H\(heads): \(summary.parameterCount) parameters, \(data.train.count) training examples, "
              + String(format: "%.1f s per epoch", summary.trainSeconds / Double(epochs)))
    }
}
