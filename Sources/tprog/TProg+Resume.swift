import ArgumentParser
import Foundation
import TransformerPrograms

extension TProg {
    /// `tprog resume RUN`: continue an interrupted `tprog train` from its last whole epoch.
    struct Resume: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Continue an interrupted training run from its last completed epoch.",
            discussion: """
                tprog train saves the run's training state (training-state.bin) after every epoch. \
                resume rebuilds the run from its config.json (the same data, options and seed), \
                restores that state and trains the remaining epochs: the run ends exactly as it \
                would have without the interruption (same model.json, same results, whatever the \
                number of threads). It then writes the run's files, as train does.
                """)

        @Argument(help: "The run folder of the interrupted run.") var folder: String
        @Flag(help: "Print JSON lines (one per epoch, then a summary) instead of a progress line.") var json = false
        @Option(parsing: .unconditional, help: "Stop again after this many epochs (counted from the run's start), the state saved.")
        var stopAfterEpoch: Int?

        func run() throws {
            let folder = RunFolder(self.folder)
            let config: RunConfig, state: TrainingState, history: [EpochMetrics], lines: [Substring]
            let lock: RunLock
            do {
                try Self.checkResumable(folder)
                lock = try folder.lock()
            } catch { throw usageError(error.description) }
            defer { lock.release(in: folder.url) }
            do {
                config = try folder.readJSON(RunConfig.self, "config.json")
                state = try TrainingState.read(in: folder)
                (history, lines) = try Self.savedMetrics(folder, epochs: state.epochsDone)
            } catch let error as CustomStringConvertible & Error { throw usageError(error.description) }
            if let k = stopAfterEpoch, k <= state.epochsDone {
                throw usageError("--stop-after-epoch \(k): the run has already done \(state.epochsDone) epochs")
            }
            let dataset: any LabeledDataset
            do { dataset = try config.dataset() } catch {
                throw usageError("cannot rebuild the run's data: \(error)")
            }
            let trainer: Trainer
            do {
                trainer = try Trainer(dataset: dataset, model: config.model, options: config.training)
                guard trainer.config == config.program else {
                    throw RunFolderError("the network config.json records does not fit the data as rebuilt now (has the data changed?)")
                }
                try trainer.resume(from: state, history: history)
            } catch let error as CustomStringConvertible & Error { throw usageError("\(folder.path): \(error.description)") }
            Interruption.settleOnInterrupt(folder, resumable: true)
            FileHandle.standardError.write(Foundation.Data(
                "resuming \(folder.path) after epoch \(state.epochsDone) of \(config.training.epochs)\n".utf8))
            let entities = config.nlp != nil && NLPTask(rawValue: config.task)?.isTagging == true
            try RunTraining(trainer: trainer, dataset: dataset, seed: config.seed, folder: folder,
                            entities: entities, json: json, stopAfter: stopAfterEpoch)
                .run(config: nil, metricsLines: lines.map { $0 + "\n" }.joined())
        }

        /// Refuses, naming why, a folder that is not an unfinished Transformer Program run.
        static func checkResumable(_ folder: RunFolder) throws(RunFolderError) {
            let fm = FileManager.default
            var isDir: ObjCBool = false
            guard fm.fileExists(atPath: folder.url.path, isDirectory: &isDir), isDir.boolValue else {
                throw RunFolderError("no run folder at \(folder.path)")
            }
            guard fm.fileExists(atPath: folder.file("config.json").path) else {
                throw RunFolderError("\(folder.path) is not a tprog run folder (it has no config.json)")
            }
            if folder.isStandardRun {
                throw RunFolderError("\(folder.path) is a standard-Transformer run (train --standard), which saves no training state; train it again")
            }
            if fm.fileExists(atPath: folder.file("results.json").path) {
                throw RunFolderError("\(folder.path) is complete (it has results.json): nothing to resume")
            }
        }

        /// The metrics of the first `epochs` epochs from `metrics.jsonl`, decoded, and their lines
        /// (later lines, written after the state was saved, are dropped: those epochs run again).
        static func savedMetrics(_ folder: RunFolder, epochs: Int) throws -> ([EpochMetrics], [Substring]) {
            guard epochs > 0 else { return ([], []) }
            let path = folder.file("metrics.jsonl").path
            guard let data = FileManager.default.contents(atPath: path) else { throw RunFolderError(FileErrors.unreadable(path)) }
            let lines = String(decoding: data, as: UTF8.self).split(separator: "\n").prefix(epochs)
            guard lines.count == epochs else {
                throw RunFolderError("\(path) has \(lines.count) epochs, the saved state \(epochs)")
            }
            let metrics = try lines.enumerated().map { index, line in
                do { return try JSONDecoder().decode(EpochMetrics.self, from: Foundation.Data(line.utf8)) } catch {
                    throw RunFolderError("\(path), line \(index + 1): \(JSONCoding.describe(error))")
                }
            }
            return (metrics, Array(lines))
        }
    }
}
