import ArgumentParser
import Foundation
import TransformerPrograms

extension TProg {
    /// `tprog stats`: size and shape of a program.
    struct Stats: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Lines of program.py (with and without the classifier weights), heads, MLPs, branches, and what each component reads.")

        @OptionGroup var source: ProgramArgument
        @Flag(help: "Print one JSON object.") var json = false

        func run() throws {
            let program = try source.load()
            let stats = ProgramStatistics(program: program, python: PythonEmitter.emit(program))
            if json {
                print(try JSONCoding.line(stats))
            } else {
                print(stats.table(), terminator: "")
            }
        }
    }
}
