import Autograd
import Foundation
import Network
import Tasks

/// Trains the standard Transformer baseline (``StandardTransformer``) and picks its best epoch
/// on validation, as the paper does for this baseline (reference §3.6): after every epoch the
/// model is evaluated on validation and test (and train), and the reported number is the test
/// score of the epoch with the best validation score.
///
/// ```swift
/// let data = try TaskDataset.generate(.reverse, options: .defaults(for: .reverse))
/// let trainer = try StandardTrainer(dataset: data, model: .paperRASP(layers: 3, heads: 8),
///                                   options: StandardTrainingOptions())
/// let summary = try trainer.train(onEpoch: { epoch in print(epoch.epoch, epoch.val!.accuracy) })
/// summary.bestEpoch, summary.bestVal.accuracy, summary.testAtBest.accuracy
/// ```
///
/// Accuracy is token accuracy over non-`<pad>` targets (sequence accuracy for pooled tasks),
/// the same definition as the program trainer's ``SplitMetrics``. The parameters at the best
/// epoch are kept (``bestParameters``) and can be put back with ``restoreBestParameters()``.
public final class StandardTrainer {
    public let config: StandardConfig
    public let options: StandardTrainingOptions
    public let model: StandardTransformer
    public let runner: StandardRunner
    /// The splits, encoded and padded to `config.maxLength`.
    public let splits: [Split: EncodedSplit]
    /// The parameter values at the best epoch so far (in ``StandardTransformer/parameters``
    /// order), or nil before the first epoch.
    public private(set) var bestParameters: [[Float]]?

    /// Progress inside an epoch.
    public struct StepProgress: Sendable {
        public var epoch: Int
        public var step: Int
        public var steps: Int
        /// Mean training-batch loss of the epoch so far.
        public var loss: Double
        /// Training-batch accuracy of the epoch so far (dropout active).
        public var accuracy: Double
        /// Seconds since training started.
        public var elapsed: Double
    }

    /// Trains a model of `config` on already encoded splits (every split padded to
    /// `config.maxLength` or less).
    public init(splits: [Split: EncodedSplit], config: StandardConfig, options: StandardTrainingOptions) throws {
        try options.validate()
        for split in Split.allCases {
            guard let s = splits[split] else { throw ConfigError("the \(split.rawValue) split is missing") }
            if s.length > config.maxLength {
                throw ConfigError("\(split.rawValue) sequences are \(s.length) long, the model has \(config.maxLength) positions")
            }
        }
        self.config = config
        self.options = options
        self.splits = splits
        model = try StandardTransformer(config: config, seed: options.seed)
        runner = StandardRunner(model: model, chunkSize: options.chunkSize)
        runner.poolDivisor = TrainingOptions.PoolDivisor.divisor(options.poolDivisor, pooled: config.pooled,
                                                                 train: splits[.train]!)
    }

    /// Trains on a data set, synthetic (``Tasks/TaskDataset``) or real (``Tasks/NLPDataset``;
    /// pooled for sentence classification).
    public convenience init(dataset: any LabeledDataset, model: StandardModelOptions,
                            options: StandardTrainingOptions) throws {
        try self.init(splits: Self.encode(dataset.examples, vocabulary: dataset.vocabulary, labels: dataset.labels,
                                          length: dataset.maxLength),
                      config: model.config(for: dataset), options: options)
    }

    private static func encode(_ examples: (Split) -> [Example], vocabulary: Vocabulary, labels: Vocabulary,
                               length: Int) throws -> [Split: EncodedSplit] {
        var s: [Split: EncodedSplit] = [:]
        for split in Split.allCases {
            s[split] = try EncodedSplit(examples(split), vocabulary: vocabulary, labels: labels, length: length)
        }
        return s
    }

