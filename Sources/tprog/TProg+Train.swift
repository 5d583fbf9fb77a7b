import ArgumentParser
import Foundation
import TransformerPrograms

extension TProg {
    /// `tprog train`: train a Transformer Program and write its run folder.
    struct Train: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Train a Transformer Program on a task (default: sort, the paper's configuration).",
            discussion: """
                With no options beyond --task, uses that task's configuration from the paper. Writes \
                runs/<task>-<seed>/ (config.json, metrics.jsonl, model.json, results.json, program.json, program.py). On a \
                terminal shows a live progress line; with --json or when output is not a terminal, \
                prints one JSON object per epoch and a final summary.
                """)

        @OptionGroup var task: TaskArguments
        @OptionGroup(title: "Model") var model: ModelArguments
        @OptionGroup(title: "Training") var training: TrainingArguments
        @Option(help: "Run folder (default runs/<task>-<seed>).") var out: String?
        @Flag(help: "Overwrite an existing run folder.") var force = false
        @Flag(help: "Print JSON lines (one per epoch, then a summary) instead of a progress line.") var json = false

        func run() throws {
            let (name, taskOptions) = try task.resolved(defaultTask: .sort)
            let dataset = try TaskDataset.generate(name, options: taskOptions)
            var modelOptions = model.options(for: name)
            let trainingOptions = training.options(seed: taskOptions.seed)
            modelOptions.causal = model.causal
            let config = modelOptions.config(for: dataset)
            do {
                try config.validate()
                try trainingOptions.validate()
            } catch { throw usageError(error.description) }
            modelOptions.varWidth = config.varWidth
            let folder = RunFolder(out ?? "runs/\(name.rawValue)-\(taskOptions.seed)")
            do { try folder.create(force: force) } catch let e as RunFolderError { throw usageError(e.description) }

            let trainer = try Trainer(dataset: dataset, model: modelOptions, options: trainingOptions)
            let record = RunConfig(task: name.rawValue, seed: taskOptions.seed, taskOptions: taskOptions,
                                   model: modelOptions, training: trainingOptions, program: trainer.config,
                                   version: TProg.configuration.version)
            try folder.writeJSON("config.json", record)
            let report = ProgressReport(json: json || !Terminal.isTTY(stdout: true), epochs: trainingOptions.epochs)
            var metricsLines = ""
            let summary = trainer.train(onStep: { report.step($0) }, onEpoch: { epoch in
                metricsLines += (try? JSONCoding.line(epoch)) ?? ""
                metricsLines += "\n"
                try? folder.write("metrics.jsonl", data: Foundation.Data(metricsLines.utf8))
                report.epoch(epoch)
            })
            let checkpoint = Checkpoint(model: trainer.model, task: name.rawValue,
                                        vocabulary: dataset.vocabulary.symbols, labels: dataset.labels.symbols)
            try folder.writeJSON("model.json", checkpoint)
            let program = Program(network: trainer.model, task: name.rawValue, vocabulary: dataset.vocabulary.symbols,
                                  labels: dataset.labels.symbols)
            try folder.writeJSON("program.json", program)
            try folder.write("program.py", data: Foundation.Data(PythonEmitter.emit(program).utf8))
            let results = RunResults(task: name.rawValue, seed: taskOptions.seed, epochs: trainingOptions.epochs,
                                     trainSeconds: summary.trainSeconds, discrete: summary.discrete)
            try folder.writeJSON("results.json", results)
            report.finish(results, folder: folder.path)
        }
    }
}
