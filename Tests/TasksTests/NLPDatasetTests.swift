import Foundation
import Testing
import Tasks

/// Building real-data tasks: normalisation, the length filter on every split (and the unfiltered
/// test set), the vocabularies, the seeded splits and the data-folder layout.
@Suite("NLP datasets")
struct NLPDatasetTests {
    static func words(_ s: String) -> [String] { s.split(separator: " ").map(String.init) }

    static func tagged(_ words: String, _ tags: String) -> TaggedSentence {
        TaggedSentence(tokens: Self.words(words), tags: Self.words(tags))
    }

    /// A tagging dataset: ≤ 5 words, numbers replaced, 3 vocabulary words.
    static func tagging() throws -> NLPDataset {
        try NLPDataset(
            name: "demo",
            train: [tagged("Anna visited Rome in 2019", "B-PER O B-LOC O O"),
                    tagged("Rome is big", "B-LOC O O"),
                    tagged("x x x x x x", "O O O O O O")],                  // 6 words: dropped
            val: [tagged("Zed", "B-PER"), tagged("a b c d e f", "O O O O O O")],
            test: [tagged("Rome W2000", "B-LOC B-product"),
                   tagged("a b c d e f g", "B-MISC O O O O O O")],
            options: NLPOptions(vocabSize: 3, replaceNumbers: true, maxWords: 5))
    }

