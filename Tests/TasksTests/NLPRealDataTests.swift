import Foundation
import Testing
import Tasks

/// Smoke test on the real data sets of `../shared/data` (skipped, saying so, where that folder is
/// absent, as in a user's clone): every file reads with the sentence counts of its README, and
/// both baselines beat the trivial predictor. Prints the baseline numbers:
///
/// ```
/// swift test --filter TasksTests.NLPRealDataTests 2>&1 | grep baseline
/// ```
@Suite("NLP real data (../shared/data)", .enabled(if: NLPDataset.defaultDataDirectory != nil,
                                                 "../shared/data is absent: real-data smoke test skipped"))
struct NLPRealDataTests {
    static let folder = NLPDataset.defaultDataDirectory ?? ""

    static func path(_ file: String) -> String { folder + "/" + file }

    @Test("every file reads with the sentence counts of data/README.md")
    func counts() throws {
        let ner = try ["train", "dev", "test"].map { try TaggedSentence.readCoNLL(Self.path("wnut17/\($0).conll")).count }
        #expect(ner == [3_394, 1_009, 1_287])
        let trec = try ["train", "test"].map { try LabeledSentence.readTREC(Self.path("trec/\($0).txt")) }
        #expect(trec.map(\.count) == [5_452, 500])
        #expect(Set(trec[0].map(\.label)) == ["ABBR", "DESC", "ENTY", "HUM", "LOC", "NUM"])
        let mr = try ["positive", "negative"].map {
            try LabeledSentence.readLines(Self.path("mr/\($0).txt"), label: $0, encoding: .latin1).count
        }
        #expect(mr == [5_331, 5_331])
        let subj = try ["subjective", "objective"].map {
            try LabeledSentence.readLines(Self.path("subj/\($0).txt"), label: $0, encoding: .latin1).count
        }
        #expect(subj == [5_000, 5_000])
        let sst2 = try ["train", "dev", "test"].map { try LabeledSentence.readLabelFirst(Self.path("sst2/\($0).txt")) }
        #expect(sst2.map(\.count) == [6_920, 872, 1_821])
        #expect(Set(sst2.joined().map(\.label)) == ["0", "1"])
    }

    /// WNUT-17 is built of *emerging* entities: none of the 1,079 test entities occurs as an
    /// entity in the training data (checked independently), so a word-memorising tagger scores
    /// an F1 of about 1–2 % there, far below CoNLL-2003's 66.2, and its token accuracy stays just
    /// under all-`O`. The test asserts only that it finds some entities (F1 above zero).
    @Test("unigram tagger on WNUT-17: entity F1 above zero, filtered and unfiltered")
    func unigramNER() throws {
        let data = try NLPDataset.load(.ner, dataDirectory: Self.folder)
        #expect(data.train.count + data.val.count > 0 && data.testUnfiltered.count == 1_287)
        #expect(data.test.count < data.testUnfiltered.count)
        let tagger = UnigramTagger(training: data.train)
        #expect(tagger.defaultTag == "O")
        for (name, test) in [("test filtered", data.test), ("test unfiltered", data.testUnfiltered), ("val", data.val)] {
            let gold = test.map(\.labels)
            let predicted = test.map { tagger.tag($0.tokens) }
            let score = try EntityScore(gold: gold, predicted: predicted)
            let accuracy = try LabelAccuracy.tokens(gold: gold, predicted: predicted)
            let allO = try LabelAccuracy.tokens(gold: gold, predicted: test.map { $0.tokens.map { _ in "O" } })
            print(String(format: "baseline unigram ner %@ (%d sentences): P %.1f R %.1f F1 %.1f, token accuracy %.2f (all-O %.2f)",
                         name, test.count, 100 * score.precision, 100 * score.recall, 100 * score.f1,
                         100 * accuracy, 100 * allO))
            #expect(score.correct > 0 && score.f1 > 0)
            #expect(accuracy > 0.9 * allO)
        }
    }

    @Test("Naive Bayes beats the majority class on every classification test set",
          arguments: [NLPTask.trec, .mr, .subj, .sst2])
    func naiveBayes(task: NLPTask) throws {
        let data = try NLPDataset.load(task, dataDirectory: Self.folder)
        let expected: [NLPTask: Int] = [.trec: 500, .mr: 1_067, .subj: 1_000, .sst2: 1_821]
        #expect(data.testUnfiltered.count == expected[task])
        let nb = NaiveBayesClassifier(training: data.train)
        let gold = data.test.map(\.labels)
        let accuracy = try LabelAccuracy.sequences(gold: gold, predicted: data.test.map { nb.predict($0.tokens) })
        let unfiltered = try LabelAccuracy.sequences(gold: data.testUnfiltered.map(\.labels),
                                                     predicted: data.testUnfiltered.map { nb.predict($0.tokens) })
        let valAccuracy = try LabelAccuracy.sequences(gold: data.val.map(\.labels),
                                                      predicted: data.val.map { nb.predict($0.tokens) })
        var counts: [String: Int] = [:]
        for e in data.train { counts[e.labels[0], default: 0] += 1 }
        let majority = counts.max { $0.value < $1.value }!.key
        let majorityAccuracy = Double(data.test.filter { $0.labels[0] == majority }.count) / Double(data.test.count)
        print(String(format: "baseline naive-bayes %@ test (%d sentences): accuracy %.1f (unfiltered %.1f, val %.1f, majority class %.1f); train %d, val %d",
                     task.rawValue, data.test.count, 100 * accuracy, 100 * unfiltered, 100 * valAccuracy, 100 * majorityAccuracy,
                     data.train.count, data.val.count))
        #expect(accuracy > majorityAccuracy + 0.1)
    }
}
