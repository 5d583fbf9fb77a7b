import Foundation
import Testing
@testable import Autograd
@testable import Network
@testable import Programs
@testable import Tasks
@testable import Training

/// Tiny NLP data sets made up in the test: factored embeddings, pooled classification, tagging.
enum NLPFixtures {
    static let words = ["good", "bad", "film", "plot", "john", "mary", "saw", "the", "a", "fine", "dull", "paris"]

    static func sentences(seed: UInt64, count: Int) -> [[String]] {
        var rng = RandomStream(seed: seed)
        return (0..<count).map { _ in (0..<(2 + rng.int(below: 5))).map { _ in words[rng.int(below: words.count)] } }
    }

    /// Positive when "good" or "fine" occurs more often than "bad" or "dull".
    static func sentiment(_ s: [String]) -> String {
        let score = s.filter { $0 == "good" || $0 == "fine" }.count - s.filter { $0 == "bad" || $0 == "dull" }.count
        return score > 0 ? "pos" : "neg"
    }

    /// Names are B-PER, "paris" B-LOC, the rest O.
    static func tags(_ s: [String]) -> [String] {
        s.map { $0 == "john" || $0 == "mary" ? "B-PER" : $0 == "paris" ? "B-LOC" : "O" }
    }

    static func train(_ dataset: NLPDataset, model: ModelOptions) throws -> (Trainer, Program) {
        var options = TrainingOptions()
        options.epochs = 12
        options.batchSize = 32
        options.evaluateEveryEpoch = false
        let trainer = try Trainer(dataset: dataset, model: model, options: options)
        _ = try trainer.train()
        let program = Program(network: trainer.model, task: dataset.name, vocabulary: dataset.vocabulary.symbols,
                              labels: dataset.labels.symbols)
        return (trainer, program)
    }

    nonisolated(unsafe) static let classification = Result { () throws -> (NLPDataset, Trainer, Program) in
        let options = NLPOptions(vocabSize: 50, replaceNumbers: false, maxWords: 6)
        func split(_ seed: UInt64, _ n: Int) -> [LabeledSentence] {
            sentences(seed: seed, count: n).map { LabeledSentence(tokens: $0, label: sentiment($0)) }
        }
        let data = try NLPDataset(name: "toy_sentiment", train: split(1, 300), val: split(2, 60), test: split(3, 60),
                                  options: options)
        let (trainer, program) = try train(data, model: model)
        return (data, trainer, program)
    }

    /// One layer of 2 categorical heads and 1 MLP over 2 embedding variables of width 8.
    static var model: ModelOptions {
        var model = ModelOptions(layers: 1, catHeads: 2, numHeads: 0, catMLPs: 1, numMLPs: 0, varWidth: 8, mlpWidth: 16)
        model.embeddingVariables = 2
        return model
    }

    /// A tagging data set of made-up sentences (300 / 60 / 60 from `seeds`, each word written by
    /// `spell`, tagged by ``tags(_:)``) and the program ``model`` learns on it.
    static func tagger(_ name: String, options: NLPOptions, seeds: (UInt64, UInt64, UInt64),
                       spell: (String) -> String = { $0 }) throws -> (NLPDataset, Trainer, Program) {
        func split(_ seed: UInt64, _ n: Int) -> [TaggedSentence] {
            sentences(seed: seed, count: n).map { TaggedSentence(tokens: $0.map(spell), tags: tags($0)) }
        }
        let data = try NLPDataset(name: name, train: split(seeds.0, 300), val: split(seeds.1, 60),
                                  test: split(seeds.2, 60), options: options)
        let (trainer, program) = try train(data, model: model)
        return (data, trainer, program)
    }

    nonisolated(unsafe) static let tagging = Result {
        try tagger("toy_ner", options: NLPOptions(vocabSize: 50, replaceNumbers: true, maxWords: 6), seeds: (4, 5, 6))
    }
}

extension NLPFixtures {
    /// Tagging with capitalised names and a vocabulary too small for every word, with
    /// `unknownShapes`: unknown words read as `<unk:Xx>`, `<unk:XX>`, `<unk:x>` or `<unk>`.
    nonisolated(unsafe) static let shapes = Result {
        try tagger("toy_shapes", options: NLPOptions(vocabSize: 6, replaceNumbers: true, maxWords: 6, unknownShapes: true),
                   seeds: (7, 8, 9)) { ["john", "mary", "paris"].contains($0) ? $0.capitalized : $0 }
    }
}

