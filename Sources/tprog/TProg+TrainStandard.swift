import ArgumentParser
import Foundation
import TransformerPrograms

/// Options of the standard-Transformer baseline (`train --standard`).
struct StandardArguments: ParsableArguments {
    @Flag(help: "Train the standard Transformer baseline instead of a Transformer Program.") var standard = false
    @Option(parsing: .unconditional, help: "Baseline: model width (default 64; the paper's RASP grid used 256).") var dModel: Int?
    @Option(parsing: .unconditional, help: "Baseline: attention heads per layer (default 2).") var heads: Int?
    @Option(parsing: .unconditional, help: "Baseline: dropout rate (default 0; 0.5 for NLP).") var dropout: Float?

    /// The options given that only the baseline has.
    var baselineOnly: [(flag: String, given: Bool)] {
        [("--dropout", dropout != nil), ("--d-model", dModel != nil), ("--heads", heads != nil)]
    }
}

extension TProg.Train {
    /// `train --standard`: the baseline on the same data, keeping the best epoch by validation.
    /// With `glove` (a GloVe text file), the token embeddings start from the words' vectors projected
    /// to `d_model` by a seeded Gaussian random projection (words without a vector: random), as the
    /// original's baseline does.
    func trainStandard(dataset: any LabeledDataset, seed: UInt64, taskOptions: TaskOptions?,
                       nlp nlpData: RunConfig.NLPData?, nlpTask: NLPTask?, glove: String? = nil) throws {
        try checkPoolDivisor(pooled: dataset.pooled)
        var modelOptions: StandardModelOptions
        var options: StandardTrainingOptions
        switch nlpTask {
        case .some(let t) where t.isTagging: (modelOptions, options) = (.paperNER, .paperNER)
        case .some: (modelOptions, options) = (.paperClassification, .paperClassification)
        case .none: (modelOptions, options) = (StandardModelOptions(dMLP: model.dMlp), StandardTrainingOptions())
        }
        modelOptions.dModel = baseline.dModel ?? modelOptions.dModel
        modelOptions.layers = model.layers ?? modelOptions.layers
        modelOptions.heads = baseline.heads ?? modelOptions.heads
        modelOptions.dropout = baseline.dropout ?? modelOptions.dropout
        modelOptions.causal = model.causal || dataset.causal
        options.epochs = training.epochs ?? options.epochs
        options.batchSize = training.batchSize ?? options.batchSize
        options.learningRate = training.lr ?? options.learningRate
        options.maxGradNorm = training.maxGradNorm ?? options.maxGradNorm
        options.lossAggregation = training.lossAgg
        options.poolDivisor = training.poolDivisor ?? options.poolDivisor
        options.seed = seed
        do {
            try modelOptions.config(for: dataset).validate()
            try options.validate()
        } catch { throw usageError(error.description) }
        // GloVe is read before the run folder exists, so a bad file leaves nothing behind.
        var gloveTable: [Float]? = nil
        if let path = glove {
            do {
                let vectors = try GloVe.read(path, words: Set(dataset.vocabulary.symbols))
                let (table, found) = vectors.embeddingLogits(vocabulary: dataset.vocabulary.symbols, variables: 1,
                                                             width: modelOptions.dModel, seed: seed)
                gloveTable = table
                FileHandle.standardError.write(Foundation.Data("GloVe: \(found) of \(dataset.vocabulary.count) words found in \(path)\n".utf8))
            } catch { throw usageError("\(error)") }
        }
        let (folder, lock) = try runFolder(out ?? "runs/\(dataset.name)-standard-\(seed)", resumable: false)
        defer { lock.release(in: folder.url) }
        // A replaced run stays whole until the new one is complete (RunFolder.commit).
        let report = ProgressReport(json: json || !Terminal.isTTY(stdout: true), epochs: options.epochs)
        let (results, summary) = try folder.completing { () throws -> (StandardRunResults, StandardSummary) in
            let trainer = try StandardTrainer(dataset: dataset, model: modelOptions, options: options)
            if let table = gloveTable {
                do { try trainer.model.setTokenEmbeddings(table) } catch { throw usageError("\(error)") }
            }
            try folder.writeJSON("config.json", StandardRunConfig(task: dataset.name, seed: seed, taskOptions: taskOptions,
                                                                  nlp: nlpData, model: modelOptions, training: options,
                                                                  version: TProg.configuration.version))
            var metricsLines = ""
            // NER keeps the epoch with the best validation F1; everything else the best validation accuracy.
            let tagging = nlpTask?.isTagging ?? false
            let score: ((EpochMetrics) -> Double)? = tagging ? { _ in
                (try? entityScore(trainer, dataset, .val).f1) ?? 0
            } : nil
            let summary: StandardSummary
            do {
                summary = try trainer.train(score: score, onStep: { report.step($0) }, onEpoch: { epoch in
                    metricsLines += ((try? JSONCoding.line(epoch)) ?? "") + "\n"
                    try? folder.write("metrics.jsonl", data: Foundation.Data(metricsLines.utf8))
                    report.epoch(epoch)
                })
            } catch let error as DivergenceError {
                report.abandon()
                throw divergence(error, folder: folder)
            }
            trainer.restoreBestParameters()
            var entities: [Split: EntityScore] = [:]
            if tagging { for split in Split.allCases { entities[split] = try entityScore(trainer, dataset, split) } }
            var scores = StandardRunResults(task: dataset.name, seed: seed, epochs: options.epochs, summary: summary,
                                             entities: entities)
            if let nlp = dataset as? NLPDataset {
                let score = try nlp.unfilteredTestScore(length: dataset.maxLength) { data, predictions in
                    _ = trainer.evaluate(data, predictions: predictions)
                }
                scores.best["test_unfiltered"] = RunResults.Score(accuracy: score.accuracy, entities: score.entities)
            }
            try folder.writeJSON("results.json", scores)
            return (scores, summary)
        }
        if report.json {
            print(try JSONCoding.line(results))
        } else {
            FileHandle.standardError.write(Foundation.Data("\r\u{1B}[K".utf8))
            print("trained the standard Transformer on \(dataset.name) (seed \(seed)) in \(ProgressReport.clock(summary.trainSeconds))")
            print(String(format: "  best epoch %d: val accuracy %.2f%%, test accuracy %.2f%%", summary.bestEpoch + 1,
                         summary.bestVal.accuracy * 100, summary.testAtBest.accuracy * 100))
            print("wrote \(folder.path)/")
        }
    }

    /// Strict entity scores of the baseline's current parameters on `split`.
    func entityScore(_ trainer: StandardTrainer, _ dataset: any LabeledDataset, _ split: Split) throws -> EntityScore {
        try EntityScore.of(dataset.examples(split), dataset: dataset, length: dataset.maxLength) { data, predictions in
            _ = trainer.evaluate(data, predictions: predictions)
        }
    }
}
