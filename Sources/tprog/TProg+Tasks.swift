import ArgumentParser
import TransformerPrograms

extension TProg {
    /// `tprog tasks`: one line per task with its defaults and what it asks.
    ///
    /// ```
    /// $ tprog tasks
    /// sort         vocab 8   lengths 1…8    20000 examples  bidirectional  sort the body: …
    /// ```
    struct Tasks: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List the synthetic tasks with their defaults.")

        func run() {
            for info in TaskInfo.all {
                let d = info.defaults
                let columns = [
                    info.name.rawValue.padding(12),
                    "vocab \(d.vocabSize)".padding(9),
                    "lengths \(d.minLength)…\(d.maxLength)".padding(14),
                    "\(d.datasetSize) examples".padding(15),
                    (info.causal ? "causal" : "bidirectional").padding(14),
                    info.summary,
                ]
                print(columns.joined(separator: " "))
            }
        }
    }
}

private extension String {
    /// The string right-padded with spaces to `width` characters.
    func padding(_ width: Int) -> String {
        count >= width ? self : self + String(repeating: " ", count: width - count)
    }
}