    @Test("tagging examples: <s> words </s> over <pad> tags <pad>; filtered splits; unfiltered test kept")
    func taggingExamples() throws {
        let data = try Self.tagging()
        #expect(!data.pooled && !data.causal)
        #expect(data.train.count == 2 && data.val.count == 1 && data.test.count == 1)
        #expect(data.testUnfiltered.count == 2)
        #expect(data.train[0] == Example(tokens: ["<s>", "Anna", "visited", "Rome", "in", "@", "</s>"],
                                         labels: ["<pad>", "B-PER", "O", "B-LOC", "O", "O", "<pad>"]))
        #expect(data.test[0] == Example(tokens: ["<s>", "Rome", "W@", "</s>"],
                                        labels: ["<pad>", "B-LOC", "B-product", "<pad>"]))
        #expect(data.testUnfiltered[1].tokens.count == 9)
        #expect(data.maxLength == 7)
    }

    @Test("vocabulary: specials, then the most frequent filtered-training words, ties by first occurrence")
    func vocabulary() throws {
        let data = try Self.tagging()
        // Rome ×2; then Anna, visited (first of the words seen once); the dropped x's never count.
        #expect(data.vocabulary.symbols == ["<pad>", "<unk>", "<s>", "</s>", "Rome", "Anna", "visited"])
        // Labels of every split, unfiltered test included, in Python order (upper case first).
        #expect(data.labels.symbols == ["<pad>", "<unk>", "B-LOC", "B-MISC", "B-PER", "B-product", "O"])
        let test = try data.encoded(.test)
        #expect(test.count == 1 && test.length == 7)
        #expect(test.tokens == [2, 4, 1, 3, 0, 0, 0])      // W@ is unknown → <unk>
        #expect(test.labels == [0, 2, 5, 0, 0, 0, 0])
    }

    @Test("unknownShapes: the shape symbols follow the specials; unknown words encode as their shape")
    func unknownShapes() throws {
        let plain = try Self.tagging()
        var options = plain.options
        options.unknownShapes = true
        let data = try NLPDataset(name: "demo", train: [Self.tagged("Anna visited Rome in 2019", "B-PER O B-LOC O O"),
                                                        Self.tagged("Rome is big", "B-LOC O O")],
                                  val: [Self.tagged("Rome is", "B-LOC O")],
                                  test: [Self.tagged("Rome W2000 Zed is @me", "B-LOC O B-PER O O")],
                                  options: options)
        #expect(data.vocabulary.symbols == ["<pad>", "<unk>", "<s>", "</s>", "<unk:Xx>", "<unk:XX>", "<unk:x>",
                                            "Rome", "Anna", "visited"])
        #expect(data.vocabulary.hasUnknownShapes && !plain.vocabulary.hasUnknownShapes)
        // <s> Rome W@ Zed is @me </s>: W@ is all capitals, "is" lower-case, "@me" neither.
        #expect(try data.encoded(.test).tokens == [2, 7, 5, 4, 6, 1, 3])
        #expect(data.vocabulary.reading(["Zed", "Rome", "@me"]) == ["<unk:Xx>", "Rome", "<unk>"])
        // Options written before the field existed decode with it off.
        let old = #"{"vocabSize": 3, "lowercase": false, "replaceNumbers": true, "maxWords": 5, "seed": 0}"#
        #expect(try JSONDecoder().decode(NLPOptions.self, from: Data(old.utf8)) == plain.options)
        let round = try JSONDecoder().decode(NLPOptions.self, from: JSONEncoder().encode(options))
        #expect(round == options)
    }

    @Test("an empty validation or test split, or training data of one label, is an error naming it")
    func emptySplits() throws {
        let train = [LabeledSentence(tokens: ["good"], label: "positive")]
        let options = NLPOptions.defaults(for: .mr)
        #expect(throws: TaskError("demo: the validation split is empty (its file has no sentences)")) {
            _ = try NLPDataset(name: "demo", train: train, val: [], test: train, options: options)
        }
        #expect(throws: TaskError("demo: the test split is empty (its file has no sentences)")) {
            _ = try NLPDataset(name: "demo", train: train, val: train, test: [], options: options)
        }
        #expect(throws: TaskError("demo: the training sentences have 1 label (positive); a classifier needs at least two")) {
            _ = try NLPDataset(name: "demo", train: train, val: train, test: train, options: options)
        }
    }

    @Test("pooled classification: the label at position 0, <pad> elsewhere; lower-casing")
    func pooled() throws {
        var options = NLPOptions.defaults(for: .mr)
        options.lowercase = true
        let data = try NLPDataset(
            name: "demo",
            train: [LabeledSentence(tokens: ["Good", "Film"], label: "positive"),
                    LabeledSentence(tokens: ["bad"], label: "negative")],
            val: [LabeledSentence(tokens: ["bad", "film"], label: "negative")],
            test: [LabeledSentence(tokens: ["GOOD"], label: "positive")], options: options)
        #expect(data.pooled && data.maxLength == 64)
        #expect(data.train[0] == Example(tokens: ["<s>", "good", "film", "</s>"],
                                         labels: ["positive", "<pad>", "<pad>", "<pad>"]))
        #expect(data.test[0] == Example(tokens: ["<s>", "good", "</s>"], labels: ["positive", "<pad>", "<pad>"]))
        #expect(data.labels.symbols == ["<pad>", "<unk>", "negative", "positive"])
        #expect(data.vocabulary.symbols == ["<pad>", "<unk>", "<s>", "</s>", "good", "film", "bad"])
    }

    @Test("word normalisation: digit runs → @, optional lower-casing")
    func normalise() {
        let numbers = NLPOptions.defaults(for: .ner)
        #expect(["W2000", "14-mth", "1.5", "Route66", "none", "٣"].map(numbers.normalise)
                == ["W@", "@-mth", "@.@", "Route@", "none", "٣"])
        var lower = numbers
        lower.lowercase = true
        #expect(lower.normalise("Route66") == "route@")
        #expect(NLPOptions.defaults(for: .trec).normalise("Route66") == "Route66")
    }

    @Test("the paper's defaults: NER ≤ 30 words with numbers replaced, classification ≤ 62")
    func defaults() {
        #expect(NLPOptions.defaults(for: .ner) == NLPOptions(vocabSize: 10_000, lowercase: false,
                                                            replaceNumbers: true, maxWords: 30, seed: 0))
        for task in [NLPTask.trec, .mr, .subj, .sst2] {
            #expect(NLPOptions.defaults(for: task) == NLPOptions(replaceNumbers: false, maxWords: 62))
        }
    }

    @Test("bad options and inputs are errors with a clear message")
    func errors() {
        func build(_ change: (inout NLPOptions) -> Void, _ train: [TaggedSentence] = [Self.tagged("a", "O")]) -> String {
            var options = NLPOptions.defaults(for: .ner)
            change(&options)
            return taskErrorMessage { _ = try NLPDataset(name: "demo", train: train, val: [], test: [], options: options) }
        }
        #expect(build { $0.vocabSize = -1 } == "demo: vocabSize must not be negative, got -1")
        #expect(build { $0.maxWords = 0 } == "demo: maxWords must be between 1 and 4094, got 0")
        #expect(build({ $0.maxWords = 2 }, [Self.tagged("a b c", "O O O")]) == "demo: no training sentence has 1…2 words")
        #expect(build({ _ in }, [TaggedSentence(tokens: ["a", "b"], tags: ["O"])])
                == "demo: train sentence 0 has 2 words but 1 tags")
        #expect(taskErrorMessage { _ = try NLPTask(parsing: "conll") }
                == "unknown NLP task 'conll'; expected one of ner, trec, mr, subj, sst2")
    }

    @Test("seeded held-out sets: ⌈n/10⌉ each, disjoint, covering, reproducible")
    func heldOut() {
        let mr = NLPDataset.heldOut(Array(0..<10_662), parts: 2, seed: 0)
        #expect(mr.heldOut.map(\.count) == [1_067, 1_067] && mr.rest.count == 8_528)
        #expect((mr.rest + mr.heldOut.joined()).sorted() == Array(0..<10_662))
        let trec = NLPDataset.heldOut(Array(0..<5_452), parts: 1, seed: 0)
        #expect(trec.heldOut[0].count == 546 && trec.rest.count == 4_906)
        #expect(NLPDataset.heldOut(Array(0..<10_000), parts: 2, seed: 0).heldOut.map(\.count) == [1_000, 1_000])
        let again = NLPDataset.heldOut(Array(0..<10_662), parts: 2, seed: 0)
        #expect(again.heldOut == mr.heldOut && again.rest == mr.rest)
        #expect(NLPDataset.heldOut(Array(0..<10_662), parts: 2, seed: 1).heldOut != mr.heldOut)
        #expect(NLPDataset.heldOut([7], parts: 2, seed: 0).heldOut == [[], []])
    }

    /// A data folder holding every task's files, in the layout of ../shared/data.
    static func dataFolder() throws -> NLPFixture {
        let f = try NLPFixture()
        try f.write("wnut17/train.conll", "Anna\tB-person\nsaw\tO\n\t\nRome\tB-location\n\n")
        try f.write("wnut17/dev.conll", "Zed\tB-person\n")
        try f.write("wnut17/test.conll", "Rome\tB-location\nfell\tO\n\n" + String(repeating: "w\tO\n", count: 31))
        try f.write("trec/train.txt", (0..<10).map { "\($0 % 2 == 0 ? "NUM:count How many" : "HUM:ind Who is") \($0) ?\n" }.joined())
        try f.write("trec/test.txt", "LOC:city Where ?\nHUM:ind Who ?\n")
        for (file, word) in [("mr/positive.txt", "good"), ("mr/negative.txt", "bad"),
                             ("subj/subjective.txt", "I think"), ("subj/objective.txt", "it is")] {
            try f.write(file, (0..<10).map { "\(word) \($0) . \n" }.joined())
        }
        try f.write("sst2/train.txt", "1 fine\n0 dull\n")
        try f.write("sst2/dev.txt", "1 nice\n")
        try f.write("sst2/test.txt", "0 bad\n1 good\n")
        return f
    }

    @Test("every task loads from a data folder in the shared layout, with its splits")
    func loadEveryTask() throws {
        let fixture = try Self.dataFolder()
        defer { fixture.remove() }
        let folder = fixture.folder.path
        func sizes(_ task: NLPTask) throws -> [Int] {
            let data = try NLPDataset.load(task, dataDirectory: folder)
            #expect(data.name == task.rawValue && data.pooled == !task.isTagging)
            return [data.train.count, data.val.count, data.test.count, data.testUnfiltered.count]
        }
        #expect(try sizes(.ner) == [2, 1, 1, 2])           // the 31-word test sentence is filtered
        #expect(try sizes(.trec) == [9, 1, 2, 2])          // ⌈10 % of 10⌉ held out for validation
        #expect(try sizes(.mr) == [16, 2, 2, 2])           // 20 pooled: 2 test, 2 val
        #expect(try sizes(.subj) == [16, 2, 2, 2])
        #expect(try sizes(.sst2) == [2, 1, 2, 2])
        let mr = try NLPDataset.load(.mr, dataDirectory: folder + "/")
        #expect(mr.labels.symbols == ["<pad>", "<unk>", "negative", "positive"])
        #expect(Set(mr.test.map { $0.tokens[1] == "good" ? "positive" : "negative" }) == Set(mr.test.map { $0.labels[0] }))
        let ner = try NLPDataset.load(.ner, dataDirectory: folder)
        #expect(ner.maxLength == 32 && ner.labels.symbols == ["<pad>", "<unk>", "B-location", "B-person", "O"])
    }

    @Test("a missing data file is an error naming the task and the file")
    func missingFile() throws {
        let fixture = try Self.dataFolder()
        defer { fixture.remove() }
        try FileManager.default.removeItem(at: fixture.folder.appendingPathComponent("mr/negative.txt"))
        let folder = fixture.folder.path
        #expect(taskErrorMessage { _ = try NLPDataset.load(.mr, dataDirectory: folder) }
                == "mr: missing data file \(folder)/mr/negative.txt")
        #expect(taskErrorMessage { _ = try NLPDataset.load(.ner, dataDirectory: folder + "/nowhere") }
                == "ner: missing data file \(folder)/nowhere/wnut17/train.conll")
    }
}
