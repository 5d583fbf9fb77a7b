import Foundation
import Network
import Tasks

/// A saved model: enough to rebuild the network exactly (`model.json` in a run folder).
///
/// ```json
/// {"format": "tprog-model", "version": 1, "task": "sort", "config": {...},
///  "vocabulary": ["<pad>", "0", ...], "labels": ["<pad>", "0", ...],
///  "parameters": [{"name": "layer0.attn0.read", "shape": [3, 2], "values": [...]}, ...]}
/// ```
/// Values are written with Swift's shortest round-tripping decimal form, so a load gives back
/// the very same Float32 bits.
public struct Checkpoint: Codable, Sendable {
    public static let format = "tprog-model"
    public static let currentVersion = 1

    /// One named parameter tensor.
    public struct Parameter: Codable, Sendable {
        public var name: String
        public var shape: [Int]
        public var values: [Float]
    }

    public var format: String
    public var version: Int
    public var task: String
    public var config: ProgramConfig
    public var vocabulary: [String]
    public var labels: [String]
    public var parameters: [Parameter]

    /// The checkpoint of `model`.
    public init(model: TransformerProgram, task: String, vocabulary: [String], labels: [String]) {
        format = Checkpoint.format
        version = Checkpoint.currentVersion
        self.task = task
        config = model.config
        self.vocabulary = vocabulary
        self.labels = labels
        parameters = zip(model.parameterNames, model.parameters).map {
            Parameter(name: $0, shape: $1.shape, values: $1.values)
        }
    }

    /// Reads a saved model: `path` is a run folder (its `model.json`) or the file itself.
    public static func load(_ path: String) throws -> Checkpoint {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw CheckpointError("no saved model at \(path)")
        }
        let file = isDirectory.boolValue ? (path as NSString).appendingPathComponent("model.json") : path
        do { return try JSONCoding.read(Checkpoint.self, at: file, as: "tprog model.json") } catch {
            throw CheckpointError(error.description)
        }
    }

    /// Rebuilds the model; throws when the checkpoint does not fit its configuration.
    public func makeModel() throws -> TransformerProgram {
        guard format == Checkpoint.format else { throw CheckpointError("not a tprog model (format \"\(format)\")") }
        guard version <= Checkpoint.currentVersion else {
            throw CheckpointError("model version \(version) is newer than this tprog understands (\(Checkpoint.currentVersion))")
        }
        guard vocabulary.count == config.vocabularySize, labels.count == config.classCount else {
            throw CheckpointError("the model lists \(vocabulary.count) tokens and \(labels.count) labels, its configuration says \(config.vocabularySize) and \(config.classCount)")
        }
        let model = try TransformerProgram(config: config, seed: 0)
        let names = model.parameterNames, tensors = model.parameters
        guard parameters.count == tensors.count else {
            throw CheckpointError("model has \(parameters.count) parameters, its configuration needs \(tensors.count)")
        }
        for (i, p) in parameters.enumerated() {
            guard p.name == names[i], p.shape == tensors[i].shape else {
                throw CheckpointError("parameter \(p.name) \(p.shape) does not match \(names[i]) \(tensors[i].shape)")
            }
            guard p.values.count == tensors[i].count else {
                throw CheckpointError("parameter \(p.name) has \(p.values.count) values, its shape \(p.shape) needs \(tensors[i].count)")
            }
            guard p.values.allSatisfy(\.isFinite) else { throw CheckpointError("parameter \(p.name) holds a value that is not finite") }
            tensors[i].assign(p.values)
        }
        return model
    }
}

/// A checkpoint that cannot be used.
public struct CheckpointError: Error, CustomStringConvertible, Sendable, Equatable {
    public let description: String
    public init(_ description: String) { self.description = description }
}
