import Autograd
import Foundation
import Network
import Tasks

/// Trains a ``TransformerProgram`` on a task (SPEC §2) and evaluates it, sampled and discrete.
///
/// ```swift
/// let data = try TaskDataset.generate(.hist, options: .defaults(for: .hist))
/// let trainer = try Trainer(dataset: data, model: .paper(.hist), options: TrainingOptions())
/// let summary = trainer.train { epoch in print(epoch.epoch, epoch.trainLoss) }
/// summary.discrete[.test]!.accuracy    // 1.0
/// ```
public final class Trainer {
    public let dataset: any LabeledDataset
    public let config: ProgramConfig
    public let options: TrainingOptions
    public let model: TransformerProgram
    public let runner: ProgramRunner
    /// The splits, encoded and padded to `config.maxLength`.
    public let splits: [Split: EncodedSplit]
    public let schedule: TemperatureSchedule
    /// The optimiser, kept with the trainer so its state can be saved and restored
    /// (``state(epochsDone:elapsed:)``, ``resume(from:history:)``). Its step count numbers the
    /// steps of the whole run, which is what draws each step's noise.
    private let adam: Adam
    /// Where ``train(stoppingAfter:onStep:onEpoch:)`` starts: epoch 0, or the epoch after a
    /// restored state.
    private var start = (epoch: 0, elapsed: 0.0, history: [EpochMetrics]())

    /// What a finished run reports.
    public struct Summary: Sendable {
        public var epochs: [EpochMetrics]
        /// The discrete (argmax) model on every split: the numbers that count. Empty when
        /// training stopped before its last epoch (``Trainer/train(stoppingAfter:onStep:onEpoch:)``).
        public var discrete: [Split: SplitMetrics]
        /// Wall-clock seconds of training (without the final discrete evaluation).
        public var trainSeconds: Double
        /// Whether training stopped before its last epoch, as asked (`stoppingAfter`).
        public var stopped = false
    }

    /// Progress inside an epoch.
    public struct StepProgress: Sendable {
        public var epoch: Int
        public var step: Int
        public var steps: Int
        public var tau: Float
        public var loss: Double
        public var accuracy: Double
        public var elapsed: Double
    }

    /// `embeddingInitial` (`|V|·m·k` values) initialises factored embeddings (e.g. from GloVe).
    public init(dataset: any LabeledDataset, model modelOptions: ModelOptions, options: TrainingOptions,
                embeddingInitial: [Float]? = nil) throws {
        try options.validate()
        self.dataset = dataset
        self.options = options
        config = modelOptions.config(for: dataset)
        model = try TransformerProgram(config: config, seed: options.seed, embeddingInitial: embeddingInitial)
        runner = ProgramRunner(model: model)
        var s: [Split: EncodedSplit] = [:]
        for split in Split.allCases {
            s[split] = try EncodedSplit(dataset.examples(split), vocabulary: dataset.vocabulary,
                                        labels: dataset.labels, length: config.maxLength)
        }
        splits = s
        runner.poolDivisor = TrainingOptions.PoolDivisor.divisor(options.poolDivisor, pooled: config.pooled, train: s[.train]!)
        schedule = TemperatureSchedule(kind: options.tauSchedule, initial: options.tauInit, end: options.tauEnd,
                                       epochs: options.epochs)
        adam = Adam(parameters: model.parameters, learningRate: options.learningRate, maxGradNorm: options.maxGradNorm)
    }

    /// Training steps per epoch.
    public var stepsPerEpoch: Int { EpochBatches.steps(examples: splits[.train]!.count, batchSize: options.batchSize) }

    /// The state after `epochsDone` whole epochs and `elapsed` seconds: the parameters and the
    /// optimiser as they stand (call it between epochs, e.g. from `onEpoch`).
    public func state(epochsDone: Int, elapsed: Double) -> TrainingState {
        let moments = adam.moments
        return TrainingState(epochsDone: epochsDone, adamSteps: adam.stepCount, elapsed: elapsed,
                             names: model.parameterNames, shapes: model.parameters.map(\.shape),
                             values: model.parameters.map(\.values), firstMoments: moments.first,
                             secondMoments: moments.second)
    }

