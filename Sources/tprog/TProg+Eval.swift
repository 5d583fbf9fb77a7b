import ArgumentParser
import Foundation
import TransformerPrograms

extension TProg {
    /// `tprog eval`: accuracy of a run's discrete model.
    struct Eval: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Accuracy of a trained run's discrete model on its splits, or on a JSON Lines file.",
            discussion: "The file has one example a line, as `tprog data` prints: {\"tokens\": [...], \"labels\": [...]}.")

        @Argument(help: "The run folder.") var path: String
        @Option(help: "Evaluate on this JSON Lines file instead of the run's own splits.") var data: String?
        @Option(parsing: .unconditional, help: ArgumentHelp(
            "Also show where the model goes wrong on one split: wrong targets by input length and by label, and the first N wrong examples (0: only the counts).",
            valueName: "n")) var errors: Int?
        @Option(help: "The split --errors looks at: train, val, test or all (default test).") var split: String?
        @Flag(help: "Print one JSON object.") var json = false

        func validate() throws {
            if let errors, errors < 0 { throw ValidationError("--errors must be 0 or more, got \(errors)") }
            if split != nil && errors == nil { throw ValidationError("--split needs --errors") }
            if split != nil && data != nil { throw ValidationError("--split and --data exclude each other") }
            if let split, split != "all", Split(rawValue: split) == nil {
                throw ValidationError("--split: expected train, val, test or all, got '\(split)'")
            }
        }

        func run() throws {
            let trained: TrainedRun
            do { trained = try TrainedRun(path: path) } catch { throw usageError("\(error)") }
            var scores: [(String, SplitMetrics, Int)] = []
            var entities: [String: EntityScore] = [:]
            // --errors: the examples it looks at, their name, and the predictions the scoring
            // pass made for them (one label id per padded position).
            var looked: (name: String, examples: [Example])?
            var predicted: [Int32] = []
            func score(_ examples: [Example], _ encoded: EncodedSplit, looking: Bool) -> SplitMetrics {
                guard looking else { return trained.evaluate(encoded) }
                var ids = [Int32](repeating: 0, count: encoded.count * encoded.length)
                let metrics = ids.withUnsafeMutableBufferPointer { trained.evaluate(encoded, predictions: $0.baseAddress!) }
                predicted += ids
                return metrics
            }
            if let data {
                let examples = try ExampleFile.read(data, for: nil)
                // A pooled model has one label, at position 0; labels elsewhere would not be scored.
                if trained.model.config.pooled,
                   let i = examples.firstIndex(where: { $0.labels.dropFirst().contains { $0 != Special.pad } }) {
                    throw usageError("\(data): example \(i + 1): a \(trained.config.task) run labels whole sentences, so its label goes at position 0 and every other position is <pad>")
                }
                if errors != nil { looked = (data, examples) }
                let encoded: EncodedSplit
                do { encoded = try trained.encode(examples) } catch { throw usageError("\(data): \(error)") }
                guard encoded.scoredTargets > 0 else {
                    throw usageError("\(data): no example has a label to score (every label is <pad>)")
                }
                scores.append((data, score(examples, encoded, looking: errors != nil), encoded.count))
            } else {
                let dataset: any LabeledDataset
                do { dataset = try trained.dataset() } catch { throw usageError("\(error)") }
                let lookAt = errors == nil ? [] : try Split.selected(by: split ?? Split.test.rawValue)
                if !lookAt.isEmpty {
                    looked = (lookAt.count == 1 ? lookAt[0].rawValue : "train, val and test", lookAt.flatMap { dataset.examples($0) })
                }
                for split in Split.allCases {
                    let examples = dataset.examples(split)
                    let encoded = try trained.encode(examples)
                    scores.append((split.rawValue, score(examples, encoded, looking: lookAt.contains(split)), encoded.count))
                    if let nlp = dataset as? NLPDataset, !nlp.pooled {
                        entities[split.rawValue] = try EntityScore.of(examples, dataset: nlp, length: encoded.length) {
                            _ = trained.evaluate($0, predictions: $1)
                        }
                    }
                }
                // NLP tasks: also the whole test set, long sentences fitted to the model (see `Windows`).
                if let nlp = dataset as? NLPDataset {
                    let score = try nlp.unfilteredTestScore(length: trained.model.config.maxLength) {
                        _ = trained.evaluate($0, predictions: $1)
                    }
                    scores.append(("test_unfiltered", SplitMetrics(loss: .nan, accuracy: score.accuracy), nlp.testUnfiltered.count))
                    entities["test_unfiltered"] = score.entities
                }
            }
            var mistakes: Mistakes?
            if let errors, let looked {
                mistakes = Mistakes(looked.examples, predictions: predicted, length: trained.model.config.maxLength,
                                    labels: trained.labels, keep: errors)
            }
            if json {
                var object = Dictionary(uniqueKeysWithValues: scores.map { name, m, count in
                    var row = ["accuracy": m.accuracy, "examples": Double(count)]
                    if let e = entities[name] { row["precision"] = e.precision; row["recall"] = e.recall; row["f1"] = e.f1 }
                    return (name, JSONValue.scores(row))
                })
                // Under "errors" (a --data file of that very name keeps its scores under "./errors").
                if let mistakes, let looked {
                    if let row = object.removeValue(forKey: "errors") { object["./errors"] = row }
                    object["errors"] = .mistakes(looked.name, mistakes)
                }
                print(try JSONCoding.line(object))
            } else {
                for (name, m, count) in scores {
                    var line = String(format: "%@  accuracy %.4f  (%d examples)", name, m.accuracy, count)
                    if let e = entities[name] { line += String(format: "  P %.2f  R %.2f  F1 %.2f", e.precision * 100, e.recall * 100, e.f1 * 100) }
                    print(line)
                }
                if let mistakes, let looked { print("\n" + mistakes.text(of: looked.name), terminator: "") }
            }
        }
    }
}

