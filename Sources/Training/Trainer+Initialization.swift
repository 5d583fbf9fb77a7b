import Foundation
import Network

extension Trainer {
    /// Replaces the random initial values of the parameters with a saved model's (a warm start),
    /// before training. With `prefixes`, only the parameters whose names start with one of them
    /// (``TransformerProgram/parameterNames``: `layer1.attn0.predicate`, `layer0.`, `classifier.`, …);
    /// the others keep their seeded random values. Returns the names it set.
    ///
    /// ```swift
    /// let trainer = try Trainer(dataset: data, model: .paper(.induction), options: TrainingOptions())
    /// try trainer.initialize(from: saved, only: ["layer1.attn0.predicate"])   // ["layer1.attn0.predicate"]
    /// ```
    ///
    /// Throws when the saved model's network configuration differs from this trainer's, or when a
    /// prefix names no parameter.
    @discardableResult
    public func initialize(from checkpoint: Checkpoint, only prefixes: [String] = []) throws -> [String] {
        guard checkpoint.config == config else {
            throw CheckpointError("the saved model's configuration differs from this run's (layers, heads, MLPs, k, vocabulary, length and masked classes must match)")
        }
        // Rebuilding the saved model checks every parameter's name and shape.
        let saved = try checkpoint.makeModel().parameters
        let names = model.parameterNames, parameters = model.parameters
        for prefix in prefixes where !names.contains(where: { $0.hasPrefix(prefix) }) {
            throw CheckpointError("no parameter name starts with '\(prefix)' (names look like layer0.attn0.read, layer1.mlp0.in_weight, classifier.cat)")
        }
        var set: [String] = []
        for (index, name) in names.enumerated() where prefixes.isEmpty || prefixes.contains(where: { name.hasPrefix($0) }) {
            parameters[index].assign(saved[index].values)
            set.append(name)
        }
        return set
    }
}