    /// Continues from a saved state: the parameters and the optimiser are set from it, and
    /// ``train(stoppingAfter:onStep:onEpoch:)`` then runs the remaining epochs, starting its history with
    /// `history` (the saved epochs' metrics). Throws when the state is not one of this run's.
    public func resume(from state: TrainingState, history: [EpochMetrics]) throws(TrainingStateError) {
        let names = model.parameterNames, tensors = model.parameters
        guard state.names == names, state.shapes == tensors.map(\.shape) else {
            throw TrainingStateError("the saved state's parameters are not this run's network's (names or shapes differ)")
        }
        guard state.epochsDone <= options.epochs else {
            throw TrainingStateError("the saved state is after epoch \(state.epochsDone), the run has only \(options.epochs)")
        }
        guard state.adamSteps == state.epochsDone * stepsPerEpoch else {
            throw TrainingStateError("the saved state took \(state.adamSteps) steps in \(state.epochsDone) epochs; this run takes \(stepsPerEpoch) per epoch")
        }
        guard history.count == state.epochsDone, history.enumerated().allSatisfy({ $0.offset == $0.element.epoch }) else {
            throw TrainingStateError("the metrics of epochs 0–\(state.epochsDone - 1) are missing or out of order")
        }
        for (i, values) in state.values.enumerated() where !values.allSatisfy(\.isFinite) {
            throw TrainingStateError("parameter \(names[i]) holds a value that is not finite")
        }
        do { try adam.restore(stepCount: state.adamSteps, first: state.firstMoments, second: state.secondMoments) } catch {
            throw TrainingStateError("the saved optimiser state does not fit: \(error.description)")
        }
        for (tensor, values) in zip(tensors, state.values) { tensor.assign(values) }
        start = (state.epochsDone, state.elapsed, history)
    }

    /// Trains for `options.epochs` epochs, reporting each epoch (and each step), then evaluates the
    /// discrete model on every split. Throws ``DivergenceError`` as soon as a step's loss is not a
    /// finite number (the parameters it was computed from already hold a NaN or an infinity), or
    /// when the last update leaves one.
    /// With ``TrainingOptions/flushSubnormals``, all of it runs with subnormals flushed to zero.
    ///
    /// With `stoppingAfter` (a number of epochs done) below `options.epochs`, training stops there,
    /// as an interruption would, and the summary has no discrete scores: the run continues from
    /// ``state(epochsDone:elapsed:)`` through ``resume(from:history:)``.
    public func train(stoppingAfter lastEpoch: Int? = nil, onStep: (StepProgress) -> Void = { _ in },
                      onEpoch: (EpochMetrics) -> Void = { _ in }) throws(DivergenceError) -> Summary {
        try Subnormals.flushingToZero(options.flushSubnormals) { () throws(DivergenceError) -> Summary in
            try trainEpochs(through: min(options.epochs, lastEpoch ?? options.epochs), onStep: onStep, onEpoch: onEpoch)
        }
    }

