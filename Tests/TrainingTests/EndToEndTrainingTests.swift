import Foundation
import Testing
@testable import Autograd
@testable import Network
@testable import Tasks
@testable import Training

@Suite("Training end to end")
struct EndToEndTrainingTests {
    /// hist on short sequences, trained as the paper selects models: three seeds, the best on
    /// validation. A broken gradient anywhere leaves every seed far from the target (~45%).
    @Test("a small hist model learns to count (best-on-validation discrete test accuracy ≥ 95%)")
    func histLearns() throws {
        var taskOptions = TaskOptions.defaults(for: .hist)
        taskOptions.maxLength = 5
        taskOptions.vocabSize = 6
        taskOptions.datasetSize = 600
        let data = try TaskDataset.generate(.hist, options: taskOptions)
        var best: (val: Double, test: Double) = (-1, 0)
        for seed: UInt64 in 0..<3 {
            var options = TrainingOptions()
            options.epochs = 60
            options.batchSize = 64
            options.seed = seed
            options.evaluateEveryEpoch = false
            let trainer = try Trainer(dataset: data, model: .paper(.hist), options: options)
            var losses: [Double] = []
            let summary = try trainer.train(onEpoch: { losses.append($0.trainLoss) })
            #expect(losses.count == 60)
            #expect(losses.last! < losses.first!, "seed \(seed): training loss \(losses.first!) → \(losses.last!)")
            let val = summary.discrete[.val]!.accuracy, test = summary.discrete[.test]!.accuracy
            if val > best.val { best = (val, test) }
        }
        #expect(best.test >= 0.95, "best-on-validation discrete test accuracy \(best.test)")
    }

    @Test("a run whose parameters overflow stops with a DivergenceError naming the step")
    func divergenceIsReported() throws {
        var taskOptions = TaskOptions.defaults(for: .reverse)
        taskOptions.datasetSize = 300
        let data = try TaskDataset.generate(.reverse, options: taskOptions)
        var options = TrainingOptions()
        options.epochs = 3
        options.batchSize = 50
        options.learningRate = 1e37   // the first Adam update moves every parameter by about 1e37
        options.evaluateEveryEpoch = false
        let trainer = try Trainer(dataset: data, model: ModelOptions(layers: 1, catHeads: 1, numHeads: 1, catMLPs: 1,
                                                                    numMLPs: 1, mlpWidth: 8), options: options)
        do {
            _ = try trainer.train()
            Issue.record("training with lr 1e37 did not report a divergence")
        } catch {
            #expect(error.epoch == 0 && error.step >= 1)
            #expect(error.description.hasPrefix("training diverged"))
        }
    }

    @Test("the same seed gives bit-identical training; another seed differs")
    func determinism() throws {
        var taskOptions = TaskOptions.defaults(for: .reverse)
        taskOptions.datasetSize = 300
        let data = try TaskDataset.generate(.reverse, options: taskOptions)
        func run(seed: UInt64) throws -> [Float] {
            var options = TrainingOptions()
            options.epochs = 2
            options.batchSize = 50
            options.seed = seed
            options.evaluateEveryEpoch = false
            let trainer = try Trainer(dataset: data, model: ModelOptions(layers: 2, catHeads: 1, numHeads: 1, catMLPs: 1,
                                                                        numMLPs: 1, mlpWidth: 8), options: options)
            _ = try trainer.train()
            return trainer.model.parameters.flatMap(\.values)
        }
        let a = try run(seed: 1), b = try run(seed: 1), c = try run(seed: 2)
        #expect(a == b)
        #expect(a != c)
    }

    @Test("results do not depend on the number of threads")
    func threadCountIndependence() throws {
        var taskOptions = TaskOptions.defaults(for: .sort)
        taskOptions.datasetSize = 300
        let data = try TaskDataset.generate(.sort, options: taskOptions)
        func run(threads: Int) throws -> [Float] {
            let saved = Parallel.threads
            Parallel.threads = threads
            defer { Parallel.threads = saved }
            var options = TrainingOptions()
            options.epochs = 2
            options.batchSize = 100   // several chunks per step
            options.evaluateEveryEpoch = false
            let trainer = try Trainer(dataset: data, model: ModelOptions(layers: 1, catHeads: 1, numHeads: 1, catMLPs: 1,
                                                                        numMLPs: 1, mlpWidth: 8), options: options)
            _ = try trainer.train()
            return trainer.model.parameters.flatMap(\.values)
        }
        #expect(try run(threads: 1) == run(threads: 2))
    }