@Suite("NLP programs equal their networks")
struct NLPProgramTests {
    @Test("pooled classification with factored embeddings: network = interpreter = Python on every split",
          arguments: [true, false])
    func equivalence(pooled: Bool) throws {
        let (data, trainer, program) = try (pooled ? NLPFixtures.classification : NLPFixtures.tagging).get()
        #expect(program.pooled == pooled)
        #expect(program.embeddings?.count == 2)
        let verifier = try Verifier(model: trainer.model, program: program)
        let inputs = Split.allCases.flatMap { data.examples($0).map(\.tokens) } + [["<s>", "zebra", "good", "</s>"]]
        let python = try Self.withPython(program) { dir in
            try PythonRunner.run(script: dir.appendingPathComponent("program.py").path, inputs: inputs)
        }
        let report = try verifier.verify(inputs, python: python)
        #expect(report.passed, "\(report.mismatches.prefix(3))")
        #expect(report.inputs == inputs.count)
        // A pooled program gives one label per sentence; a tagger one per position.
        let out = try verifier.interpreter.run(["<s>", "john", "saw", "paris", "</s>"])
        #expect(out.count == (pooled ? 1 : 5))
    }

    /// Writes `program`'s Python to `program.py` in a fresh folder and returns `body(folder)`;
    /// nil, saying so, when python3 is not on PATH.
    static func withPython<R>(_ program: Program, _ body: (URL) throws -> R) throws -> R? {
        guard PythonRunner.interpreterPath != nil else {
            print("python3 is not on PATH: the emitted program is not run (interpreter = network is still checked)")
            return nil
        }
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("tprog-nlp-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        try Data(PythonEmitter.emit(program).utf8).write(to: dir.appendingPathComponent("program.py"))
        return try body(dir)
    }

    @Test("unknown words read as their shape in the network, the interpreter and the Python alike")
    func unknownShapes() throws {
        let (data, trainer, program) = try NLPFixtures.shapes.get()
        #expect(Array(program.vocabulary[4..<7]) == UnknownShape.symbols)
        // Some training words are outside the 6-word vocabulary, among them capitalised names.
        let unknown = Set(data.train.flatMap(\.tokens).filter { data.vocabulary.id($0) == nil })
        #expect(unknown.contains { UnknownShape.symbol(of: $0) == "<unk:Xx>" })
        let words = ["Zebra", "McX", "ZZ", "Z", "R2D2", "zebra", "eBay", "@x", "#Tag", "Émile", "3pm", "_a", "ünter"]
        let expected: [String] = ["<unk:Xx>", "<unk:Xx>", "<unk:XX>", "<unk:XX>", "<unk:XX>", "<unk:x>", "<unk:x>",
                                  "<unk>", "<unk>", "<unk>", "<unk>", "<unk>", "<unk>"]
        #expect(words.map(UnknownShape.symbol) == expected)
        let verifier = try Verifier(model: trainer.model, program: program)
        let ids: [Int] = expected.map { program.vocabulary.firstIndex(of: $0)! }
        let encoded = try verifier.interpreter.encode(Array(words.prefix(6))) + verifier.interpreter.encode(Array(words.suffix(7)))
        #expect(encoded == ids)
        let extra: [[String]] = [["<s>"] + Array(words.prefix(6)) + ["</s>"], ["<s>"] + Array(words[6..<12]) + ["</s>"],
                                 ["<s>", words[12], "</s>"]]
        let inputs: [[String]] = Split.allCases.flatMap { data.examples($0).map(\.tokens) } + extra
        let python = try Self.withPython(program) { dir in
            let labels = try PythonRunner.run(script: dir.appendingPathComponent("program.py").path, inputs: inputs)
            // The Python's own rule, word by word.
            let check = dir.appendingPathComponent("check.py")
            let literal = String(decoding: try JSONEncoder().encode(words), as: UTF8.self)
            try Data("import json, program\nprint(json.dumps([program.unknown(w) for w in json.loads(\(literal.debugDescription))]))\n".utf8)
                .write(to: check)
            let process = Process()
            process.executableURL = URL(fileURLWithPath: PythonRunner.interpreterPath!)
            process.arguments = [check.path]
            process.currentDirectoryURL = dir
            let pipe = Pipe()
            process.standardOutput = pipe
            try process.run()
            let output = pipe.fileHandleForReading.readDataToEndOfFile()
            process.waitUntilExit()
            #expect(try JSONDecoder().decode([String].self, from: output) == expected)
            return labels
        }
        let report = try verifier.verify(inputs, python: python)
        #expect(report.passed, "\(report.mismatches.prefix(3))")
        // The names are learnt through their shape.
        #expect(trainer.evaluate(.test, mode: .argmax, tau: 1).accuracy >= 0.9)
    }

    @Test("the classification model learns the toy sentiment (discrete test accuracy ≥ 80%)")
    func learns() throws {
        let (_, trainer, _) = try NLPFixtures.classification.get()
        let accuracy = trainer.evaluate(.test, mode: .argmax, tau: 1).accuracy
        #expect(accuracy >= 0.8, "discrete test accuracy \(accuracy)")
    }
}

@Suite("Explaining a program's classifier")
struct ExplanationTests {
    @Test("features are ranked by weight difference, with the words behind embedding values")
    func ranking() throws {
        let (_, _, program) = try NLPFixtures.tagging.get()
        let explanation = try ProgramExplanation(program: program, classes: ("B-PER", "O"))
        let scores = explanation.features.map(\.score)
        #expect(scores == scores.sorted(by: >))
        // Recompute the top feature's score from the classifier tables.
        let top = try #require(explanation.features.first)
        let labels = program.classifier.classes.map { program.labels[$0] }
        let i = try #require(labels.firstIndex(of: "B-PER")), j = try #require(labels.firstIndex(of: "O"))
        let table = try #require(program.classifier.categorical.first { $0.variable == top.variable })
        let row = try #require(table.rows.first { $0.value == top.value })
        #expect(abs(top.score - (Double(row.weights[i]) - Double(row.weights[j]))) < 1e-12)
        // Words listed for an embedding value really have that value.
        for f in explanation.features where f.variable.hasSuffix("_embeddings") {
            let e = try #require(program.embeddings?.first { $0.variable == f.variable })
            for w in f.words {
                let id = try #require(program.vocabulary.firstIndex(of: w))
                #expect(e.values[id] == f.value)
            }
        }
        #expect(throws: ProgramError.self) { try ProgramExplanation(program: program, classes: ("B-PER", "nope")) }
    }
}

@Suite("Pooled training")
struct PooledTrainingTests {
    @Test("with --pool-divisor padded the runner divides by the longest training sentence, else by each one's length")
    func divisor() throws {
        // Sentences of 2–6 words, so at most 8 tokens with <s> and </s>, in a model allowing 12.
        let options = NLPOptions(vocabSize: 50, replaceNumbers: false, maxWords: 10)
        func split(_ seed: UInt64, _ n: Int) -> [LabeledSentence] {
            NLPFixtures.sentences(seed: seed, count: n).map { LabeledSentence(tokens: $0, label: NLPFixtures.sentiment($0)) }
        }
        let data = try NLPDataset(name: "toy_sentiment", train: split(1, 300), val: split(2, 60), test: split(3, 60),
                                  options: options)
        var model = ModelOptions(layers: 1, catHeads: 1, numHeads: 0, catMLPs: 0, numMLPs: 0, varWidth: 12, mlpWidth: 16)
        model.embeddingVariables = 1
        #expect(TrainingOptions.paper(.trec).poolDivisor == .padded && TrainingOptions.paper(.ner).poolDivisor == nil)
        for divisor in [nil, .length, .padded] as [TrainingOptions.PoolDivisor?] {
            var training = TrainingOptions()
            training.poolDivisor = divisor
            let trainer = try Trainer(dataset: data, model: model, options: training)
            #expect(trainer.config.maxLength == 12 && trainer.splits[.train]!.longest == 8)
            #expect(trainer.runner.poolDivisor == (divisor == .padded ? 8 : nil), "\(String(describing: divisor))")
        }
        // The standard Transformer baseline likewise.
        #expect(StandardTrainingOptions.paperClassification.poolDivisor == .padded)
        for divisor in [nil, .length, .padded] as [TrainingOptions.PoolDivisor?] {
            var training = StandardTrainingOptions()
            training.poolDivisor = divisor
            let trainer = try StandardTrainer(dataset: data, model: StandardModelOptions(dMLP: 16), options: training)
            #expect(trainer.runner.poolDivisor == (divisor == .padded ? 8 : nil), "\(String(describing: divisor))")
        }
    }
}
