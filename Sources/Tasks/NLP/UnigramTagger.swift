/// The paper's NER baseline (reference §5.4, Table 2): tag each word with its most frequent tag
/// in the training data, and a word never seen in training with the most frequent tag overall.
///
/// Training reads the scored positions of tagging ``Example``s (labels other than `<pad>`), so
/// `<s>` and `</s>` are unseen words. Ties go to the tag seen first (for that word, or overall).
///
/// ```
/// training:  Paris/B-LOC is/O nice/O  ·  Paris/B-PER left/O  ·  in/O Paris/B-LOC
/// model:     Paris → B-LOC (2 of 3), is, nice, left, in → O; unseen → O (4 of 7 tags)
/// ```
///
/// ```swift
/// let tagger = UnigramTagger(training: data.train)
/// tagger.tag(["<s>", "Paris", "is", "big", "</s>"])   // ["O", "B-LOC", "O", "O", "O"]
/// let predicted = data.test.map { tagger.tag($0.tokens) }
/// let score = try EntityScore(gold: data.test.map(\.labels), predicted: predicted)
/// ```
///
/// Words are compared exactly as the dataset normalised them, over the whole training lexicon
/// (not only the `vocabSize` words the model sees).
public struct UnigramTagger: Sendable {
    /// Each training word's most frequent tag.
    public let tags: [String: String]
    /// The most frequent training tag, given to unseen words (`O` when training is empty).
    public let defaultTag: String

    /// Counts the tags of every scored position of `examples`.
    public init(training examples: [Example]) {
        var wordCounts: [String: [String: Int]] = [:]
        var tagCounts: [String: Int] = [:]
        var wordFirst: [String: [String]] = [:]     // per word, its tags in order of first sight
        var tagFirst: [String] = []
        for example in examples {
            for (word, tag) in zip(example.tokens, example.labels) where tag != Special.pad {
                if wordCounts[word, default: [:]][tag] == nil { wordFirst[word, default: []].append(tag) }
                wordCounts[word, default: [:]][tag, default: 0] += 1
                if tagCounts[tag] == nil { tagFirst.append(tag) }
                tagCounts[tag, default: 0] += 1
            }
        }
        func mostFrequent(_ counts: [String: Int], _ order: [String]) -> String? {
            var best: String? = nil
            for tag in order where best == nil || counts[tag]! > counts[best!]! { best = tag }
            return best
        }
        var tags: [String: String] = [:]
        for (word, counts) in wordCounts { tags[word] = mostFrequent(counts, wordFirst[word]!) }
        self.tags = tags
        defaultTag = mostFrequent(tagCounts, tagFirst) ?? "O"
    }

    /// One tag per token: the token's most frequent training tag, else ``defaultTag``.
    public func tag(_ tokens: [String]) -> [String] {
        tokens.map { tags[$0] ?? defaultTag }
    }
}
