import ArgumentParser
import Foundation
import TransformerPrograms

/// `tprog`: train Transformer Programs and turn them into readable, verified programs.
@main
struct TProg: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tprog",
        abstract: "Train Transformer Programs and turn them into readable, verified programs.",
        version: "0.1.0",
        subcommands: [Train.self, Eval.self, Decompile.self, Run.self, Emit.self, Verify.self, Stats.self, Explain.self, Diff.self, Report.self, Baseline.self, Tasks.self, Data.self, Bench.self]
    )

    /// Runs the command; every usage error (unknown flag, malformed value, failed validation)
    /// prints one `Error: …` line on stderr and exits with code 2.
    static func main() {
        if let threads = ProcessInfo.processInfo.environment["TPROG_THREADS"], !threads.isEmpty,
           !(Int(threads).map { (1...Parallel.maxThreads).contains($0) } ?? false) {
            FileHandle.standardError.write(Foundation.Data("Error: TPROG_THREADS must be a whole number from 1 to \(Parallel.maxThreads) (got '\(threads)')\n".utf8))
            Foundation.exit(2)
        }
        do {
            var command = try parseAsRoot()
            try command.run()
        } catch {
            if exitCode(for: error) == .validationFailure {
                let text = message(for: error).split(separator: "\n").first.map(String.init) ?? "invalid arguments"
                FileHandle.standardError.write(Foundation.Data("Error: \(text)\n".utf8))
                Foundation.exit(2)
            }
            exit(withError: error)
        }
    }
}
