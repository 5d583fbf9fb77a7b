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
            if report.rows.isEmpty { throw usageError("no finished runs (results.json) below \(folder)") }
            print(report.markdown(searches: search), terminator: "")
            let unfinished = Self.unfinishedRuns(in: folder)
            if !unfinished.isEmpty {
                fflush(nil)
                FileHandle.standardError.write(Foundation.Data(
                    "not counted, unfinished (no results.json): \(unfinished.joined(separator: ", ")); 'tprog resume RUN' continues a run that saved its training state\n".utf8))
            }
        }

        /// The run folders directly below `folder` that have a `config.json` but no `results.json`.
        static func unfinishedRuns(in folder: String) -> [String] {
            let fm = FileManager.default
            let names = ((try? fm.contentsOfDirectory(atPath: folder)) ?? []).sorted()
            return names.filter { name in
                let run = (folder as NSString).appendingPathComponent(name)
                return !name.hasPrefix(".") && fm.fileExists(atPath: run + "/config.json") && !fm.fileExists(atPath: run + "/results.json")
            }
        }
    }
}
