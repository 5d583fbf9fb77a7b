import Foundation
import Network
import Tasks
import Testing
@testable import Training

/// Inputs a user can get wrong: configurations too large to build, non-finite options, damaged
/// saved models, run folders being replaced, files in the way. Each must be refused with a
/// message naming the problem, never crash or leave a mix of old and new files.
@Suite("Bad input")
struct BadInputTests {
    /// Runs `body` on a fresh folder under the temporary directory, removed afterwards.
    func inScratch(_ body: (URL) throws -> Void) throws { try inScratchFolder("tprog-bad", body) }

    @Test("parameterCount and activationCells match the models built", arguments: [
        ModelOptions.paper(.sort), .paper(.hist), .paper(.induction), .paper(.dyck2),
    ])
    func parameterCount(options: ModelOptions) throws {
        let task: TaskName = options.layers == 1 ? .hist : (options.catHeads == 1 ? .induction : .sort)
        let data = try TaskDataset.generate(task, options: .defaults(for: task))
        let config = options.config(for: data)
        let model = try TransformerProgram(config: config, seed: 0)
        #expect(config.parameterCount == Double(model.parameters.reduce(0) { $0 + $1.count }))
        let layout = StreamLayout(config)
        #expect(config.activationCells
                == Double(config.layers * (layout.catCount * config.varWidth + layout.numCount) * config.maxLength))
    }

    @Test("parameterCount of factored embeddings (NLP) matches the model built")
    func parameterCountEmbeddings() throws {
        let config = ProgramConfig(varWidth: 32, layers: 2, catHeads: 8, numHeads: 0, catMLPs: 1, numMLPs: 0,
                                   causal: false, vocabularySize: 500, classCount: 9, maskedClasses: [0, 1],
                                   maxLength: 32, embeddingVariables: 4)
        let model = try TransformerProgram(config: config, seed: 0)
        #expect(config.parameterCount == Double(model.parameters.reduce(0) { $0 + $1.count }))
    }

    @Test("the documented examples: sort's paper configuration")
    func documentedCounts() throws {
        let data = try TaskDataset.generate(.sort, options: .defaults(for: .sort))
        let config = ModelOptions.paper(.sort).config(for: data)
        #expect(config.parameterCount == 17_718)
        #expect(config.activationCells == 5_304)
    }

    @Test("configurations too large to train are refused before anything is allocated")
    func tooLarge() throws {
        let base = ProgramConfig(varWidth: 8, layers: 3, catHeads: 4, numHeads: 4, catMLPs: 2, numMLPs: 2,
                                 causal: false, vocabularySize: 8, classCount: 6, maxLength: 8)
        #expect(throws: Never.self) { try base.validate() }
        func message(_ change: (inout ProgramConfig) -> Void) -> String? {
            var c = base
            change(&c)
            do { try c.validate() } catch { return error.description }
            return nil
        }
        #expect(message { $0.layers = 100_000 } == "layers must be at most 1000 (got 100000)")
        #expect(message { $0.catHeads = 100_000 } == "cat-heads must be at most 1000 (got 100000)")
        #expect(message { $0.varWidth = 100_000 } == "d-var must be at most 65536 (got 100000)")
        #expect(message { $0.varWidth = 4_000 }?.hasPrefix("the model would have ") == true)
        #expect(message { $0.layers = 1_000 }?.hasPrefix("the model would have ") == true)
        #expect(message { $0.layers = 300 }?.hasPrefix("the model is too deep and wide to train here") == true)
        #expect(message { $0.maxLength = 0 } == "the sequence length must be at least 1 (got 0)")
        #expect(message { $0.maskedClasses = [99] } == "masked class 99 outside 0..<6")
        #expect(message { $0.vocabularySize = 1 } == "the vocabulary needs a token besides <pad> (it has 1)")
        let standard = StandardConfig(dModel: 10_000_000, layers: 2, heads: 2, dMLP: 64, causal: false,
                                      vocabularySize: 8, classCount: 6, maxLength: 8)
        #expect(throws: ConfigError("d-model must be at most 65536 (got 10000000)")) { try standard.validate() }
        // The baseline's attention grows with the square of the length: 2 layers × 2 heads × 2000².
        let long = StandardConfig(dModel: 64, layers: 2, heads: 2, dMLP: 64, causal: false,
                                  vocabularySize: 8, classCount: 6, maxLength: 2_000)
        #expect(long.activationCells == 17_280_000)   // 2 × (2 × 2000² + 2000 × (4·64 + 64))
        #expect(throws: ConfigError.self) { try long.validate() }
        var fits = long
        fits.maxLength = 128
        #expect(throws: Never.self) { try fits.validate() }
    }

    @Test("non-finite and absurd training options are refused")
    func trainingOptions() {
        func message(_ change: (inout TrainingOptions) -> Void) -> String? {
            var o = TrainingOptions()
            change(&o)
            do { try o.validate() } catch { return error.description }
            return nil
        }
        #expect(message { $0.learningRate = .infinity } == "lr must be finite (got inf)")
        #expect(message { $0.tauInit = .infinity } == "tau-init must be finite (got inf)")
        #expect(message { $0.maxGradNorm = .infinity } == "max-grad-norm must be finite (got inf)")
        #expect(message { $0.gumbelSamples = 100_000_000 } == "gumbel-samples must be at most 1000 (got 100000000)")
        #expect(message { $0.batchSize = 999_999_999_999 } == "batch-size must be at most 1000000 (got 999999999999)")
        #expect(message { _ in } == nil)
    }

    @Test("a damaged saved model is refused with the reason")
    func damagedCheckpoint() throws {
        let data = try TaskDataset.generate(.hist, options: .defaults(for: .hist))
        let model = try TransformerProgram(config: ModelOptions.paper(.hist).config(for: data), seed: 0)
        let good = Checkpoint(model: model, task: "hist", vocabulary: data.vocabulary.symbols, labels: data.labels.symbols)
        #expect(throws: Never.self) { _ = try good.makeModel() }
        func message(_ change: (inout Checkpoint) -> Void) -> String? {
            var c = good
            change(&c)
            do { _ = try c.makeModel() } catch { return "\(error)" }
            return nil
        }
        #expect(message { $0.vocabulary = [] } == "the model lists 0 tokens and 7 labels, its configuration says 8 and 7")
        #expect(message { $0.config.maskedClasses = [99] } == "masked class 99 outside 0..<7")
        #expect(message { $0.parameters[0].values.removeLast() }
                == "parameter layer0.attn0.read has 5 values, its shape [3, 2] needs 6")
        #expect(message { $0.parameters[1].values[0] = .nan } == "parameter layer0.attn0.predicate holds a value that is not finite")
    }

    /// A run folder at `path` (staged beside an existing run when `force`) holding a `config.json` of `text`.
    func staged(_ path: String, config text: String, force: Bool) throws -> RunFolder {
        var folder = RunFolder(path)
        try folder.create(force: force)
        try folder.write("config.json", data: Data(text.utf8))
        return folder
    }

    /// The text of `name` in the folder `dir`.
    func text(_ dir: URL, _ name: String) throws -> String {
        try String(contentsOf: dir.appendingPathComponent(name), encoding: .utf8)
    }

    @Test("--force stages the new run: a failed run leaves the old one whole, a finished one replaces it")
    func replacingRun() throws {
        try inScratch { dir in
            let run = dir.appendingPathComponent("run")
            let first = try staged(run.path, config: "old config", force: false)
            try first.write("model.json", data: Data("old model".utf8))
            #expect(!first.isReplacing)

            let failed = try staged(run.path, config: "new config", force: true)
            #expect(failed.isReplacing)
            failed.discard()
            #expect(try FileManager.default.contentsOfDirectory(atPath: run.path).sorted() == ["config.json", "model.json"])
            #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path) == ["run"])

            try FileManager.default.setAttributes([.posixPermissions: 0o750], ofItemAtPath: run.path)
            let second = try staged(run.path, config: "new config", force: true)
            #expect(try text(run, "config.json") == "old config")
            try second.commit()
            #expect(try FileManager.default.contentsOfDirectory(atPath: run.path) == ["config.json"])
            let mode = try FileManager.default.attributesOfItem(atPath: run.path)[.posixPermissions] as? Int
            #expect(mode == 0o750, "the replacement keeps the replaced folder's mode")
            #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path) == ["run"])
        }
    }

    @Test("--force refuses a run folder holding files tprog did not write, and loses none of them")
    func forceKeepsUserFiles() throws {
        try inScratch { dir in
            let run = dir.appendingPathComponent("run")
            let first = try staged(run.path, config: "old config", force: false)
            try first.write("model.json", data: Data("old model".utf8))
            try Data("mine".utf8).write(to: run.appendingPathComponent("notes.txt"))
            do {
                _ = try staged(run.path, config: "new config", force: true)
                Issue.record("--force replaced a folder holding notes.txt")
            } catch let error as RunFolderError {
                #expect(error.description.contains("holds files tprog did not write (notes.txt)"))
            }
            #expect(try text(run, "notes.txt") == "mine")
            #expect(try text(run, "config.json") == "old config")
            #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path) == ["run"])
            // Hidden files (a temporary file an interrupted write left, .DS_Store) do not block --force.
            try FileManager.default.removeItem(at: run.appendingPathComponent("notes.txt"))
            try Data("partial".utf8).write(to: run.appendingPathComponent(".model.json.tmp-123"))
            try Data().write(to: run.appendingPathComponent(".DS_Store"))
            try staged(run.path, config: "new config", force: true).commit()
            #expect(try text(run, "config.json") == "new config")
        }
    }

    @Test("an interruption before the swap keeps the old run and forbids the swap; after it, keeps the new one")
    func interruptedReplacement() throws {
        try inScratch { dir in
            let run = dir.appendingPathComponent("run")
            _ = try staged(run.path, config: "old", force: false)

            let early = try staged(run.path, config: "new", force: true)
            #expect(!early.interrupted())
            #expect(throws: RunFolderError("interrupted before the new run was put in place")) { try early.commit() }
            #expect(try text(run, "config.json") == "old")
            #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path) == ["run"])

            let late = try staged(run.path, config: "new", force: true)
            try late.commit()
            #expect(late.interrupted())
            #expect(try text(run, "config.json") == "new")
            #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path) == ["run"])
        }
    }

    @Test("--force through a symbolic link replaces the run it points to and keeps the link")
    func replacingThroughLink() throws {
        try inScratch { dir in
            let run = dir.appendingPathComponent("run"), link = dir.appendingPathComponent("link")
            _ = try staged(run.path, config: "old", force: false)
            try FileManager.default.createSymbolicLink(at: link, withDestinationURL: run)
            try staged(link.path, config: "new", force: true).commit()
            #expect(try FileManager.default.destinationOfSymbolicLink(atPath: link.path) == run.path)
            #expect(try text(run, "config.json") == "new")
        }
    }

    @Test("--force replaces only a run folder")
    func forceOnlyReplacesRuns() throws {
        try inScratch { dir in
            let notes = dir.appendingPathComponent("notes.txt")
            try Data("mine".utf8).write(to: notes)
            var folder = RunFolder(dir.path)
            #expect(throws: RunFolderError("\(dir.path) is not a tprog run folder (it has no config.json); --force only replaces runs")) {
                try folder.create(force: true)
            }
            #expect(try String(contentsOf: notes, encoding: .utf8) == "mine")
            // (The refusal to replace the folder the process runs in is not tested here: changing the
            // current folder would disturb the tests running beside this one.)
        }
    }

    @Test("a standard-Transformer run is named as such where a program run is expected")
    func standardRunIsNotAProgram() throws {
        try inScratch { dir in
            try Data(#"{"standard": true, "task": "hist"}"#.utf8).write(to: dir.appendingPathComponent("config.json"))
            #expect(throws: RunFolderError("\(dir.path) is a standard-Transformer run (train --standard): it has no program to evaluate, run or verify; its results.json holds its scores")) {
                _ = try TrainedRun(path: dir.path)
            }
        }
    }

    @Test("a file in the way of a run folder is named")
    func fileInTheWay() throws {
        try inScratch { dir in
            let file = dir.appendingPathComponent("afile")
            try Data("x".utf8).write(to: file)
            var folder = RunFolder(file.appendingPathComponent("sub").path)
            #expect(throws: RunFolderError("cannot create the run folder \(file.path)/sub: \(file.path) is a file, not a folder")) {
                try folder.create(force: false)
            }
        }
    }

    @Test("AtomicFile keeps what exists unless asked, and never replaces a folder or a device")
    func atomicFile() throws {
        try inScratch { dir in
            let mine = dir.appendingPathComponent("mine.py")
            try Data("keep".utf8).write(to: mine)
            #expect(throws: RunFolderError("\(mine.path) already exists (use --force to overwrite it)")) {
                try AtomicFile.write(Data("new".utf8), to: mine, replace: false)
            }
            #expect(try String(contentsOf: mine, encoding: .utf8) == "keep")
            try AtomicFile.write(Data("new".utf8), to: mine, replace: true)
            #expect(try String(contentsOf: mine, encoding: .utf8) == "new")
            let sub = dir.appendingPathComponent("sub")
            try FileManager.default.createDirectory(at: sub, withIntermediateDirectories: false)
            #expect(throws: RunFolderError("cannot write \(sub.path): it exists and is not a regular file")) {
                try AtomicFile.write(Data("new".utf8), to: sub)
            }
            // A symbolic link is followed: the file it names gets the content, the link stays a link.
            let link = dir.appendingPathComponent("link.py")
            try FileManager.default.createSymbolicLink(at: link, withDestinationURL: mine)
            try AtomicFile.write(Data("via link".utf8), to: link)
            #expect(try String(contentsOf: mine, encoding: .utf8) == "via link")
            #expect(try FileManager.default.destinationOfSymbolicLink(atPath: link.path) == mine.path)
        }
    }

    @Test("report refuses a results.json whose scores are not fractions or are missing")
    func reportScores() throws {
        try inScratch { dir in
            let run = dir.appendingPathComponent("hist-0")
            try FileManager.default.createDirectory(at: run, withIntermediateDirectories: true)
            let file = run.appendingPathComponent("results.json")
            func write(_ test: String) throws {
                try Data(#"{"task": "hist", "seed": 0, "epochs": 1, "train_seconds": 1, "discrete": {"train": {"accuracy": 1}, "val": {"accuracy": 1}\#(test)}}"#.utf8).write(to: file)
            }
            try write(#", "test": {"accuracy": 5}"#)
            #expect(throws: RunFolderError("\(file.path): a test score of 5.0, outside [0, 1] (scores are fractions)")) {
                _ = try RunReport(directory: dir.path)
            }
            try write("")
            #expect(throws: RunFolderError("\(file.path): no accuracy for the val and test splits")) {
                _ = try RunReport(directory: dir.path)
            }
            try write(#", "test": {"accuracy": 0.5}"#)
            #expect(try RunReport(directory: dir.path).rows.map(\.runs.count) == [1])
        }
    }

    @Test("a number out of range is named, not reported as text that is not JSON")
    func numbersOutOfRange() {
        func reason(_ text: String) -> String {
            let data = Data(text.utf8)
            do { _ = try JSONDecoder().decode(NumberShape.self, from: data) } catch { return JSONCoding.describe(error, in: data) }
            return "decoded"
        }
        #expect(reason(#"{"count": 2, "weights": [0.5]}"#) == "decoded")
        #expect(reason(#"{"count": 2, "weights": [1e400]}"#) == "number 1e400 is out of range")
        #expect(reason(#"{"count": 99999999999999999999999, "weights": []}"#).hasPrefix("a number does not fit its field")
                || reason(#"{"count": 99999999999999999999999, "weights": []}"#).contains("count"))
        #expect(!reason(#"{"count": 2, "weights": [0.5"#).contains("number"))
    }
}

/// A JSON shape with a whole number and fractions, for ``BadInputTests/numbersOutOfRange()``.
private struct NumberShape: Decodable {
    var count: Int
    var weights: [Float]
}
