/// A real-data task ready for a model: train/val/test ``Example``s, the word and label
/// vocabularies and the padded length, built as the paper does (reference §5.4–5.5).
///
/// - Words are normalised (``NLPOptions/normalise(_:)``), then sentences outside 1…`maxWords`
///   words are dropped from **every** split, as in the original; ``testUnfiltered`` keeps the
///   whole test set, normalised, for the unfiltered score.
/// - Tagging: tokens `<s> w₁ … wₙ </s>`, labels `<pad> t₁ … tₙ <pad>`.
/// - Classification (pooled): the same tokens, the label at position 0 and `<pad>` elsewhere.
/// - ``vocabulary``: `<pad> <unk> <s> </s>`, then the `vocabSize` most frequent words of the
///   filtered training split, most frequent first, ties broken by first occurrence in the
///   training split (Python's `Counter.most_common`). Other words encode as `<unk>`, or with
///   ``NLPOptions/unknownShapes`` as their ``UnknownShape`` symbol.
/// - ``labels``: `<pad> <unk>`, then every label of every split in Python string order.
///
/// ```swift
/// let data = try NLPDataset.load(.trec)          // from ../shared/data
/// data.train.count, data.val.count, data.test.count   // 4,906 / 546 / 500 (≤ 62 words)
/// data.test[0].tokens   // ["<s>", "How", "far", "is", "it", "from", "Denver", "to", "Aspen", "?", "</s>"]
/// data.test[0].labels   // ["NUM", "<pad>", "<pad>", …]
/// data.labels.symbols   // ["<pad>", "<unk>", "ABBR", "DESC", "ENTY", "HUM", "LOC", "NUM"]
/// data.maxLength        // 64
/// let batch = try data.encoded(.train)          // padded id matrices, unknown words → <unk>
/// ```
public struct NLPDataset: Sendable {
    /// The task name (`ner`, `trec`, … or a caller's name for its own data), for messages.
    public let name: String
    /// The options the data was built with.
    public let options: NLPOptions
    /// Whether the task classifies whole sentences (label at position 0, pooled) rather than
    /// tagging every word.
    public let pooled: Bool
    /// The training examples (1…`maxWords` words).
    public let train: [Example]
    /// The validation examples (1…`maxWords` words).
    public let val: [Example]
    /// The test examples (1…`maxWords` words): the paper's reported test set.
    public let test: [Example]
    /// The whole test set, normalised but not length-filtered, for the unfiltered score; its
    /// sequences may be longer than ``maxLength``.
    public let testUnfiltered: [Example]
    /// `<pad> <unk> <s> </s>` and the `vocabSize` most frequent training words.
    public let vocabulary: Vocabulary
    /// `<pad> <unk>` and the sorted labels of all splits.
    public let labels: Vocabulary
    /// The padded length `maxWords + 2`: 32 for NER, 64 for classification.
    public let maxLength: Int
    /// Always false: every position may attend to the whole sentence.
    public var causal: Bool { false }

    /// Builds a tagging dataset from sentences with one tag per word (e.g. from
    /// ``TaggedSentence/readCoNLL(_:encoding:)`` or ``TaggedSentence/readJSONLines(_:)``).
    ///
    /// Throws a ``TaskError`` for bad options, a sentence whose tags and words differ in number,
    /// or a training split left empty by the length filter.
    public init(name: String, train: [TaggedSentence], val: [TaggedSentence], test: [TaggedSentence],
                options: NLPOptions) throws {
        for (split, sentences) in [("train", train), ("val", val), ("test", test)] {
            if let i = sentences.firstIndex(where: { $0.tokens.count != $0.tags.count }) {
                throw TaskError("\(name): \(split) sentence \(i) has \(sentences[i].tokens.count) words but \(sentences[i].tags.count) tags")
            }
        }
        func examples(_ sentences: [TaggedSentence]) -> [Example] {
            sentences.map { s in
                Example(tokens: [Special.bos] + s.tokens.map(options.normalise) + [Special.eos],
                        labels: [Special.pad] + s.tags + [Special.pad])
            }
        }
        try self.init(name: name, pooled: false, options: options,
                      train: examples(train), val: examples(val), test: examples(test))
    }

