extension TaggedSentence {
    /// Reads a CoNLL column file: one word per line, the word in the first column and its NER
    /// tag in the last, columns separated by tabs or spaces; sentences separated by blank or
    /// white-space-only lines (WNUT-17 separates some with a lone tab); `-DOCSTART-` lines
    /// skipped. Tags are converted from IOB1 to IOB2 (``iob2(fromIOB1:)``; IOB2 files are
    /// unchanged). Both WNUT-17's 2-column and CoNLL-2003's 4-column files read the same way:
    ///
    /// ```
    /// -DOCSTART- -X- -X- O           ← skipped
    ///                                ← blank: sentence boundary
    /// EU NNP B-NP I-ORG              → EU        B-ORG   (IOB1 → IOB2)
    /// rejects VBZ B-VP O             → rejects   O
    /// German JJ B-NP I-MISC          → German    B-MISC
    /// ```
    ///
    /// ```swift
    /// let train = try TaggedSentence.readCoNLL("../shared/data/wnut17/train.conll")
    /// train.count          // 3,394
    /// train[0].tokens[0]   // "@paulwalk"
    /// ```
    ///
    /// Throws a ``TaskError`` naming the file for a missing or unreadable file, and the file and
    /// line (`train.conll:12: …`) for a line with a single column, a tag that is not `O`, `B-…` or
    /// `I-…`, or invalid UTF-8.
    public static func readCoNLL(_ path: String, encoding: TextEncoding = .utf8) throws -> [TaggedSentence] {
        let file = try TextFile(path)
        var sentences: [TaggedSentence] = []
        var tokens: [String] = []
        var tags: [String] = []
        func finish() {
            if !tokens.isEmpty {
                sentences.append(TaggedSentence(tokens: tokens, tags: iob2(fromIOB1: tags)))
            }
            tokens.removeAll(keepingCapacity: true)
            tags.removeAll(keepingCapacity: true)
        }
        for line in file.lines.indices {
            let fields = try file.fields(line: line, encoding: encoding)
            if fields.isEmpty || fields[0] == "-DOCSTART-" {
                finish()
                continue
            }
            guard fields.count >= 2, let tag = fields.last else {
                throw file.error(line: line, "expected a word and its tag separated by a tab or spaces, found only '\(TextFile.excerpt(fields[0]))'")
            }
            guard tag == "O" || ((tag.hasPrefix("B-") || tag.hasPrefix("I-")) && tag.count > 2) else {
                throw file.error(line: line, "tag '\(TextFile.excerpt(tag))' is not O, B-TYPE or I-TYPE")
            }
            tokens.append(fields[0])
            tags.append(tag)
        }
        finish()
        return sentences
    }
}
