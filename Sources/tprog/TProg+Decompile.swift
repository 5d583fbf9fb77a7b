import ArgumentParser
import Foundation
import TransformerPrograms

extension TProg {
    /// `tprog decompile`: rebuild a run's program from its saved model.
    struct Decompile: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Rebuild program.json and program.py of a run from its saved model (model.json).")

        @Argument(help: "The run folder.") var path: String

        func run() throws {
            let trained: TrainedRun
            do { trained = try TrainedRun(path: path) } catch { throw usageError("\(error)") }
            let program = trained.program()
            try trained.writeProgram(program)
            let heads = program.layers.reduce(0) { $0 + $1.heads.count }, mlps = program.layers.reduce(0) { $0 + $1.mlps.count }
            print("wrote \(trained.folder.path)/program.json and program.py: \(program.layers.count) layer\(program.layers.count == 1 ? "" : "s"), \(heads) heads, \(mlps) MLPs")
        }
    }
}
