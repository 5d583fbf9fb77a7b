import Foundation
import Network
import Tasks

/// A finished run loaded back from its folder: its configuration, its model, and its data
/// (regenerated from the recorded task options: same seed, same splits).
public struct TrainedRun {
    public let folder: RunFolder
    public let config: RunConfig
    public let checkpoint: Checkpoint
    public let model: TransformerProgram

    /// Loads `config.json` and `model.json` from `path`; throws when they do not belong together.
    public init(path: String) throws {
        folder = RunFolder(path)
        var isDir: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDir), isDir.boolValue else {
            throw RunFolderError("no run folder at \(path)")
        }
        if folder.isStandardRun {
            throw RunFolderError("\(path) is a standard-Transformer run (train --standard): it has no program to evaluate, run or verify; its results.json holds its scores")
        }
        config = try folder.readJSON(RunConfig.self, "config.json")
        if !FileManager.default.fileExists(atPath: folder.file("model.json").path) {
            if let pid = RunLock.holder(of: folder.url) {
                throw RunLock.busy(folder.url, holder: pid, advice: " and has no model.json yet: wait for it to finish")
            }
            if FileManager.default.fileExists(atPath: folder.file("results.json").path) {
                throw RunFolderError("\(path) has results.json but no model.json: the model was deleted or moved; train it again with --force")
            }
            let resumable = FileManager.default.fileExists(atPath: folder.file(TrainingState.fileName).path)
            throw RunFolderError("\(path) is an unfinished run (no model.json yet)"
                + (resumable ? ": 'tprog resume \(path)' continues it" : ", with nothing saved to resume: train it again with --force"))
        }
        checkpoint = try folder.readJSON(Checkpoint.self, "model.json")
        guard checkpoint.task == config.task else {
            throw RunFolderError("\(path): config.json is a \(config.task) run but model.json a \(checkpoint.task) model")
        }
        guard checkpoint.config == config.program else {
            throw RunFolderError("\(path): config.json and model.json record different network configurations")
        }
        model = try checkpoint.makeModel()
    }

    /// The token vocabulary the model was trained with.
    public var vocabulary: Vocabulary { Vocabulary(checkpoint.vocabulary) }
    /// The labels, in class-id order.
    public var labels: Vocabulary { Vocabulary(checkpoint.labels) }

    /// The run's data set: regenerated (synthetic tasks) or read again (NLP tasks).
    public func dataset() throws -> any LabeledDataset { try config.dataset() }

    /// Encodes `examples` for this model; throws on an unknown token or label, or a sequence
    /// longer than the model allows.
    public func encode(_ examples: [Example]) throws -> EncodedSplit {
        let n = model.config.maxLength
        for (i, e) in examples.enumerated() where e.tokens.count > n {
            throw RunFolderError("example \(i + 1) has \(e.tokens.count) tokens; the model allows at most \(n)")
        }
        return try EncodedSplit(examples, vocabulary: vocabulary, labels: labels, length: n)
    }

    /// Discrete (argmax) accuracy on `data`; `predictions` (count × length) receives the labels' ids.
    public func evaluate(_ data: EncodedSplit, predictions: UnsafeMutablePointer<Int32>? = nil) -> SplitMetrics {
        let runner = ProgramRunner(model: model)
        return Evaluator.evaluate(runner: runner, data: data, batchSize: 512, mode: .argmax, tau: 1,
                                  seed: 0, stream: 0, predictions: predictions)
    }
}

extension RunConfig {
    /// The data set this configuration names: regenerated (synthetic tasks) or read again (NLP
    /// tasks).
    public func dataset() throws -> any LabeledDataset {
        if let nlp { return try nlp.load(try NLPTask(parsing: task)) }
        guard let taskOptions else { throw RunFolderError("config.json names no data") }
        return try TaskDataset.generate(try TaskName(parsing: task), options: taskOptions)
    }
}

extension RunConfig.NLPData {
    /// Reads `task`'s data again as the run read them, and checks that they are the same
    /// examples (``NLPDataset/fingerprint``, when the run recorded one).
    public func load(_ task: NLPTask) throws -> NLPDataset {
        let dataset = try NLPDataset.load(task, options: options, dataDirectory: dataDirectory)
        if let dataFingerprint, dataset.fingerprint != dataFingerprint {
            let relative = dataDirectory.hasPrefix("/") ? "" : " (relative to the current folder)"
            throw RunFolderError("the \(task.rawValue) data read from \(dataDirectory)\(relative) differ from those the run "
                                 + "was trained on (fingerprint \(dataset.fingerprint), recorded \(dataFingerprint))")
        }
        return dataset
    }
}
