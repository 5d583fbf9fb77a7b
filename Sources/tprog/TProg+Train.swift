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
        @Option(parsing: .unconditional, help: ArgumentHelp("Stop after this many epochs, the training state saved; 'tprog resume' continues the run.",
                                                        discussion: "The resumed run ends exactly as an uninterrupted one: a run can be trained in slices."))
        var stopAfterEpoch: Int?
        @Flag(help: "Print JSON lines (one per epoch, then a summary) instead of a progress line.") var json = false

        @OptionGroup(title: "NLP tasks") var nlp: NLPArguments
        @OptionGroup(title: "Standard Transformer baseline") var baseline: StandardArguments

        func run() throws {
            try checkTask()
            try checkOptionsApply()
            if let name = task.task, let nlpTask = NLPTask(rawValue: name) {
                try trainNLP(nlpTask)
                return
            }
            let (name, taskOptions) = try task.resolved(defaultTask: .sort)
            let dataset: TaskDataset
            do { dataset = try TaskDataset.generate(name, options: taskOptions) } catch let error as TaskError {
                throw usageError(error.description)
            }
            if baseline.standard {
                try trainStandard(dataset: dataset, seed: taskOptions.seed, taskOptions: taskOptions, nlp: nil, nlpTask: nil)
                return
            }
            var modelOptions = model.options(for: name)
            modelOptions.causal = model.causal
            try train(dataset: dataset, seed: taskOptions.seed, modelOptions: modelOptions,
                      trainingOptions: training.options(seed: taskOptions.seed),
                      record: { RunConfig(task: name.rawValue, seed: taskOptions.seed, taskOptions: taskOptions, model: $0,
                                          training: $1, program: $2, version: TProg.configuration.version) })
        }

        /// Refuses a task that is neither synthetic nor NLP, naming both kinds (the synthetic
        /// tasks' own check, shared with `data` and `bench`, names only its own).
        func checkTask() throws {
            if let name = task.task, TaskName(rawValue: name) == nil, NLPTask(rawValue: name) == nil {
                let all = (TaskName.allCases.map(\.rawValue) + NLPTask.allCases.map(\.rawValue)).joined(separator: ", ")
                throw usageError("unknown task '\(name)'; expected one of \(all)")
            }
        }

        /// Refuses every option given that this run would ignore: the baseline's without
        /// `--standard`, a Transformer Program's with it, the NLP tasks' on a synthetic task.
        func checkOptionsApply() throws {
            let nlpRun = task.task.flatMap(NLPTask.init(rawValue:)) != nil
            let name = task.task ?? TaskName.sort.rawValue
            func refuse(_ options: [(flag: String, given: Bool)], _ why: String) throws {
                if let flag = options.first(where: \.given)?.flag { throw usageError("\(flag) \(why)") }
            }
            if let k = stopAfterEpoch, k < 1 { throw usageError("--stop-after-epoch must be at least 1 (got \(k))") }
            if baseline.standard {
                try refuse(model.programOnly + training.programOnly + [("--stop-after-epoch", stopAfterEpoch != nil)],
                           "applies to Transformer Programs, not to --standard")
            } else {
                try refuse(baseline.baselineOnly, "applies to the standard Transformer (--standard)")
            }
            if !nlpRun { try refuse(nlp.given + [("--n-vars-cat", model.nVarsCat != nil)], "applies to the NLP tasks, not to \(name)") }
        }

        /// NER and sentence classification on real data (`--data-dir`), at the paper's settings
        /// unless options say otherwise.
        func trainNLP(_ nlpTask: NLPTask) throws {
            var options = NLPOptions.defaults(for: nlpTask)
            do {
                if let v = task.vocabSize { guard let n = Int(v), n > 0 else { throw ConfigError("--vocab-size: expected a positive integer, got '\(v)'") }; options.vocabSize = n }
                if let v = task.seed { guard let n = UInt64(v) else { throw ConfigError("--seed: expected a non-negative integer, got '\(v)'") }; options.seed = n }
                // --max-length counts positions, as the original's: <s>, the words, </s>.
                if let v = task.maxLength {
                    guard let n = Int(v), n >= 3 else { throw ConfigError("--max-length: expected an integer of at least 3 (<s>, a word, </s>), got '\(v)'") }
                    options.maxWords = n - 2
                }
                for (flag, value) in [("--min-length", task.minLength), ("--dataset-size", task.datasetSize), ("--unique", task.unique)]
                where value != nil {
                    throw ConfigError("\(flag) applies to the synthetic tasks, not to \(nlpTask.rawValue)")
                }
            } catch let e as ConfigError { throw usageError(e.description) }
            let (dataset, directory) = try nlp.load(nlpTask, options: &options)
            if baseline.standard {
                try trainStandard(dataset: dataset, seed: options.seed, taskOptions: nil,
                                  nlp: RunConfig.NLPData(options: options, dataDirectory: directory, glove: nlp.glove,
                                              dataFingerprint: dataset.fingerprint),
                                  nlpTask: nlpTask, glove: nlp.glove)
                return
            }
            let modelOptions = model.options(for: nlpTask)
            var initial: [Float]? = nil
            if let path = nlp.glove {
                let config = modelOptions.config(for: dataset)
                do {
                    let glove = try GloVe.read(path, words: Set(dataset.vocabulary.symbols))
                    let (logits, found) = glove.embeddingLogits(vocabulary: dataset.vocabulary.symbols,
                                                                variables: config.embeddingVariables,
                                                                width: config.varWidth, seed: options.seed)
                    initial = logits
                    FileHandle.standardError.write(Foundation.Data("GloVe: \(found) of \(dataset.vocabulary.count) words found in \(path)\n".utf8))
                } catch { throw usageError("\(error)") }
            }
            let nlpData = RunConfig.NLPData(options: options, dataDirectory: directory, glove: nlp.glove,
                                              dataFingerprint: dataset.fingerprint)
            try train(dataset: dataset, seed: options.seed, modelOptions: modelOptions,
                      trainingOptions: training.options(seed: options.seed, defaults: .paper(nlpTask)),
                      embeddingInitial: initial, entities: nlpTask.isTagging,
                      record: { RunConfig(task: nlpTask.rawValue, seed: options.seed, taskOptions: nil, nlp: nlpData,
                                          model: $0, training: $1, program: $2, version: TProg.configuration.version) })
        }

        /// `--pool-divisor` is only meaningful for a pooled (sentence classification) task.
        func checkPoolDivisor(pooled: Bool) throws {
            if training.poolDivisor != nil && !pooled {
                throw usageError("--pool-divisor applies to pooled (sentence classification) tasks only")
            }
        }

        /// `--init-from`/`--init-only`: sets the trainer's initial parameters from a saved model of
        /// the same task, vocabulary and labels.
        func warmStart(_ trainer: Trainer, dataset: any LabeledDataset) throws -> RunConfig.Initialization? {
            let only = (training.initOnly ?? "").split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
                .filter { !$0.isEmpty }
            guard let from = training.initFrom else {
                if training.initOnly != nil { throw usageError("--init-only needs --init-from") }
                return nil
            }
            if training.initOnly != nil && only.isEmpty {
                throw usageError("--init-only: no prefix given (leave the option out to start from every parameter)")
            }
            do {
                let checkpoint = try Checkpoint.load(from)
                guard checkpoint.task == dataset.name else {
                    throw CheckpointError("the saved model was trained on \(checkpoint.task), this run is \(dataset.name)")
                }
                guard checkpoint.vocabulary == dataset.vocabulary.symbols, checkpoint.labels == dataset.labels.symbols else {
                    throw CheckpointError("the saved model's tokens or labels differ from this run's (or are in another order)")
                }
                try trainer.initialize(from: checkpoint, only: only)
            } catch let e as CheckpointError {
                throw usageError("--init-from: \(e.description)")
            }
            return RunConfig.Initialization(from: from, only: only)
        }

        /// The run folder at `path`, created, or staged beside the run it replaces with `--force`
        /// (then settled by an interruption: ``Interruption``), and locked for this process
        /// (``RunLock``). `resumable`: whether the run saves its training state (see ``RunTraining``).
        func runFolder(_ path: String, resumable: Bool) throws -> (RunFolder, RunLock) {
            var folder = RunFolder(path)
            let lock: RunLock
            do { try folder.create(force: force) } catch { throw usageError(error.description) }
            do { lock = try folder.lock() } catch {
                folder.discard()   // a staging folder, and the replaced run's lock
                throw usageError(error.description)
            }
            Interruption.settleOnInterrupt(folder, resumable: resumable)
            return (folder, lock)
        }

        /// Trains on `dataset` and writes the run folder.
        func train(dataset: any LabeledDataset, seed: UInt64, modelOptions: ModelOptions, trainingOptions: TrainingOptions,
                   embeddingInitial: [Float]? = nil, entities: Bool = false,
                   record: (ModelOptions, TrainingOptions, ProgramConfig) -> RunConfig) throws {
            var modelOptions = modelOptions
            let config = modelOptions.config(for: dataset)
            do {
                try config.validate()
                try trainingOptions.validate()
            } catch { throw usageError(error.description) }
            try checkPoolDivisor(pooled: config.pooled)
            modelOptions.varWidth = config.varWidth
            let trainer = try Trainer(dataset: dataset, model: modelOptions, options: trainingOptions,
                                      embeddingInitial: embeddingInitial)
            let initialization = try warmStart(trainer, dataset: dataset)
            let (folder, lock) = try runFolder(out ?? "runs/\(dataset.name)-\(seed)", resumable: true)
            defer { lock.release(in: folder.url) }
            var runConfig = record(modelOptions, trainingOptions, trainer.config)
            runConfig.initialization = initialization
            try RunTraining(trainer: trainer, dataset: dataset, seed: seed, folder: folder, entities: entities, json: json,
                            stopAfter: stopAfterEpoch)
                .run(config: runConfig)
        }
    }
}
