import ArgumentParser
import Foundation
import TransformerPrograms

extension TProg {
    /// `tprog data`: prints a task's examples as JSON Lines, one example a line:
    ///
    /// ```
    /// $ tprog data --task sort --split test | head -1
    /// {"tokens": ["<s>", "3", "1", "</s>"], "labels": ["<pad>", "1", "3", "<pad>"], "split": "test"}
    /// ```
    struct Data: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print a task's examples as JSON Lines.",
            discussion: """
                One line per example: {"tokens": [...], "labels": [...], "split": "train"}. \
                --split all (the default) prints train, then val, then test.
                """)

        @OptionGroup var arguments: TaskArguments

        @Option(help: "train, val, test or all (default all).")
        var split: String?

        func run() throws {
            let (task, options) = try arguments.resolved()
            let splits = try Split.selected(by: split)
            let dataset: TaskDataset
            do {
                dataset = try TaskDataset.generate(task, options: options)
            } catch let error as TaskError {
                throw usageError(error.description)
            }
            var writer = JSONLinesWriter()
            for split in splits {
                for example in dataset.examples(split) {
                    try writer.write(example, split: split)
                }
            }
            try writer.flush()
        }
    }
}

/// Buffers JSON Lines and writes them to stdout in large chunks.
struct JSONLinesWriter {
    private var buffer = String()
    private let chunk = 1 << 16

    init() { buffer.reserveCapacity(chunk + 4096) }

    /// Appends `{"tokens": [...], "labels": [...], "split": "…"}` and a newline.
    mutating func write(_ example: Example, split: Split) throws {
        buffer += "{\"tokens\": "
        appendArray(example.tokens)
        buffer += ", \"labels\": "
        appendArray(example.labels)
        buffer += ", \"split\": "
        appendString(split.rawValue)
        buffer += "}\n"
        if buffer.utf8.count >= chunk { try flush() }
    }

    /// Writes what is buffered; throws as soon as standard output cannot take it (a full disk,
    /// a closed descriptor), so a long listing stops there.
    mutating func flush() throws {
        guard !buffer.isEmpty else { return }
        print(buffer, terminator: "")
        buffer.removeAll(keepingCapacity: true)
        try StandardOutput.check()
    }

    private mutating func appendArray(_ items: [String]) {
        buffer += "["
        for (i, item) in items.enumerated() {
            if i > 0 { buffer += ", " }
            appendString(item)
        }
        buffer += "]"
    }

    /// A JSON string literal: quotes, backslashes and control characters escaped.
    private mutating func appendString(_ s: String) {
        buffer += "\""
        if s.utf8.allSatisfy({ $0 >= 0x20 && $0 != UInt8(ascii: "\"") && $0 != UInt8(ascii: "\\") }) {
            buffer += s
        } else {
            for scalar in s.unicodeScalars {
                switch scalar {
                case "\"": buffer += "\\\""
                case "\\": buffer += "\\\\"
                case "\n": buffer += "\\n"
                case "\r": buffer += "\\r"
                case "\t": buffer += "\\t"
                case _ where scalar.value < 0x20:
                    let hex = String(scalar.value, radix: 16)
                    buffer += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                default: buffer.unicodeScalars.append(scalar)
                }
            }
        }
        buffer += "\""
    }
}
