import ArgumentParser
import Foundation
import TransformerPrograms

extension TProg {
    /// `tprog emit`: write a program as source code.
    struct Emit: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Write a program as one self-contained Python file (standard library only).")

        @OptionGroup var source: ProgramArgument
        @Flag(help: "Emit Python (the only language so far).") var python = false
        @Option(name: .shortAndLong, help: "Write to this file instead of standard output.") var output: String?
        @Flag(help: "With --output: replace an existing file.") var force = false

        func run() throws {
            guard python else { throw usageError("choose a language: --python") }
            if force && output == nil { throw usageError("--force needs --output") }
            if output?.isEmpty == true { throw usageError("--output: the path is empty") }
            let text = PythonEmitter.emit(try source.load())
            if let output {
                do { try AtomicFile.write(Foundation.Data(text.utf8), to: URL(fileURLWithPath: output), replace: force) } catch {
                    throw usageError(error.description)
                }
            } else {
                print(text, terminator: "")
            }
        }
    }
}
