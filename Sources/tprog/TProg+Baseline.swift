import ArgumentParser
import Foundation
import TransformerPrograms

extension TProg {
    /// `tprog baseline`: the paper's simple baselines on the NLP tasks.
    struct Baseline: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "The simple baselines of the NLP tasks: the unigram tagger (ner) or multinomial Naive Bayes (trec, mr, subj, sst2).",
            discussion: "Scores every split: entity precision, recall and F1 for ner (the test set also unfiltered), accuracy for classification.")

        @Option(help: "The task: ner, trec, mr, subj or sst2.") var task: String
        @OptionGroup(title: "NLP tasks") var nlp: NLPDataArguments
        @Flag(help: "Print one JSON object.") var json = false

        struct Score: Encodable {
            var accuracy: Double
            var precision: Double?
            var recall: Double?
            var f1: Double?
        }

        func run() throws {
            guard let nlpTask = NLPTask(rawValue: task) else {
                throw usageError("unknown NLP task '\(task)'; expected one of \(NLPTask.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            var options = NLPOptions.defaults(for: nlpTask)
            let data = try nlp.load(nlpTask, options: &options).dataset
            // With --unknown-shapes the baselines see words as the models do: a word outside the
            // vocabulary is its shape symbol (the paper's baselines use every training word).
            let vocabulary = data.vocabulary, shapes = options.unknownShapes
            let view: ([String]) -> [String] = { shapes ? vocabulary.reading($0) : $0 }
            let train = data.train.map { Example(tokens: view($0.tokens), labels: $0.labels) }
            let predict: ([String]) -> [String]
            if nlpTask.isTagging {
                let tagger = UnigramTagger(training: train)
                // Specials keep their <pad> label; words get their most frequent training tag.
                predict = { tokens in view(tokens).map { $0 == "<s>" || $0 == "</s>" ? "<pad>" : tagger.tag([$0])[0] } }
            } else {
                let classifier = NaiveBayesClassifier(training: train)
                predict = { classifier.predict(view($0)) }
            }
            var scores: [(String, Score)] = []
            let sets: [(String, [Example])] = [("train", data.train), ("val", data.val), ("test", data.test)]
                + (nlpTask.isTagging ? [("test (unfiltered)", data.testUnfiltered)] : [])
            for (name, examples) in sets {
                let gold = examples.map(\.labels), predicted = examples.map { predict($0.tokens) }
                if nlpTask.isTagging {
                    let scored = zip(gold, predicted).map { g, p in
                        (g.indices.filter { g[$0] != "<pad>" }.map { g[$0] }, g.indices.filter { g[$0] != "<pad>" }.map { p[$0] })
                    }
                    let e = try EntityScore(gold: scored.map(\.0), predicted: scored.map(\.1))
                    scores.append((name, Score(accuracy: try LabelAccuracy.tokens(gold: gold, predicted: predicted),
                                               precision: e.precision, recall: e.recall, f1: e.f1)))
                } else {
                    scores.append((name, Score(accuracy: try LabelAccuracy.sequences(gold: gold, predicted: predicted))))
                }
            }
            if json {
                print(try JSONCoding.line(Dictionary(uniqueKeysWithValues: scores)))
                return
            }
            print(nlpTask.isTagging ? "unigram tagger on \(task)" : "multinomial Naive Bayes on \(task)")
            for (name, s) in scores {
                var line = name.padding(toLength: 18, withPad: " ", startingAt: 0) + String(format: "accuracy %.2f%%", s.accuracy * 100)
                if let p = s.precision, let r = s.recall, let f = s.f1 {
                    line += String(format: "   P %.2f  R %.2f  F1 %.2f", p * 100, r * 100, f * 100)
                }
                print(line)
            }
            if shapes && nlpTask.isTagging {
                // How often the words each shape stands for are entity words: what the shapes tell.
                print("unknown words by shape: words (share inside an entity)")
                for (name, examples) in [("train", data.train), ("test", data.test)] {
                    var words: [String: (all: Int, entity: Int)] = [:]
                    for e in examples {
                        for (word, tag) in zip(e.tokens, e.labels) where tag != Special.pad && vocabulary.id(word) == nil {
                            let shape = UnknownShape.symbol(of: word)
                            words[shape, default: (0, 0)].all += 1
                            if tag != "O" { words[shape, default: (0, 0)].entity += 1 }
                        }
                    }
                    let cells = (UnknownShape.symbols + [Special.unk]).map { shape in
                        let n = words[shape] ?? (0, 0)
                        return "\(shape) \(n.all) (" + String(format: "%.0f%%", 100 * Double(n.entity) / Double(max(n.all, 1))) + ")"
                    }
                    print(name.padding(toLength: 18, withPad: " ", startingAt: 0) + cells.joined(separator: "  "))
                }
            }
        }
    }
}
