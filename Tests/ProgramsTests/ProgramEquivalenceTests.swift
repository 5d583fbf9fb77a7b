import Foundation
import Testing
@testable import Network
@testable import Programs
@testable import Tasks
@testable import Training

/// Small trained models, shared by the program tests (trained once per process).
enum TrainedFixtures {
    struct Fixture {
        let dataset: TaskDataset
        let trainer: Trainer
        let program: Program
    }

    static func train(_ task: TaskName, change: (inout TaskOptions) -> Void = { _ in },
                      model: ModelOptions, epochs: Int = 15) throws -> Fixture {
        var taskOptions = TaskOptions.defaults(for: task)
        taskOptions.datasetSize = 800
        change(&taskOptions)
        let data = try TaskDataset.generate(task, options: taskOptions)
        var options = TrainingOptions()
        options.epochs = epochs
        options.batchSize = 64
        options.evaluateEveryEpoch = false
        let trainer = try Trainer(dataset: data, model: model, options: options)
        _ = try trainer.train()
        let program = Program(network: trainer.model, task: task.rawValue, vocabulary: data.vocabulary.symbols,
                              labels: data.labels.symbols)
        return Fixture(dataset: data, trainer: trainer, program: program)
    }

    /// sort with every module kind (categorical and numerical heads and MLPs).
    nonisolated(unsafe) static let sort = Result { try train(.sort, model: ModelOptions(layers: 2, catHeads: 2, numHeads: 2, catMLPs: 1, numMLPs: 1, mlpWidth: 16)) }
    /// hist: numerical heads feeding a numerical MLP.
    nonisolated(unsafe) static let hist = Result { try train(.hist, model: .paper(.hist)) }
    /// dyck1: causal.
    nonisolated(unsafe) static let dyck = Result { try train(.dyck1, change: { $0.maxLength = 10; $0.minLength = 10 },
                                         model: ModelOptions(layers: 2, catHeads: 2, numHeads: 1, catMLPs: 1, numMLPs: 1, mlpWidth: 16)) }
    /// induction with no class masked (`--unembed-mask false`): the classifier may predict `<pad>`.
    nonisolated(unsafe) static let unmasked = Result {
        var model = ModelOptions.paper(.induction)
        model.unembedMask = false
        return try train(.induction, model: model)
    }
}

@Suite("Program equals network")
struct ProgramEquivalenceTests {
    nonisolated(unsafe) static let fixtures: [(String, Result<TrainedFixtures.Fixture, any Error>)] = [
        ("sort", TrainedFixtures.sort), ("hist", TrainedFixtures.hist), ("dyck1", TrainedFixtures.dyck),
        ("induction, unmasked", TrainedFixtures.unmasked),
    ]

    @Test("the interpreter agrees with the discrete network on every example of every split",
          arguments: [0, 1, 2, 3])
    func everySplit(index: Int) throws {
        let (name, result) = Self.fixtures[index]
        let f = try result.get()
        let verifier = try Verifier(model: f.trainer.model, program: f.program)
        for split in Split.allCases {
            let inputs = f.dataset.examples(split).map(\.tokens)
            let report = try verifier.verify(inputs)
            #expect(report.inputs == inputs.count)
            #expect(report.passed, "\(name) \(split): \(report.mismatches.prefix(3))")
        }
    }

    @Test("the interpreter's accuracy equals the discrete network's (results.json's number)")
    func accuracyMatches() throws {
        let f = try TrainedFixtures.sort.get()
        let interpreter = try Interpreter(f.program)
        let test = f.dataset.test
        var correct = 0, total = 0
        for e in test {
            let out = try interpreter.run(e.tokens)
            for (p, t) in zip(out, e.labels) where t != "<pad>" {
                total += 1
                if p == t { correct += 1 }
            }
        }
        let network = f.trainer.evaluate(.test, mode: .argmax, tau: 1).accuracy
        #expect(abs(Double(correct) / Double(total) - network) < 1e-12)
    }

    @Test("the whole sort input space (lengths 1–4) runs identically")
    func exhaustiveSmall() throws {
        let f = try TrainedFixtures.sort.get()
        var options = f.dataset.options
        options.maxLength = 6
        let space = try #require(try TaskDataset.inputSpace(.sort, options: options))
        #expect(space.count == 5 + 25 + 125 + 625)
        let report = try Verifier(model: f.trainer.model, program: f.program).verify(space)
        #expect(report.passed, "\(report.mismatches.prefix(3))")
    }

    @Test("program.json round-trips: decode → encode is identical")
    func roundTrip() throws {
        let f = try TrainedFixtures.hist.get()
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        let first = try encoder.encode(f.program)
        let decoded = try JSONDecoder().decode(Program.self, from: first)
        #expect(decoded == f.program)
        #expect(try encoder.encode(decoded) == first)
    }