    /// Builds a pooled classification dataset from labelled sentences (e.g. from
    /// ``LabeledSentence/readTREC(_:)`` or ``LabeledSentence/readJSONLines(_:)``).
    ///
    /// Throws a ``TaskError`` for bad options or a training split left empty by the length
    /// filter.
    public init(name: String, train: [LabeledSentence], val: [LabeledSentence], test: [LabeledSentence],
                options: NLPOptions) throws {
        func examples(_ sentences: [LabeledSentence]) -> [Example] {
            sentences.map { s in
                Example(tokens: [Special.bos] + s.tokens.map(options.normalise) + [Special.eos],
                        labels: [s.label] + Array(repeating: Special.pad, count: s.tokens.count + 1))
            }
        }
        try self.init(name: name, pooled: true, options: options,
                      train: examples(train), val: examples(val), test: examples(test))
    }

    private init(name: String, pooled: Bool, options: NLPOptions,
                 train: [Example], val: [Example], test: [Example]) throws {
        try options.validate(name)
        let maxLength = options.maxWords + 2
        func filtered(_ examples: [Example]) -> [Example] {
            examples.filter { (3...maxLength).contains($0.tokens.count) }
        }
        self.name = name
        self.options = options
        self.pooled = pooled
        self.train = filtered(train)
        self.val = filtered(val)
        self.test = filtered(test)
        self.testUnfiltered = test.filter { $0.tokens.count > 2 }
        self.maxLength = maxLength
        guard !self.train.isEmpty else {
            throw TaskError(train.isEmpty ? "\(name): the training split is empty (its file has no sentences, or too few to hold out validation and test)"
                                          : "\(name): no training sentence has 1…\(options.maxWords) words")
        }
        for (split, kept, all) in [("validation", self.val, val), ("test", self.test, test)] where kept.isEmpty {
            throw TaskError(all.isEmpty ? "\(name): the \(split) split is empty (its file has no sentences)"
                                        : "\(name): no \(split) sentence has 1…\(options.maxWords) words")
        }
        vocabulary = Self.wordVocabulary(self.train, size: options.vocabSize, shapes: options.unknownShapes)
        var labelSet = Set<String>()
        for example in [train, val, test].joined() { labelSet.formUnion(example.labels) }
        labelSet.subtract([Special.pad, Special.unk])
        let trainLabels = Set(self.train.flatMap(\.labels)).subtracting([Special.pad])
        guard trainLabels.count >= 2 else {
            throw TaskError("\(name): the training sentences have \(trainLabels.count) label\(trainLabels.count == 1 ? "" : "s") (\(trainLabels.sorted().joined(separator: ", "))); a classifier needs at least two")
        }
        labels = Vocabulary([Special.pad, Special.unk] + labelSet.sorted(by: Vocabulary.pythonOrder))
    }

    /// `<pad> <unk> <s> </s>` (and, with `shapes`, the ``UnknownShape`` symbols), then the `size`
    /// most frequent words of `examples` (specials not counted), most frequent first, ties by
    /// first occurrence.
    static func wordVocabulary(_ examples: [Example], size: Int, shapes: Bool = false) -> Vocabulary {
        let specials = [Special.pad, Special.unk, Special.bos, Special.eos] + (shapes ? UnknownShape.symbols : [])
        var counts: [String: (count: Int, first: Int)] = [:]
        var position = 0
        for example in examples {
            for word in example.tokens.dropFirst().dropLast() {
                if let c = counts[word] {
                    counts[word] = (c.count + 1, c.first)
                } else {
                    counts[word] = (1, position)
                }
                position += 1
            }
        }
        for special in specials { counts[special] = nil }
        let ranked = counts.sorted { a, b in
            a.value.count != b.value.count ? a.value.count > b.value.count : a.value.first < b.value.first
        }
        return Vocabulary(specials + ranked.prefix(size).map(\.key))
    }
}