/// A value of `tprog eval --json`'s object: a split's scores, or the `--errors` analysis.
private enum JSONValue: Encodable {
    case scores([String: Double])
    case mistakes(String, Mistakes)

    private struct Named: Encodable {
        var of: String
        var mistakes: Mistakes
        func encode(to encoder: any Encoder) throws {
            try mistakes.encode(to: encoder)
            var c = encoder.container(keyedBy: Key.self)
            try c.encode(of, forKey: .of)
        }
        enum Key: String, CodingKey { case of }
    }

    func encode(to encoder: any Encoder) throws {
        switch self {
        case .scores(let row): try row.encode(to: encoder)
        case .mistakes(let name, let m): try Named(of: name, mistakes: m).encode(to: encoder)
        }
    }
}

/// Reads examples in the `tprog data` JSON Lines format.
enum ExampleFile {
    struct Line: Decodable {
        var tokens: [String]
        var labels: [String]?
    }

    /// The examples of the file at `path`, each checked as an input of `program`
    /// (``inputProblem(_:_:)``), or of a trained run (`nil`: `<s>` always checked).
    static func read(_ path: String, for program: Program?) throws -> [Example] {
        guard let data = FileManager.default.contents(atPath: path) else { throw usageError(FileErrors.unreadable(path)) }
        var examples: [Example] = []
        let decoder = JSONDecoder()
        for (i, line) in data.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false).enumerated() {
            if line.allSatisfy({ $0 == 32 || $0 == 9 || $0 == 13 }) { continue }
            let parsed: Line
            do { parsed = try decoder.decode(Line.self, from: Foundation.Data(line)) } catch {
                throw usageError("\(path):\(i + 1): not an example line: \(JSONCoding.describe(error, in: Foundation.Data(line)))")
            }
            guard !parsed.tokens.isEmpty else { throw usageError("\(path):\(i + 1): an example with no tokens") }
            if let problem = program.map({ inputProblem(parsed.tokens, $0) }) ?? Special.inputProblem(parsed.tokens) {
                throw usageError("\(path):\(i + 1): \(problem)")
            }
            let labels = parsed.labels ?? [String](repeating: "<pad>", count: parsed.tokens.count)
            guard labels.count == parsed.tokens.count else {
                throw usageError("\(path):\(i + 1): \(parsed.tokens.count) tokens but \(labels.count) labels")
            }
            examples.append(Example(tokens: parsed.tokens, labels: labels))
        }
        guard !examples.isEmpty else { throw usageError("\(path): no examples") }
        return examples
    }
}
