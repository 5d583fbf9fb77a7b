import Foundation

extension LabeledSentence {
    /// Reads JSON Lines, one `{"tokens": [...], "label": ...}` object per line (UTF-8; blank lines
    /// skipped; other keys ignored). The label may be a string or an integer (kept as its
    /// decimal text):
    ///
    /// ```
    /// {"tokens": ["a", "gem", "."], "label": "positive"}   → label "positive"
    /// {"tokens": ["dull", "."], "label": 0}                → label "0"
    /// ```
    ///
    /// ```swift
    /// let train = try LabeledSentence.readJSONLines("my-task/train.jsonl")
    /// ```
    ///
    /// Throws a ``TaskError`` naming the file and line for invalid JSON, a missing or mistyped
    /// `tokens` or `label`, or an empty token list.
    public static func readJSONLines(_ path: String) throws -> [LabeledSentence] {
        try JSONLine.read(path) { line, file, index in
            guard let label = line.label else { throw file.error(line: index, "missing key \"label\"") }
            return LabeledSentence(tokens: line.tokens, label: label.text)
        }
    }
}

extension TaggedSentence {
    /// Reads JSON Lines, one `{"tokens": [...], "tags": [...]}` object per line (UTF-8; blank lines
    /// skipped; other keys ignored), with as many tags as tokens. Tags are converted from IOB1
    /// to IOB2 as in ``readCoNLL(_:encoding:)`` (IOB2 tags are unchanged):
    ///
    /// ```
    /// {"tokens": ["Anna", "lives", "in", "Paris"], "tags": ["B-PER", "O", "O", "B-LOC"]}
    /// ```
    ///
    /// ```swift
    /// let train = try TaggedSentence.readJSONLines("my-ner/train.jsonl")
    /// ```
    ///
    /// Throws a ``TaskError`` naming the file and line for invalid JSON, a missing or mistyped
    /// `tokens` or `tags`, an empty token list, or different numbers of tokens and tags.
    public static func readJSONLines(_ path: String) throws -> [TaggedSentence] {
        try JSONLine.read(path) { line, file, index in
            guard let tags = line.tags else { throw file.error(line: index, "missing key \"tags\"") }
            guard tags.count == line.tokens.count else {
                throw file.error(line: index, "\(line.tokens.count) tokens but \(tags.count) tags")
            }
            return TaggedSentence(tokens: line.tokens, tags: iob2(fromIOB1: tags))
        }
    }
}

/// One object of a JSON Lines corpus.
private struct JSONLine: Decodable {
    /// A label written as a string or an integer.
    enum Label: Decodable {
        case text(String)
        case integer(Int)

        init(from decoder: any Decoder) throws {
            let container = try decoder.singleValueContainer()
            if let s = try? container.decode(String.self) {
                self = .text(s)
            } else if let i = try? container.decode(Int.self) {
                self = .integer(i)
            } else {
                throw DecodingError.typeMismatch(String.self, .init(codingPath: decoder.codingPath,
                    debugDescription: "\"label\" must be a string or an integer"))
            }
        }

        var text: String {
            switch self {
            case .text(let s): return s
            case .integer(let i): return String(i)
            }
        }
    }

    var tokens: [String]
    var label: Label?
    var tags: [String]?

    /// Decodes every non-blank line of `path` and turns it into a sentence with `make`.
    static func read<Sentence>(_ path: String,
                               _ make: (JSONLine, TextFile, Int) throws -> Sentence) throws -> [Sentence] {
        let file = try TextFile(path)
        let decoder = JSONDecoder()
        var sentences: [Sentence] = []
        for index in file.lines.indices {
            let text = try file.text(line: index, encoding: .utf8)
            if text.utf8.allSatisfy(TextFile.isSpace) { continue }
            let line: JSONLine
            do {
                line = try decoder.decode(JSONLine.self, from: Data(text.utf8))
            } catch let error as DecodingError {
                throw file.error(line: index, describe(error))
            }
            guard !line.tokens.isEmpty else { throw file.error(line: index, "\"tokens\" is empty") }
            sentences.append(try make(line, file, index))
        }
        return sentences
    }

    /// A one-line description of a decoding failure.
    private static func describe(_ error: DecodingError) -> String {
        switch error {
        case .keyNotFound(let key, _):
            return "missing key \"\(key.stringValue)\""
        case .typeMismatch(_, let context), .valueNotFound(_, let context):
            guard let key = context.codingPath.first?.stringValue else { return "not a valid JSON object" }
            return key == "label" ? "\"label\" must be a string or an integer" : "\"\(key)\" must be a list of strings"
        case .dataCorrupted:
            return "not a valid JSON object"
        @unknown default:
            return "not a valid JSON object"
        }
    }
}
