import ArgumentParser
import TransformerPrograms

/// `tprog`: train Transformer Programs and turn them into readable, verified programs.
@main
struct TProg: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tprog",
        abstract: "Train Transformer Programs and turn them into readable, verified programs.",
        version: "0.1.0",
        subcommands: [Train.self, Tasks.self, Data.self]
    )
}
