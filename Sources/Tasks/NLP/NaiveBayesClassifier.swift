import Foundation

/// The paper's bag-of-words baseline for classification (reference §5.5, Table 6): multinomial
/// Naive Bayes on unigram counts with Laplace smoothing, scored in log space.
///
/// For classes `c`, training sentences `d` and the training lexicon `V` (every distinct word):
///
/// ```
/// log P(c)      = log( #sentences of c / #sentences )
/// log P(w | c)  = log( (count(w, c) + α) / (Σ_v count(v, c) + α·|V|) )
/// predict(d)    = argmax_c  log P(c) + Σ_{w ∈ d, w ∈ V} log P(w | c)      (with repeats)
/// ```
///
/// Words never seen in training are ignored (as scikit-learn's `CountVectorizer` does); ties go
/// to the first class in Python string order. Worked example, α = 1:
///
/// ```
/// training:  "good fun" → pos,  "good" → pos,  "bad" → neg        V = {good, fun, bad}
/// pos: prior 2/3; P(good) = (2+1)/(3+3) = 1/2, P(fun) = 2/6, P(bad) = 1/6
/// neg: prior 1/3; P(good) = (0+1)/(1+3) = 1/4, P(fun) = 1/4, P(bad) = 2/4
/// "good bad": pos 2/3 · 1/2 · 1/6 = 0.0556,  neg 1/3 · 1/4 · 2/4 = 0.0417  → pos
/// ```
///
/// ```swift
/// let nb = NaiveBayesClassifier(training: data.train)            // pooled examples
/// nb.classify(["<s>", "good", "bad", "</s>"])                    // "pos"
/// let predicted = data.test.map { nb.predict($0.tokens) }        // [label, <pad>, …]
/// try LabelAccuracy.sequences(gold: data.test.map(\.labels), predicted: predicted)
/// ```
///
/// It reads pooled ``Example``s: the words are the tokens other than `<s>`, `</s>` and `<pad>`,
/// the class is the label at position 0.
public struct NaiveBayesClassifier: Sendable {
    /// The classes, in Python string order.
    public let classes: [String]
    /// `log P(c)` per class, in ``classes`` order.
    public let logPriors: [Double]
    /// `log P(w | c)` per training word, one value per class in ``classes`` order.
    public let logLikelihoods: [String: [Double]]
    /// The smoothing constant α.
    public let alpha: Double

    /// Counts the words of every class in `examples` (pooled: label at position 0), smoothing
    /// with `alpha` (> 0; Laplace is 1).
    public init(training examples: [Example], alpha: Double = 1) {
        let labelled = examples.compactMap { e in e.labels.first.map { (Self.words(e.tokens), $0) } }
        classes = Set(labelled.map(\.1)).sorted(by: Vocabulary.pythonOrder)
        let classIndex = Dictionary(uniqueKeysWithValues: classes.enumerated().map { ($1, $0) })
        var sentences = [Int](repeating: 0, count: classes.count)
        var totals = [Int](repeating: 0, count: classes.count)
        var counts: [String: [Int]] = [:]
        for (words, label) in labelled {
            let c = classIndex[label]!
            sentences[c] += 1
            totals[c] += words.count
            for word in words {
                counts[word, default: [Int](repeating: 0, count: classes.count)][c] += 1
            }
        }
        let lexicon = Double(counts.count)
        let denominators = totals.map { log(Double($0) + alpha * lexicon) }
        logLikelihoods = counts.mapValues { perClass in
            perClass.enumerated().map { c, n in log(Double(n) + alpha) - denominators[c] }
        }
        logPriors = sentences.map { log(Double($0)) - log(Double(labelled.count)) }
        self.alpha = alpha
    }

    /// `log P(c) + Σ log P(w | c)` per class, in ``classes`` order.
    public func logScores(_ tokens: [String]) -> [Double] {
        var scores = logPriors
        for word in Self.words(tokens) {
            guard let values = logLikelihoods[word] else { continue }
            for c in scores.indices { scores[c] += values[c] }
        }
        return scores
    }

    /// The most probable class of `tokens` (specials ignored); `<unk>` when trained on nothing.
    public func classify(_ tokens: [String]) -> String {
        let scores = logScores(tokens)
        guard var best = scores.indices.first else { return Special.unk }
        for c in scores.indices where scores[c] > scores[best] { best = c }
        return classes[best]
    }

    /// The pooled label sequence of `tokens`: the class at position 0, `<pad>` elsewhere.
    public func predict(_ tokens: [String]) -> [String] {
        tokens.isEmpty ? [] : [classify(tokens)] + Array(repeating: Special.pad, count: tokens.count - 1)
    }

    private static func words(_ tokens: [String]) -> [String] {
        tokens.filter { $0 != Special.bos && $0 != Special.eos && $0 != Special.pad }
    }
}
