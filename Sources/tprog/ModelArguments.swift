import ArgumentParser
import Foundation
import TransformerPrograms

/// Architecture options of `train` (unset ones take the task's paper configuration).
struct ModelArguments: ParsableArguments {
    @Option(parsing: .unconditional, help: "Layers.") var layers: Int?
    @Option(parsing: .unconditional, help: "Categorical heads per layer.") var catHeads: Int?
    @Option(parsing: .unconditional, help: "Numerical heads per layer.") var numHeads: Int?
    @Option(name: .customLong("cat-mlps"), parsing: .unconditional, help: "Categorical MLPs per layer.") var catMLPs: Int?
    @Option(name: .customLong("num-mlps"), parsing: .unconditional, help: "Numerical MLPs per layer.") var numMLPs: Int?
    @Option(parsing: .unconditional, help: "Cardinality k of every categorical variable (default: max(vocabulary, length)).") var dVar: Int?
    @Option(parsing: .unconditional, help: "Hidden width of the MLPs.") var dMlp: Int = 64
    @Flag(help: "Causal attention (on by default for dyck1, dyck2, induction).") var causal = false
    @Option(parsing: .unconditional, help: "NLP: factored embedding variables (default 4).") var nVarsCat: Int?
    @Option(help: ArgumentHelp("Mask <pad> (and <unk> when it is not a label) out of the classifier: true (the default) or false.",
                               discussion: "false masks no class, as the original's --unembed_mask 0 (its induction script's setting).")) var unembedMask: Bool?

    /// The architecture options given that only a Transformer Program has.
    var programOnly: [(flag: String, given: Bool)] {
        [("--cat-heads", catHeads != nil), ("--num-heads", numHeads != nil), ("--cat-mlps", catMLPs != nil),
         ("--num-mlps", numMLPs != nil), ("--d-var", dVar != nil), ("--n-vars-cat", nVarsCat != nil),
         ("--unembed-mask", unembedMask != nil)]
    }

    /// The paper's configuration for `task`, with every given option applied.
    func options(for task: TaskName) -> ModelOptions { apply(to: ModelOptions.paper(task)) }

    /// The paper's configuration for an NLP task, with every given option applied.
    func options(for task: NLPTask) -> ModelOptions {
        var m = ModelOptions.paper(task)
        m.embeddingVariables = nVarsCat ?? m.embeddingVariables
        return apply(to: m)
    }

    private func apply(to paper: ModelOptions) -> ModelOptions {
        var m = paper
        m.layers = layers ?? m.layers
        m.catHeads = catHeads ?? m.catHeads
        m.numHeads = numHeads ?? m.numHeads
        m.catMLPs = catMLPs ?? m.catMLPs
        m.numMLPs = numMLPs ?? m.numMLPs
        m.varWidth = dVar ?? m.varWidth
        m.mlpWidth = dMlp
        m.unembedMask = unembedMask ?? m.unembedMask
        return m
    }
}

/// Training options of `train` (SPEC §2 defaults).
struct TrainingArguments: ParsableArguments {
    @Option(parsing: .unconditional, help: "Epochs (default 250; NLP: 50 for ner, 10 for classification).") var epochs: Int?
    @Option(parsing: .unconditional, help: "Sequences per step (default 512; NLP: 32 for ner, 128 for classification).") var batchSize: Int?
    @Option(parsing: .unconditional, help: "Adam learning rate (default 0.05; 0.01 for ner).") var lr: Float?
    @Option(parsing: .unconditional, help: "Clip the global gradient norm to this value (off by default).") var maxGradNorm: Float?
    @Option(parsing: .unconditional, help: "Initial Gumbel-softmax temperature (default 3).") var tauInit: Float?
    @Option(parsing: .unconditional, help: "Final temperature (default 0.01).") var tauEnd: Float?
    @Option(help: "Temperature schedule: geomspace (the default) or linspace.") var tauSchedule: TemperatureSchedule.Kind?
    @Option(parsing: .unconditional, help: "Sampled losses averaged per step (default 1).") var gumbelSamples: Int?
    @Option(help: "Loss aggregation: per_token or per_seq.") var lossAgg: LossAggregation = .perToken
    @Option(help: "Relaxation: gumbel_soft (the default), gumbel_hard or softmax.") var sampleFn: SampleMode?
    @Option(help: ArgumentHelp("Pooled tasks: divide a sentence's summed logits by the padded length (as the original; the default) or by its own length.",
                               discussion: "The label is the same either way; the training loss sees the logits scaled by length/padded length with 'padded'."))
    var poolDivisor: TrainingOptions.PoolDivisor?
    @Option(help: ArgumentHelp("Start from a saved model's parameters (a run folder or its model.json) instead of random ones.",
                               discussion: "The saved model's network configuration (layers, heads, MLPs, k, vocabulary, length, masked classes) must match this run's."))
    var initFrom: String?
    @Option(help: "With --init-from: only the parameters whose names start with one of these comma-separated prefixes (layer1.attn0.predicate, layer0., classifier.).")
    var initOnly: String?
    @Flag(help: ArgumentHelp("Re-evaluate the whole training split after every epoch, as the original does.",
                             discussion: "By default an epoch's train loss and accuracy are those of its own training steps; the re-evaluation costs about a third of the training time."))
    var evalTrain = false
    @Flag(inversion: .prefixedNo,
          help: ArgumentHelp("Flush subnormal floats to zero while training a Transformer Program (the default; faster as τ falls).",
                             discussion: "Every run we compared was bit-identical either way; config.json records the choice."))
    var flushSubnormals: Bool?