    /// Trains for `options.epochs` epochs, evaluating after each, and returns the per-epoch
    /// metrics with the best epoch: the first with the highest `score` (default: validation
    /// accuracy; NER can pass validation F1, computed with ``evaluate(_:predictions:)``).
    /// Throws ``DivergenceError`` as soon as a step's loss, or after an epoch a parameter, is not
    /// a finite number.
    public func train(score: ((EpochMetrics) -> Double)? = nil, onStep: (StepProgress) -> Void = { _ in },
                      onEpoch: (EpochMetrics) -> Void = { _ in }) throws(DivergenceError) -> StandardSummary {
        var batches = EpochBatches(splits[.train]!, batchSize: options.batchSize, seed: options.seed)
        let n = batches.data.length, steps = batches.steps
        let adam = Adam(parameters: model.parameters, learningRate: options.learningRate,
                        maxGradNorm: options.maxGradNorm)
        let start = Date()
        var history: [EpochMetrics] = []
        var best: (epoch: Int, score: Double) = (-1, -.infinity)
        var globalStep: UInt64 = 0
        for epoch in 0..<options.epochs {
            batches.shuffle(epoch: epoch)
            var lossSum = 0.0, seen = 0, correct = 0, total = 0
            for step in 0..<steps {
                adam.zeroGrad()
                let (result, count) = batches.withBatch(step) { tokens, labels, count in
                    (count == 0 ? BatchResult()
                        : runner.run(tokens: tokens, labels: labels, count: count, length: n,
                                     aggregation: options.lossAggregation, train: true, seed: options.seed,
                                     stream: globalStep &+ 1), count)
                }
                if count == 0 { break }
                if !result.loss.isFinite { throw DivergenceError(epoch: epoch, step: step, tau: nil) }
                adam.step()
                globalStep += 1
                lossSum += result.loss * Double(count)
                seen += count
                correct += result.correct
                total += result.total
                onStep(StepProgress(epoch: epoch, step: step, steps: steps, loss: lossSum / Double(seen),
                                    accuracy: Double(correct) / Double(max(total, 1)),
                                    elapsed: Date().timeIntervalSince(start)))
            }
            if !model.parameters.allSatisfy(\.isFinite) {
                throw DivergenceError(epoch: epoch, step: steps - 1, tau: nil)
            }
            var metrics = EpochMetrics(epoch: epoch, tau: 0, trainLoss: lossSum / Double(max(seen, 1)), elapsed: 0)
            if options.evaluateTrain { metrics.train = evaluate(.train) }
            metrics.val = evaluate(.val)
            metrics.test = evaluate(.test)
            metrics.elapsed = Date().timeIntervalSince(start)
            let s = score?(metrics) ?? metrics.val!.accuracy
            if s > best.score || best.epoch < 0 {
                best = (epoch, s)
                bestParameters = model.parameters.map(\.values)
            }
            history.append(metrics)
            onEpoch(metrics)
        }
        let atBest = history[best.epoch]
        return StandardSummary(epochs: history, bestEpoch: best.epoch, bestScore: best.score, bestVal: atBest.val!,
                               testAtBest: atBest.test!, trainAtBest: atBest.train,
                               trainSeconds: Date().timeIntervalSince(start), parameterCount: model.parameterCount)
    }

    /// Puts the parameters of the best epoch back into the model (no effect before training).
    public func restoreBestParameters() {
        guard let best = bestParameters else { return }
        for (p, values) in zip(model.parameters, best) { p.assign(values) }
    }

    /// Loss and accuracy of the model (no dropout) on `split`; `predictions`, when given
    /// (`count × length`), receives the argmax class of every position (pooled: position 0).
    public func evaluate(_ split: Split, predictions: UnsafeMutablePointer<Int32>? = nil) -> SplitMetrics {
        evaluate(splits[split]!, predictions: predictions)
    }

    /// Loss and accuracy on any encoded examples (padded to at most `config.maxLength`).
    public func evaluate(_ data: EncodedSplit, predictions: UnsafeMutablePointer<Int32>? = nil) -> SplitMetrics {
        precondition(data.length <= config.maxLength, "sequences of \(data.length), the model has \(config.maxLength) positions")
        var loss = 0.0, correct = 0, total = 0
        let n = data.length, b = options.evaluationBatchSize
        var lo = 0
        while lo < data.count {
            let count = min(b, data.count - lo)
            let r = data.tokens.withUnsafeBufferPointer { tok in
                data.labels.withUnsafeBufferPointer { lab in
                    runner.run(tokens: tok.baseAddress! + lo * n, labels: lab.baseAddress! + lo * n, count: count,
                               length: n, aggregation: options.lossAggregation, train: false, seed: options.seed,
                               stream: 0, predictions: predictions.map { $0 + lo * n })
                }
            }
            loss += r.loss * Double(count)
            correct += r.correct
            total += r.total
            lo += count
        }
        return SplitMetrics(loss: loss / Double(max(data.count, 1)), accuracy: Double(correct) / Double(max(total, 1)))
    }
}

/// What a standard-Transformer run reports: every epoch, and the best one on validation with
/// its test score (the paper's number for this baseline).
public struct StandardSummary: Codable, Sendable {
    /// Per-epoch training loss and train/val/test metrics (`tau` is 0: nothing is sampled).
    public var epochs: [EpochMetrics]
    /// The epoch (0-based) with the best selection score.
    public var bestEpoch: Int
    /// Its selection score (validation accuracy unless the caller chose another).
    public var bestScore: Double
    /// Validation metrics at the best epoch.
    public var bestVal: SplitMetrics
    /// Test metrics at the best epoch: the reported number.
    public var testAtBest: SplitMetrics
    /// Training metrics at the best epoch (when evaluated).
    public var trainAtBest: SplitMetrics?
    /// Wall-clock seconds of training, evaluation included.
    public var trainSeconds: Double
    /// The number of trainable values.
    public var parameterCount: Int

    enum CodingKeys: String, CodingKey {
        case epochs, bestEpoch = "best_epoch", bestScore = "best_score", bestVal = "best_val",
             testAtBest = "test_at_best", trainAtBest = "train_at_best", trainSeconds = "train_seconds",
             parameterCount = "parameter_count"
    }
}
