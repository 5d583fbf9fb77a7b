extension LabeledSentence {
    /// Reads TREC question classification: one `COARSE:fine question words` line per question,
    /// Latin-1; the label is the coarse class (the paper's 6-way task). Blank lines are skipped.
    ///
    /// ```
    /// DESC:manner How did serfdom develop in and then leave Russia ?
    ///   → tokens How did serfdom … ?   label DESC
    /// ```
    ///
    /// ```swift
    /// try LabeledSentence.readTREC("../shared/data/trec/train.txt").count   // 5,452
    /// ```
    ///
    /// Throws a ``TaskError`` naming the file (and line) for a missing file, a first field without
    /// `:` or with an empty class, or a line with no question after the label.
    public static func readTREC(_ path: String) throws -> [LabeledSentence] {
        let file = try TextFile(path)
        var sentences: [LabeledSentence] = []
        for line in file.lines.indices {
            let fields = try file.fields(line: line, encoding: .latin1)
            guard let first = fields.first else { continue }
            guard let colon = first.firstIndex(of: ":"), colon != first.startIndex else {
                throw file.error(line: line, "expected 'COARSE:fine question …', found '\(TextFile.excerpt(first))' as the label")
            }
            guard fields.count > 1 else { throw file.error(line: line, "no question after the label '\(TextFile.excerpt(first))'") }
            sentences.append(LabeledSentence(tokens: Array(fields.dropFirst()), label: String(first[..<colon])))
        }
        return sentences
    }

    /// Reads a file of one sentence per line, all with the same `label` (MR's `positive.txt` and
    /// `negative.txt`, Subj's `subjective.txt` and `objective.txt`, both Latin-1). Words are the
    /// white-space separated fields; blank lines are skipped.
    ///
    /// ```swift
    /// let pos = try LabeledSentence.readLines("../shared/data/mr/positive.txt",
    ///                                         label: "positive", encoding: .latin1)
    /// pos.count       // 5,331
    /// pos[0].label    // "positive"
    /// ```
    ///
    /// Throws a ``TaskError`` naming the file for a missing file, and the line for invalid UTF-8.
    public static func readLines(_ path: String, label: String,
                                 encoding: TextEncoding = .utf8) throws -> [LabeledSentence] {
        let file = try TextFile(path)
        var sentences: [LabeledSentence] = []
        for line in file.lines.indices {
            let fields = try file.fields(line: line, encoding: encoding)
            if !fields.isEmpty { sentences.append(LabeledSentence(tokens: fields, label: label)) }
        }
        return sentences
    }

    /// Reads `LABEL sentence words` lines, the label first (SST-2: `0` negative, `1` positive);
    /// blank lines are skipped.
    ///
    /// ```
    /// 1 a stirring , funny and finally transporting re-imagining …   → label "1"
    /// ```
    ///
    /// ```swift
    /// try LabeledSentence.readLabelFirst("../shared/data/sst2/test.txt").count   // 1,821
    /// ```
    ///
    /// Throws a ``TaskError`` naming the file (and line) for a missing file, invalid UTF-8 or a
    /// line holding a label and no words.
    public static func readLabelFirst(_ path: String, encoding: TextEncoding = .utf8) throws -> [LabeledSentence] {
        let file = try TextFile(path)
        var sentences: [LabeledSentence] = []
        for line in file.lines.indices {
            let fields = try file.fields(line: line, encoding: encoding)
            guard let label = fields.first else { continue }
            guard fields.count > 1 else { throw file.error(line: line, "no sentence after the label '\(TextFile.excerpt(label))'") }
            sentences.append(LabeledSentence(tokens: Array(fields.dropFirst()), label: label))
        }
        return sentences
    }
}