    private func trainEpochs(through end: Int, onStep: (StepProgress) -> Void,
                             onEpoch: (EpochMetrics) -> Void) throws(DivergenceError) -> Summary {
        var batches = EpochBatches(splits[.train]!, batchSize: options.batchSize, seed: options.seed)
        let n = config.maxLength, steps = batches.steps
        // Resumed: the order the skipped epochs' shuffles left, and the clock so far (the step
        // count is the optimiser's).
        for epoch in 0..<self.start.epoch { batches.shuffle(epoch: epoch) }
        let start = Date(timeIntervalSinceNow: -self.start.elapsed)
        var history = self.start.history
        for epoch in self.start.epoch..<max(end, self.start.epoch) {
            batches.shuffle(epoch: epoch)
            var lossSum = 0.0, seen = 0, correct = 0, total = 0
            var tau: Float = options.tauEnd
            for step in 0..<steps {
                tau = schedule.tau(epoch: epoch, step: step, steps: steps)
                adam.zeroGrad()
                var result = ProgramRunner.Result()
                let count = batches.withBatch(step) { tokens, labels, count in
                    for sample in 0..<options.gumbelSamples where count > 0 {
                        let r = runner.run(tokens: tokens, labels: labels, count: count, length: n, tau: tau,
                                           mode: options.sampleMode, aggregation: options.lossAggregation, train: true,
                                           seed: options.seed,
                                           stream: UInt64(adam.stepCount) &* UInt64(options.gumbelSamples) &+ UInt64(sample) &+ 1,
                                           lossScale: 1 / Float(options.gumbelSamples))
                        result.loss += r.loss / Double(options.gumbelSamples)
                        result.correct += r.correct
                        result.total += r.total
                    }
                    return count
                }
                if count == 0 { break }
                if !result.loss.isFinite { throw DivergenceError(epoch: epoch, step: step, tau: tau) }
                adam.step()
                lossSum += result.loss * Double(count)
                seen += count
                correct += result.correct
                total += result.total
                onStep(StepProgress(epoch: epoch, step: step, steps: steps, tau: tau, loss: lossSum / Double(seen),
                                    accuracy: Double(correct) / Double(max(total, 1)),
                                    elapsed: Date().timeIntervalSince(start)))
            }
            var metrics = EpochMetrics(epoch: epoch, tau: Double(tau), trainLoss: lossSum / Double(max(seen, 1)),
                                       elapsed: 0)
            if options.evaluateEveryEpoch {
                let streamBase = 0x7_0000_0000 &+ UInt64(epoch) &* 8
                metrics.train = options.evaluateTrainEveryEpoch
                    ? evaluate(.train, mode: options.sampleMode, tau: tau, stream: streamBase)
                    : SplitMetrics(loss: lossSum / Double(max(seen, 1)),
                                   accuracy: Double(correct) / Double(max(total, 1)))
                metrics.val = evaluate(.val, mode: options.sampleMode, tau: tau, stream: streamBase + 1)
                metrics.test = evaluate(.test, mode: options.sampleMode, tau: tau, stream: streamBase + 2)
            }
            metrics.elapsed = Date().timeIntervalSince(start)
            history.append(metrics)
            onEpoch(metrics)
        }
        let seconds = Date().timeIntervalSince(start)
        if !model.parameters.allSatisfy(\.isFinite) {
            throw DivergenceError(epoch: max(end, 1) - 1, step: steps - 1, tau: options.tauEnd)
        }
        if end < options.epochs { return Summary(epochs: history, discrete: [:], trainSeconds: seconds, stopped: true) }
        var discrete: [Split: SplitMetrics] = [:]
        for split in Split.allCases { discrete[split] = evaluate(split, mode: .argmax, tau: options.tauEnd) }
        return Summary(epochs: history, discrete: discrete, trainSeconds: seconds)
    }

    /// Loss and accuracy of the model on `split`, sampled with `mode` at `tau` (`.argmax`: the
    /// discrete model).
    public func evaluate(_ split: Split, mode: SampleMode, tau: Float, stream: UInt64 = 0x9_0000_0000,
                         predictions: UnsafeMutablePointer<Int32>? = nil) -> SplitMetrics {
        evaluate(splits[split]!, mode: mode, tau: tau, stream: stream, predictions: predictions)
    }