    @Test("a future-version or malformed program is rejected with a clear error")
    func rejects() throws {
        var p = try TrainedFixtures.hist.get().program
        p.version = Program.currentVersion + 1
        #expect(throws: ProgramError.self) { try Interpreter(p) }
        p.version = Program.currentVersion
        p.layers[0].heads[0].query = "no_such_variable"
        do { _ = try Interpreter(p); Issue.record("accepted an unknown variable") } catch let e as ProgramError {
            #expect(e.description.contains("no_such_variable"))
        }
        #expect(throws: (any Error).self) { try JSONDecoder().decode(Program.self, from: Data("{\"format\": 1}".utf8)) }
        // A head that writes over an input (or its own query) would make the result order-dependent.
        var q = try TrainedFixtures.hist.get().program
        q.layers[0].heads[0].output = "tokens"
        do { _ = try Interpreter(q); Issue.record("accepted a head overwriting tokens") } catch let e as ProgramError {
            #expect(e.description.contains("overwrites the variable tokens"), "\(e)")
        }
    }

    @Test("numerical value ranges cover every reachable sum")
    func ranges() {
        #expect(ValueRanges.sums(of: [1], atMost: 3) == [0, 1, 2, 3])
        #expect(ValueRanges.sums(of: [0, 2, 5], atMost: 2) == [0, 2, 4, 5, 7, 10])
        #expect(ValueRanges.sums(of: [0, 1, 2, 3], atMost: 3) == Array(0...9))
    }
}

/// Damaged programs are refused when compiled (every command compiles a program it reads), with
/// the reason.
@Suite("Malformed programs")
struct MalformedProgramTests {
    func message(_ change: (inout Program) -> Void) -> String? {
        var p = Fixtures.tiny
        change(&p)
        do { _ = try Interpreter(p) } catch { return "\(error)" }
        return nil
    }

    @Test("each damage is named")
    func damaged() throws {
        #expect(message { _ in } == nil)
        #expect(message { $0.labels = Array($0.labels.prefix(1)) }?.hasPrefix("the classifier's classes") == true)
        #expect(message { $0.layers[0].heads[0].predicate[1] = 99 }?.hasSuffix("predicate value 99 outside 0..<\(Fixtures.tiny.varWidth)") == true)
        #expect(message { $0.maxLength = 0 } == "maxLength (0) must be between 1 and varWidth (\(Fixtures.tiny.varWidth))")
        // Found by an audit: a huge varWidth trapped (overflow) or exhausted memory in the interpreter.
        #expect(message { $0.varWidth = Int.max } == "varWidth (\(Int.max)) must be at most 65536, the widest a model can be trained with")
        #expect(message { $0.varWidth = 100_000_000 }?.hasPrefix("varWidth (100000000) must be at most") == true)
        #expect(message { $0.version = -5 } == "program version -5 is not a version (they start at 1)")
        #expect(message { $0.vocabulary = [] } == "the vocabulary must start with <pad> and have a token besides it")
        #expect(message { $0.layers[0].heads[1].name = $0.layers[0].heads[0].name }
                == "module \(Fixtures.tiny.layers[0].heads[0].name) is defined twice")
        #expect(message { $0.layers[0].mlps[0].defaultOutput = -1 }?.hasSuffix("default output -1 outside 0..<\(Fixtures.tiny.varWidth)") == true)
        #expect(message { $0.layers[0].mlps[0].table[0].inputs = [1] }?.contains("malformed table entry [1]") == true)
        #expect(message { $0.layers[0].mlps[0].table.append($0.layers[0].mlps[0].table[0]) }?.hasSuffix("twice") == true)
        #expect(message { $0.layers = [] } == "the program has no layers")
        #expect(message { $0.variables[0].values = [] }?.hasPrefix("the input variable tokens must be categorical") == true)
        #expect(message { $0.vocabulary.append($0.vocabulary[1]) } == "the vocabulary lists a token twice")
        #expect(message { $0.task = "sort"; $0.pooled = true } == "task sort labels every position, but the program is marked pooled")
        #expect(message { $0.task = "ner"; $0.pooled = true } == "task ner labels every position, but the program is marked pooled")
        #expect(message { $0.task = "trec" } == "task trec labels whole sentences, but the program is not marked pooled")
    }

    @Test("modules read variables of their kind, computed before them")
    func orderAndKinds() throws {
        let head = Fixtures.tiny.layers[0].heads[0], mlp = Fixtures.tiny.layers[0].mlps[0]
        #expect(message { $0.layers[0].heads[0].query = mlp.output } == "\(head.name) reads \(mlp.output) before it is computed")
        #expect(message { $0.layers[0].heads[0].key = "ones" } == "\(head.name): its key ones is numerical, not categorical")
        #expect(message { $0.classifier.numerical[0].variable = "tokens" }
                == "the classifier: its table tokens is categorical, not numerical")
        #expect(message { $0.layers[0].mlps[0].inputs[0] = "atn_0_0_outputs" }
                == "\(mlp.name) refers to unknown variable atn_0_0_outputs")
        #expect(message { $0.layers[0].heads[1].output = head.output } == "\(Fixtures.tiny.layers[0].heads[1].name) overwrites the variable \(head.output)")
    }
}
