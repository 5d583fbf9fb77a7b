import Foundation
import Testing
@testable import Network
@testable import Tasks
@testable import Training

/// `tprog train --init-from`: a saved model's parameters replace the random initial values.
@Suite("Warm start")
struct WarmStartTests {
    func trainer(seed: UInt64, model: ModelOptions = .paper(.induction)) throws -> Trainer {
        let data = try TaskDataset.generate(.induction, options: .defaults(for: .induction))
        var options = TrainingOptions()
        options.seed = seed
        return try Trainer(dataset: data, model: model, options: options)
    }

    func checkpoint(_ t: Trainer) -> Checkpoint {
        Checkpoint(model: t.model, task: "induction", vocabulary: t.dataset.vocabulary.symbols,
                   labels: t.dataset.labels.symbols)
    }

    @Test("every parameter, or only the named ones, come from the saved model")
    func initialize() throws {
        let saved = try trainer(seed: 1)
        let all = try trainer(seed: 2)
        let names = try all.initialize(from: checkpoint(saved))
        #expect(names == all.model.parameterNames)
        for (a, b) in zip(all.model.parameters, saved.model.parameters) { #expect(a.values == b.values) }

        let some = try trainer(seed: 2), fresh = try trainer(seed: 2)
        let set = try some.initialize(from: checkpoint(saved), only: ["layer1.attn0.predicate", "classifier."])
        #expect(set == ["layer1.attn0.predicate", "classifier.cat", "classifier.num"])
        for (i, name) in some.model.parameterNames.enumerated() {
            let expected = set.contains(name) ? saved.model.parameters[i] : fresh.model.parameters[i]
            #expect(some.model.parameters[i].values == expected.values, "\(name)")
        }
        // The fresh seed-2 values differ from seed 1's, so the comparison above can fail.
        #expect(fresh.model.parameters[0].values != saved.model.parameters[0].values)
    }

    @Test("a saved model of another configuration, or an unknown prefix, is refused")
    func refused() throws {
        var wider = ModelOptions.paper(.induction)
        wider.catHeads = 2
        let other = try trainer(seed: 0, model: wider)
        let target = try trainer(seed: 0)
        #expect(throws: CheckpointError.self) { try target.initialize(from: checkpoint(other)) }
        #expect(throws: CheckpointError.self) { try target.initialize(from: checkpoint(target), only: ["layer9."]) }
    }

    @Test("a missing file or one that is not a model.json is a clear error")
    func unreadable() throws {
        #expect(throws: CheckpointError.self) { try Checkpoint.load("/nonexistent/model.json") }
        let path = NSTemporaryDirectory() + "warmstart-\(UUID().uuidString).json"
        try Data(#"{"x": 1}"#.utf8).write(to: URL(fileURLWithPath: path))
        defer { try? FileManager.default.removeItem(atPath: path) }
        do {
            _ = try Checkpoint.load(path)
            Issue.record("a file without a model was accepted")
        } catch let e as CheckpointError {
            #expect(e.description.contains("missing key \"format\""), "\(e.description)")
        }
    }
}
