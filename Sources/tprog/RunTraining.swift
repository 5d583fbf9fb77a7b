import Foundation
import TransformerPrograms

/// Trains a Transformer Program into its run folder and writes the folder's files: shared by
/// `train` (a new run) and `resume` (an interrupted one).
///
/// After every epoch it rewrites `metrics.jsonl` and the training state (``TrainingState``,
/// `training-state.bin`), so an interrupted run can be continued from its last whole epoch.
/// Once `results.json` is written the state is removed: the run is complete.
struct RunTraining {
    let trainer: Trainer
    let dataset: any LabeledDataset
    let seed: UInt64
    let folder: RunFolder
    /// Whether to score entities (NER) beside accuracy.
    let entities: Bool
    let json: Bool
    /// Stop after this many epochs, the state saved (`--stop-after-epoch`); `nil`: train them all.
    var stopAfter: Int? = nil

    /// Writes `config` (a new run; `nil` when resuming), trains (from the start, or from where
    /// ``Trainer/resume(from:history:)`` put the trainer, with `metricsLines` the saved epochs'
    /// lines), then writes the model, the program and the results, and reports them.
    func run(config: RunConfig?, metricsLines saved: String = "") throws {
        let epochs = trainer.options.epochs
        let report = ProgressReport(json: json || !Terminal.isTTY(stdout: true), epochs: epochs)
        /// What the run came to: complete, or stopped as asked after some epochs.
        enum Outcome { case finished(RunResults), stopped(epochsDone: Int) }
        let outcome = try folder.completing { () throws -> Outcome in
            if let config { try folder.writeJSON("config.json", config) }
            var metricsLines = saved
            var stateSaveError: (any Error)?
            let summary: Trainer.Summary
            do {
                summary = try trainer.train(stoppingAfter: stopAfter, onStep: { report.step($0) }, onEpoch: { epoch in
                    metricsLines += (try? JSONCoding.line(epoch)) ?? ""
                    metricsLines += "\n"
                    try? folder.write("metrics.jsonl", data: Foundation.Data(metricsLines.utf8))
                    // A failed save costs only the chance to resume from this epoch, unless it is
                    // the epoch training stops after (checked below).
                    do {
                        try folder.write(TrainingState.fileName,
                                         data: trainer.state(epochsDone: epoch.epoch + 1, elapsed: epoch.elapsed).encoded())
                        stateSaveError = nil
                    } catch { stateSaveError = error }
                    report.epoch(epoch)
                })
            } catch let error as DivergenceError {
                report.abandon()
                // Resuming would only diverge again.
                try? FileManager.default.removeItem(at: folder.file(TrainingState.fileName))
                throw divergence(error, folder: folder)
            }
            if summary.stopped {
                // The state stays, to resume: its last save must have worked.
                if let stateSaveError { throw stateSaveError }
                return .stopped(epochsDone: summary.epochs.count)
            }
            let checkpoint = Checkpoint(model: trainer.model, task: dataset.name,
                                        vocabulary: dataset.vocabulary.symbols, labels: dataset.labels.symbols)
            try folder.write("model.json", data: JSONCoding.compact(checkpoint))
            let program = Program(network: trainer.model, task: dataset.name, vocabulary: dataset.vocabulary.symbols,
                                  labels: dataset.labels.symbols)
            try folder.writeJSON("program.json", program)
            try folder.write("program.py", data: Foundation.Data(PythonEmitter.emit(program).utf8))
            var entityScores: [Split: EntityScore] = [:]
            if entities {
                for split in Split.allCases { entityScores[split] = try trainer.discreteEntityScore(dataset.examples(split)) }
            }
            var scores = RunResults(task: dataset.name, seed: seed, epochs: epochs,
                                    trainSeconds: summary.trainSeconds, discrete: summary.discrete, entities: entityScores)
            if let unfiltered = try trainer.discreteUnfilteredTest() { scores.discrete["test_unfiltered"] = unfiltered }
            try folder.writeJSON("results.json", scores)
            try? FileManager.default.removeItem(at: folder.file(TrainingState.fileName))
            return .finished(scores)
        }
        switch outcome {
        case .finished(let results): report.finish(results, folder: folder.path)
        case .stopped(let done): report.stopped(task: dataset.name, seed: seed, epochsDone: done, epochs: epochs, folder: folder.path)
        }
    }
}
