import ArgumentParser
import Foundation
import TransformerPrograms

extension TProg {
    /// `tprog run`: run a program on inputs.
    struct Run: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Run a program: on --tokens, or on one JSON array of tokens per stdin line.",
            discussion: "With --trace, prints every variable at every position, layer by layer, and each head's selection as a query × key grid.")

        @OptionGroup var source: ProgramArgument
        @Option(help: "Space-separated input tokens, e.g. \"<s> 3 1 2 </s>\".") var tokens: String?
        @Flag(help: "Trace one input (needs --tokens).") var trace = false

        func run() throws {
            let program = try source.load()
            let interpreter = try Interpreter(program)
            if let tokens {
                let input = tokens.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
                if input.isEmpty { throw usageError("--tokens: no tokens given") }
                if let problem = inputProblem(input, program) { throw usageError("--tokens: \(problem)") }
                do {
                    if trace {
                        print(try interpreter.trace(input).render(), terminator: "")
                    } else {
                        print(try interpreter.run(input).joined(separator: " "))
                    }
                } catch let e as ProgramError { throw usageError(e.description) }
                return
            }
            if trace { throw usageError("--trace needs --tokens") }
            let decoder = JSONDecoder(), encoder = JSONEncoder()
            encoder.outputFormatting = [.withoutEscapingSlashes]
            var out = ""
            var lineNumber = 0
            while let line = readLine() {
                lineNumber += 1
                if line.allSatisfy({ $0 == " " || $0 == "\t" }) { continue }
                let input: [String]
                do { input = try decoder.decode([String].self, from: Foundation.Data(line.utf8)) } catch {
                    throw usageError("stdin line \(lineNumber): expected a JSON array of token strings")
                }
                if input.isEmpty { throw usageError("stdin line \(lineNumber): an empty input (no tokens)") }
                if let problem = inputProblem(input, program) { throw usageError("stdin line \(lineNumber): \(problem)") }
                do {
                    out += String(decoding: try encoder.encode(try interpreter.run(input)), as: UTF8.self) + "\n"
                } catch let e as ProgramError { throw usageError("stdin line \(lineNumber): \(e.description)") }
                if out.utf8.count > 1 << 16 { print(out, terminator: ""); out = "" }
            }
            print(out, terminator: "")
        }
    }
}

/// Why `tokens` is not an input `program` was made for (``Special/inputProblem(_:)``: `<s>`
/// first and nowhere else), or nil. The interpreter itself labels any sequence, as the network
/// would; the commands refuse what no task draws, since its labels would mean nothing. Programs
/// whose vocabulary has no `<s>` (written by hand) are not checked.
func inputProblem(_ tokens: [String], _ program: Program) -> String? {
    program.vocabulary.contains(Special.bos) ? Special.inputProblem(tokens) : nil
}
