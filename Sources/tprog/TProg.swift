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
        subcommands: [Train.self, Resume.self, Eval.self, Decompile.self, Run.self, Emit.self, Verify.self, Stats.self, Explain.self, Diff.self, Ablate.self, Report.self, Baseline.self, Tasks.self, Data.self, Bench.self]
    )

    /// Runs the command; every usage error (unknown flag, malformed value, failed validation)
    /// prints one `Error: …` line on stderr and exits with code 2.
    static func main() {
        if let threads = ProcessInfo.processInfo.environment["TPROG_THREADS"], !threads.isEmpty,
           !(Int(threads).map { (1...Parallel.maxThreads).contains($0) } ?? false) {
            FileHandle.standardError.write(Foundation.Data("Error: TPROG_THREADS must be a whole number from 1 to \(Parallel.maxThreads) (got '\(threads)')\n".utf8))
            Foundation.exit(2)
        }
        let arguments = Array(CommandLine.arguments.dropFirst())
        if arguments.first == "help", let unknown = unknownHelpTopic(Array(arguments.dropFirst())) {
            FileHandle.standardError.write(Foundation.Data("Error: no subcommand '\(unknown)' (see 'tprog --help')\n".utf8))
            Foundation.exit(2)
        }
        do {
            var command = try parseAsRoot()
            try command.run()
            try StandardOutput.check()
        } catch {
            // --help, --version: printed here so that a failed write is reported, as for any output.
            if exitCode(for: error) == .success {
                print(fullMessage(for: error))
                do { try StandardOutput.check() } catch { Foundation.exit(1) }
                Foundation.exit(0)
            }
            if exitCode(for: error) == .validationFailure {
                let text = message(for: error).split(separator: "\n").first.map(String.init) ?? "invalid arguments"
                FileHandle.standardError.write(Foundation.Data("Error: \(text)\n".utf8))
                Foundation.exit(2)
            }
            exit(withError: error)
        }
    }

    /// The first name of `tprog help A B …` that is not a subcommand of the one before it, or
    /// `nil` when the whole path names a command (ArgumentParser would print the root's help and
    /// exit 0 for `tprog help nosuch`).
    static func unknownHelpTopic(_ path: [String]) -> String? {
        var command: ParsableCommand.Type = TProg.self
        var walked: [String] = []
        for name in path where !name.hasPrefix("-") {
            walked.append(name)
            guard let next = command.configuration.subcommands.first(where: { $0._commandName == name }) else {
                return walked.joined(separator: " ")
            }
            command = next
        }
        return nil
    }
}