    /// Loss and accuracy on any encoded examples.
    public func evaluate(_ data: EncodedSplit, mode: SampleMode, tau: Float, stream: UInt64 = 0x9_0000_0000,
                         predictions: UnsafeMutablePointer<Int32>? = nil) -> SplitMetrics {
        Evaluator.evaluate(runner: runner, data: data, batchSize: options.batchSize, mode: mode, tau: tau,
                           seed: options.seed, stream: stream, aggregation: options.lossAggregation,
                           predictions: predictions)
    }
}

/// Batched evaluation of a model on encoded examples.
public enum Evaluator {
    public static func evaluate(runner: ProgramRunner, data: EncodedSplit, batchSize: Int, mode: SampleMode,
                                tau: Float, seed: UInt64, stream: UInt64, aggregation: LossAggregation = .perToken,
                                predictions: UnsafeMutablePointer<Int32>? = nil) -> SplitMetrics {
        var loss = 0.0, correct = 0, total = 0
        let n = data.length
        var lo = 0, batch: UInt64 = 0
        while lo < data.count {
            let count = min(batchSize, data.count - lo)
            let r = data.tokens.withUnsafeBufferPointer { tok in
                data.labels.withUnsafeBufferPointer { lab in
                    runner.run(tokens: tok.baseAddress! + lo * n, labels: lab.baseAddress! + lo * n, count: count,
                               length: n, tau: tau, mode: mode, aggregation: aggregation, train: false, seed: seed,
                               stream: stream &* 0x1_0000 &+ batch, predictions: predictions.map { $0 + lo * n })
                }
            }
            loss += r.loss * Double(count)
            correct += r.correct
            total += r.total
            lo += count
            batch += 1
        }
        return SplitMetrics(loss: loss / Double(max(data.count, 1)), accuracy: Double(correct) / Double(max(total, 1)))
    }
}

extension Trainer {
    /// Strict entity-level precision, recall and F1 of the discrete model on `examples`
    /// (IOB2 tags; positions whose gold tag is `<pad>` are left out).
    public func discreteEntityScore(_ examples: [Example]) throws -> EntityScore {
        try EntityScore.of(examples, dataset: dataset, length: config.maxLength) { data, predictions in
            _ = evaluate(data, mode: .argmax, tau: options.tauEnd, predictions: predictions)
        }
    }
}

extension EntityScore {
    /// The entity scores of a model on `examples`: `predict` fills one label id per position of
    /// the encoded examples; positions whose gold tag is `<pad>` are left out.
    public static func of(_ examples: [Example], dataset: any LabeledDataset, length: Int,
                          predict: (EncodedSplit, UnsafeMutablePointer<Int32>) -> Void) throws -> EntityScore {
        let data = try EncodedSplit(examples, vocabulary: dataset.vocabulary, labels: dataset.labels, length: length)
        var predictions = [Int32](repeating: 0, count: data.count * data.length)
        predictions.withUnsafeMutableBufferPointer { predict(data, $0.baseAddress!) }
        var gold: [[String]] = [], predicted: [[String]] = []
        for (s, e) in examples.enumerated() {
            let scored = e.labels.indices.filter { e.labels[$0] != "<pad>" }
            gold.append(scored.map { e.labels[$0] })
            predicted.append(scored.map { dataset.labels.symbols[Int(predictions[s * data.length + $0])] })
        }
        return try EntityScore(gold: gold, predicted: predicted)
    }
}

/// Training produced a loss or parameter that is not a finite number.
public struct DivergenceError: Error, CustomStringConvertible, Sendable {
    public let epoch: Int
    public let step: Int
    /// The temperature at that step (nil for the standard Transformer, which samples nothing).
    public let tau: Float?

    public init(epoch: Int, step: Int, tau: Float?) {
        self.epoch = epoch
        self.step = step
        self.tau = tau
    }

    public var description: String {
        "training diverged: the loss or a parameter became NaN or infinite by epoch \(epoch), step \(step)"
            + (tau.map { " (τ = \($0)); try a lower --lr, or --sample-fn gumbel_soft" } ?? "; try a lower --lr")
    }
}
