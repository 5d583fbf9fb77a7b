import ArgumentParser
import Foundation
import TransformerPrograms

extension TProg {
    /// `tprog decompile`: rebuild a run's program from its saved model.
    struct Decompile: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Rebuild program.json and program.py of a run from its saved model (model.json).")

        @Argument(help: "The run folder.") var path: String
        @Flag(help: "Replace a program.json or program.py that differs from the model's program (edited by hand, or written by another version).")
        var force = false

        func run() throws {
            let trained: TrainedRun
            do { trained = try TrainedRun(path: path) } catch { throw usageError("\(error)") }
            let program = trained.program()
            // Files that already hold exactly this program are rewritten as they are; others only with --force.
            let files = try TrainedRun.programFiles(program)
            for (name, data) in files where !force {
                let url = trained.folder.file(name)
                if let old = FileManager.default.contents(atPath: url.path), old != data {
                    throw usageError("\(url.path) differs from the program of model.json (edited by hand, or written by another tprog version); --force replaces it")
                }
            }
            do { for (name, data) in files { try trained.folder.write(name, data: data) } } catch {
                throw usageError(error.description)
            }
            let heads = program.layers.reduce(0) { $0 + $1.heads.count }, mlps = program.layers.reduce(0) { $0 + $1.mlps.count }
            print("wrote \(trained.folder.path)/program.json and program.py: \(program.layers.count) layer\(program.layers.count == 1 ? "" : "s"), \(heads) heads, \(mlps) MLPs")
        }
    }
}