    /// The options given that only a Transformer Program uses (the standard baseline has no
    /// temperature, samples, warm start or subnormal setting).
    var programOnly: [(flag: String, given: Bool)] {
        [("--tau-init", tauInit != nil), ("--tau-end", tauEnd != nil), ("--tau-schedule", tauSchedule != nil),
         ("--gumbel-samples", gumbelSamples != nil), ("--sample-fn", sampleFn != nil), ("--eval-train", evalTrain),
         ("--flush-subnormals/--no-flush-subnormals", flushSubnormals != nil), ("--init-from", initFrom != nil),
         ("--init-only", initOnly != nil)]
    }

    func options(seed: UInt64, defaults: TrainingOptions = TrainingOptions()) -> TrainingOptions {
        var t = defaults
        t.epochs = epochs ?? defaults.epochs
        t.batchSize = batchSize ?? defaults.batchSize
        t.learningRate = lr ?? defaults.learningRate
        t.maxGradNorm = maxGradNorm
        t.tauInit = tauInit ?? defaults.tauInit
        t.tauEnd = tauEnd ?? defaults.tauEnd
        t.tauSchedule = tauSchedule ?? defaults.tauSchedule
        t.gumbelSamples = gumbelSamples ?? defaults.gumbelSamples
        t.lossAggregation = lossAgg
        t.sampleMode = sampleFn ?? defaults.sampleMode
        t.evaluateTrainEveryEpoch = evalTrain
        t.flushSubnormals = flushSubnormals ?? defaults.flushSubnormals
        t.poolDivisor = poolDivisor ?? defaults.poolDivisor
        t.seed = seed
        return t
    }
}

extension TemperatureSchedule.Kind: ExpressibleByArgument {}
extension LossAggregation: ExpressibleByArgument {}
extension SampleMode: ExpressibleByArgument {}
extension TrainingOptions.PoolDivisor: ExpressibleByArgument {}

/// Options of the NLP tasks (`ner`, `trec`, `mr`, `subj`, `sst2`) for training: the data
/// options and `--glove`.
struct NLPArguments: ParsableArguments {
    @OptionGroup var data: NLPDataArguments
    @Option(help: "NLP: a GloVe text file to initialise the embeddings from.") var glove: String?

    /// The options given that only the NLP tasks read.
    var given: [(flag: String, given: Bool)] { [("--glove", glove != nil)] + data.given }

    /// ``NLPDataArguments/load(_:options:)``.
    func load(_ task: NLPTask, options: inout NLPOptions) throws -> (dataset: NLPDataset, directory: String) {
        try data.load(task, options: &options)
    }
}

/// Where the NLP tasks' data are and how they are read (`baseline` takes these alone: its
/// models have no embeddings to initialise).
struct NLPDataArguments: ParsableArguments {
    @Option(help: "NLP: the folder holding wnut17/, trec/, mr/, subj/, sst2/ (default ../shared/data).") var dataDir: String?
    @Flag(help: "NLP: lower-case every word.") var lowercase = false
    @Option(help: "NLP: replace digit runs by @: true or false (default: true for ner).") var replaceNumbers: Bool?
    @Flag(help: ArgumentHelp("NLP: an unknown word reads as its shape (<unk:Xx>, <unk:XX>, <unk:x>), not <unk>.",
                             discussion: "Capitalised (Xx), all-capital (XX) or lower-case (x) by its ASCII letters; anything else is <unk>. Not in the paper.")) var unknownShapes = false

    /// The options given that only the NLP tasks read.
    var given: [(flag: String, given: Bool)] {
        [("--data-dir", dataDir != nil), ("--lowercase", lowercase),
         ("--replace-numbers", replaceNumbers != nil), ("--unknown-shapes", unknownShapes)]
    }

    /// Applies the preprocessing flags to `options` and loads `task`'s data set from `--data-dir`
    /// (or `../shared/data`), returning it with the folder's absolute path; every failure is a
    /// usage error naming the problem.
    func load(_ task: NLPTask, options: inout NLPOptions) throws -> (dataset: NLPDataset, directory: String) {
        options.lowercase = lowercase
        if let r = replaceNumbers { options.replaceNumbers = r }
        options.unknownShapes = unknownShapes
        if dataDir?.isEmpty == true { throw usageError("--data-dir: the path is empty") }
        guard let directory = dataDir ?? NLPDataset.defaultDataDirectory else {
            throw usageError("no data folder: pass --data-dir (the folder holding wnut17/, trec/, mr/, subj/, sst2/)")
        }
        // Recorded absolute, so that commands run later from another folder read the same files.
        let absolute = URL(fileURLWithPath: directory).standardizedFileURL.path
        do { return (try NLPDataset.load(task, options: options, dataDirectory: absolute), absolute) } catch {
            throw usageError("\(error)")
        }
    }
}