    @Test("per-epoch train metrics: the epoch's own steps by default, a re-evaluation with evaluateTrainEveryEpoch")
    func epochTrainMetrics() throws {
        var taskOptions = TaskOptions.defaults(for: .hist)
        taskOptions.datasetSize = 300
        let data = try TaskDataset.generate(.hist, options: taskOptions)
        func run(reevaluate: Bool) throws -> (epochs: [EpochMetrics], parameters: [Float]) {
            var options = TrainingOptions()
            options.epochs = 2
            options.batchSize = 64
            options.evaluateTrainEveryEpoch = reevaluate
            let trainer = try Trainer(dataset: data, model: ModelOptions(layers: 1, catHeads: 1, numHeads: 1, catMLPs: 1,
                                                                        numMLPs: 1, mlpWidth: 8), options: options)
            let summary = try trainer.train()
            return (summary.epochs, trainer.model.parameters.flatMap(\.values))
        }
        let cheap = try run(reevaluate: false), full = try run(reevaluate: true)
        for e in cheap.epochs { #expect(e.train?.loss == e.trainLoss) }
        for e in full.epochs { #expect(e.train != nil && e.train?.loss != e.trainLoss) }
        // Evaluation draws its own noise: training, val and test are the same either way.
        #expect(cheap.parameters == full.parameters)
        #expect(cheap.epochs.map(\.val) == full.epochs.map(\.val))
        #expect(cheap.epochs.map(\.test) == full.epochs.map(\.test))
    }

    @Test("a saved configuration without the newer keys decodes with the behaviour of its time")
    func olderTrainingOptions() throws {
        let json = #"{"epochs": 7, "batchSize": 16, "learningRate": 0.01, "tauInit": 3, "tauEnd": 0.01, "seed": 4}"#
        let o = try JSONDecoder().decode(TrainingOptions.self, from: Data(json.utf8))
        #expect(o.epochs == 7 && o.batchSize == 16 && o.seed == 4 && o.sampleMode == .gumbelSoft)
        #expect(o.evaluateTrainEveryEpoch)
        #expect(!o.flushSubnormals, "older runs kept subnormals")
        #expect(TrainingOptions().flushSubnormals)
        var keeping = TrainingOptions()
        keeping.flushSubnormals = false
        #expect(try !JSONDecoder().decode(TrainingOptions.self, from: JSONEncoder().encode(keeping)).flushSubnormals)
        let round = try JSONDecoder().decode(TrainingOptions.self, from: JSONEncoder().encode(TrainingOptions()))
        #expect(round == TrainingOptions())
    }

    @Test("the temperature falls every step from τ_init to τ_end and holds in the last epoch")
    func schedule() {
        let s = TemperatureSchedule(kind: .geometric, initial: 3, end: 0.03, epochs: 3)
        let taus = (0..<3).flatMap { e in (0..<2).map { s.tau(epoch: e, step: $0, steps: 2) } }
        let expected: [Float] = [3, 0.3, 0.3, 0.03, 0.03, 0.03]
        for (t, e) in zip(taus, expected) { #expect(abs(t - e) < 1e-5 * max(1, e), "\(taus)") }
    }
}

@Suite("Bad training input")
struct BadTrainingInputTests {
    func config(_ change: (inout ProgramConfig) -> Void) -> ProgramConfig {
        var c = ProgramConfig(varWidth: 8, layers: 1, catHeads: 1, numHeads: 1, catMLPs: 1, numMLPs: 1,
                              causal: false, vocabularySize: 8, classCount: 6, maxLength: 8)
        change(&c)
        return c
    }

    @Test("impossible configurations are rejected with a message naming the problem")
    func impossibleConfig() {
        let cases: [(ProgramConfig, String)] = [
            (config { $0.layers = 0 }, "layers"),
            (config { $0.maxLength = 9 }, "positions"),
            (config { $0.vocabularySize = 9 }, "vocabulary"),
            (config { $0.catHeads = -1 }, "cat-heads"),
        ]
        for (c, word) in cases {
            #expect(throws: ConfigError.self) { try c.validate() }
            do { try c.validate() } catch { #expect(error.description.contains(word), "\(error)") }
        }
        #expect(throws: Never.self) { try config { _ in }.validate() }
    }

    @Test("negative or zero rates and sizes are rejected")
    func badTrainingOptions() {
        var o = TrainingOptions()
        o.learningRate = -0.1
        #expect(throws: ConfigError.self) { try o.validate() }
        o = TrainingOptions(); o.epochs = 0
        #expect(throws: ConfigError.self) { try o.validate() }
        o = TrainingOptions(); o.tauEnd = 0
        #expect(throws: ConfigError.self) { try o.validate() }
        o = TrainingOptions(); o.sampleMode = .argmax
        #expect(throws: ConfigError.self) { try o.validate() }
    }

    @Test("an existing run folder is refused and left untouched")
    func existingFolder() throws {
        try inScratchFolder { dir in
            let file = dir.appendingPathComponent("results.json")
            try Data("precious".utf8).write(to: file)
            #expect(throws: RunFolderError.self) {
                var folder = RunFolder(dir.path)
                try folder.create(force: false)
            }
            #expect(try String(contentsOf: file, encoding: .utf8) == "precious")
        }
    }
}
