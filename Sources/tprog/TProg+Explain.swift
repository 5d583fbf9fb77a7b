import ArgumentParser
import Foundation
import TransformerPrograms

extension TProg {
    /// `tprog explain`: the classifier features that matter most.
    struct Explain: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Rank a program's classifier features (variable = value) by weight, or by the difference between two classes, with the words behind embedding values.")

        @OptionGroup var source: ProgramArgument
        @Option(parsing: .unconditional, help: "How many features to show.") var top = 20
        @Option(help: "Two classes A,B: rank by weight(A) − weight(B).") var classes: String?

        func run() throws {
            let program = try source.load()
            var pair: (String, String)? = nil
            if let classes {
                let parts = classes.split(separator: ",").map { String($0).trimmingCharacters(in: .whitespaces) }
                guard parts.count == 2 else { throw usageError("--classes takes two classes, as A,B") }
                guard parts[0] != parts[1] else { throw usageError("--classes takes two different classes (got \(parts[0]) twice)") }
                pair = (parts[0], parts[1])
            }
            guard top > 0 else { throw usageError("--top must be positive") }
            let explanation: ProgramExplanation
            do { explanation = try ProgramExplanation(program: program, classes: pair) } catch { throw usageError("\(error)") }
            let header = pair.map { "score = weight(\($0.0)) − weight(\($0.1))" } ?? "score = the largest class weight"
            print("feature".padding(toLength: 36, withPad: " ", startingAt: 0) + "score     " + (pair == nil ? "class   " : "") + "words  (\(header))")
            for f in explanation.features.prefix(top) {
                let name = f.value == nil ? f.variable : "\(f.variable) = \(f.shown)"
                var line = name.padding(toLength: 36, withPad: " ", startingAt: 0) + String(format: "%+8.3f  ", f.score)
                if pair == nil { line += f.favours.padding(toLength: 8, withPad: " ", startingAt: 0) }
                line += f.words.joined(separator: " ")
                print(line)
            }
        }
    }
}
