import Foundation
import Testing
import Tasks

/// The paper's baselines on tiny data whose answers are computed by hand in the comments.
@Suite("NLP baselines")
struct NLPBaselineTests {
    /// A tagging example `<s> words </s>` / `<pad> tags <pad>` from `word/TAG` pairs.
    static func tagged(_ text: String) -> Example {
        let pairs = text.split(separator: " ").map { $0.split(separator: "/").map(String.init) }
        return Example(tokens: ["<s>"] + pairs.map { $0[0] } + ["</s>"],
                       labels: ["<pad>"] + pairs.map { $0[1] } + ["<pad>"])
    }

    /// A pooled example: `<s> words </s>`, the label at position 0.
    static func pooled(_ words: String, _ label: String) -> Example {
        let w = words.split(separator: " ").map(String.init)
        return Example(tokens: ["<s>"] + w + ["</s>"], labels: [label] + Array(repeating: "<pad>", count: w.count + 1))
    }

    @Test("unigram tagger: each word's most frequent tag; unseen words get the overall most frequent")
    func unigram() throws {
        // Paris: B-LOC ×2, B-PER ×1 → B-LOC. Tags overall: O ×4, B-LOC ×2, B-PER ×1 → O.
        let tagger = UnigramTagger(training: [
            Self.tagged("Paris/B-LOC is/O nice/O"),
            Self.tagged("Paris/B-PER left/O"),
            Self.tagged("in/O Paris/B-LOC"),
        ])
        #expect(tagger.defaultTag == "O")
        #expect(tagger.tags == ["Paris": "B-LOC", "is": "O", "nice": "O", "left": "O", "in": "O"])
        #expect(tagger.tag(["<s>", "Paris", "is", "big", "</s>"]) == ["O", "B-LOC", "O", "O", "O"])
    }

    @Test("unigram tagger: ties go to the tag seen first, for a word and overall")
    func unigramTies() {
        // Jordan: B-PER then B-LOC, once each → B-PER. Overall: B-PER 1, B-LOC 2, O 2 → B-LOC.
        let tie = UnigramTagger(training: [Self.tagged("Jordan/B-PER x/B-LOC"), Self.tagged("Jordan/B-LOC y/O z/O")])
        #expect(tie.tags["Jordan"] == "B-PER")      // 1 : 1, B-PER seen first
        #expect(tie.defaultTag == "B-LOC")          // B-LOC 2, O 2, B-PER 1: B-LOC seen first
        #expect(UnigramTagger(training: []).defaultTag == "O")
    }

    @Test("unigram tagger scored end to end: P 1/2, R 1/2 on a hand-made test sentence")
    func unigramScore() throws {
        let tagger = UnigramTagger(training: [Self.tagged("Anna/B-PER Smith/I-PER visited/O old/O Rome/B-LOC today/O")])
        let gold = Self.tagged("Anna/B-PER Lee/I-PER saw/O Rome/B-LOC")
        let predicted = tagger.tag(gold.tokens)   // Anna B-PER, Lee O (unseen), saw O, Rome B-LOC
        #expect(predicted == ["O", "B-PER", "O", "O", "B-LOC", "O"])
        let score = try EntityScore(gold: [gold.labels], predicted: [predicted])
        #expect(score == EntityScore(correct: 1, predictedCount: 2, goldCount: 2))   // PER 1..<2 ≠ 1..<3
        #expect(try LabelAccuracy.tokens(gold: [gold.labels], predicted: [predicted]) == 0.75)
    }

    @Test("Naive Bayes: priors and Laplace-smoothed likelihoods as computed by hand")
    func naiveBayesNumbers() throws {
        // V = {good, fun, bad}. pos: 2 sentences, 3 words; neg: 1 sentence, 1 word.
        let nb = NaiveBayesClassifier(training: [
            Self.pooled("good fun", "pos"), Self.pooled("good", "pos"), Self.pooled("bad", "neg"),
        ])
        #expect(nb.classes == ["neg", "pos"])
        #expect(nb.alpha == 1)
        let close = { (a: [Double], b: [Double]) in zip(a, b).allSatisfy { abs($0 - $1) < 1e-12 } && a.count == b.count }
        #expect(close(nb.logPriors, [log(1.0 / 3), log(2.0 / 3)]))
        #expect(close(nb.logLikelihoods["good"]!, [log(1.0 / 4), log(3.0 / 6)]))
        #expect(close(nb.logLikelihoods["fun"]!, [log(1.0 / 4), log(2.0 / 6)]))
        #expect(close(nb.logLikelihoods["bad"]!, [log(2.0 / 4), log(1.0 / 6)]))
        // "good bad": neg 1/3 · 1/4 · 2/4 = 0.0417, pos 2/3 · 1/2 · 1/6 = 0.0556 → pos.
        #expect(close(nb.logScores(["<s>", "good", "bad", "</s>"]),
                      [log(1.0 / 3 * 1 / 4 * 2 / 4), log(2.0 / 3 * 1 / 2 * 1 / 6)]))
        #expect(nb.classify(["<s>", "good", "bad", "</s>"]) == "pos")
        // "bad bad": neg 1/3 · 1/4 = 0.0833, pos 2/3 · 1/36 = 0.0185 → neg.
        #expect(nb.classify(["bad", "bad"]) == "neg")
        // Unseen words are ignored: the prior decides.
        #expect(nb.classify(["<s>", "meh", "</s>"]) == "pos")
        #expect(nb.predict(["<s>", "bad", "bad", "</s>"]) == ["neg", "<pad>", "<pad>", "<pad>"])
    }

    @Test("Naive Bayes: ties go to the first class in string order; α changes the smoothing")
    func naiveBayesTies() {
        let nb = NaiveBayesClassifier(training: [Self.pooled("a", "y"), Self.pooled("a", "x")])
        #expect(nb.classes == ["x", "y"])
        #expect(nb.classify(["a"]) == "x")
        // α = 0.5: pos P(good) = (2 + 0.5) / (3 + 1.5).
        let smooth = NaiveBayesClassifier(training: [
            Self.pooled("good fun", "pos"), Self.pooled("good", "pos"), Self.pooled("bad", "neg"),
        ], alpha: 0.5)
        #expect(abs(smooth.logLikelihoods["good"]![1] - log(2.5 / 4.5)) < 1e-12)
        #expect(NaiveBayesClassifier(training: []).classify(["a"]) == "<unk>")
    }
}
