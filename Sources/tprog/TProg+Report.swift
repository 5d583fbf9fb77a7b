import ArgumentParser
import Foundation
import TransformerPrograms

extension TProg {
    /// `tprog report`: the results table of many runs.
    struct Report: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Summarise a folder of runs: each seed's discrete test accuracy, the best-on-validation seed's, the target, training time.",
            discussion: "Reads every <folder>/*/results.json, e.g. the runs of scripts/paper-runs.sh in runs/paper.")

        @Argument(help: "The folder holding the run folders.") var folder: String

        @Flag(help: "Read the folder as one search (the paper's protocol for its grids): below the table, the run selected on validation across all configurations of each task.")
        var search = false

        func run() throws {
            let report: RunReport
            do { report = try RunReport(directory: folder) } catch { throw usageError("\(error)") }
            let unfinished = Self.unfinishedRuns(in: folder)
            let note = unfinished.isEmpty ? "" : "unfinished (no results.json): \(unfinished.joined(separator: ", "))"
            if report.rows.isEmpty {
                throw usageError("no finished runs (results.json) below \(folder)" + (note.isEmpty ? "" : "; \(note)"))
            }
            print(report.markdown(searches: search), terminator: "")
            if !note.isEmpty {
                fflush(nil)
                FileHandle.standardError.write(Foundation.Data("not counted, \(note)\n".utf8))
            }
        }

        /// The run folders directly below `folder` that have a `config.json` but no `results.json`,
        /// each with how far it got: `name (training: 12 of 250 epochs done)` while a process trains
        /// it, `name (stopped after 12 of 250 epochs; tprog resume continues it)` once interrupted.
        static func unfinishedRuns(in folder: String) -> [String] {
            let fm = FileManager.default
            let names = ((try? fm.contentsOfDirectory(atPath: folder)) ?? []).sorted()
            return names.compactMap { name in
                let run = URL(fileURLWithPath: folder).appendingPathComponent(name)
                guard !name.hasPrefix("."), fm.fileExists(atPath: run.appendingPathComponent("config.json").path),
                      !fm.fileExists(atPath: run.appendingPathComponent("results.json").path) else { return nil }
                struct Epochs: Decodable { struct Training: Decodable { var epochs: Int? }; var training: Training? }
                let folder = RunFolder(run.path)
                let total = (try? folder.readJSON(Epochs.self, "config.json"))?.training?.epochs
                let done = fm.contents(atPath: run.appendingPathComponent("metrics.jsonl").path)
                    .map { $0.reduce(0) { $0 + ($1 == 0x0A ? 1 : 0) } } ?? 0
                let of = total.map { " of \($0)" } ?? ""
                if RunLock.holder(of: run) != nil { return "\(name) (training: \(done)\(of) epochs done)" }
                if folder.isStandardRun { return "\(name) (stopped; a standard-Transformer run cannot be resumed)" }
                guard let saved = TrainingState.epochsDone(at: run.appendingPathComponent(TrainingState.fileName)) else {
                    return "\(name) (stopped with nothing saved to resume: train it again)"
                }
                return "\(name) (stopped after \(saved)\(of) epochs; tprog resume continues it)"
            }
        }
    }
}
