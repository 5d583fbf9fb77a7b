import Tasks

extension NLPDataset {
    /// The score on the whole test set (``NLPDataset/testUnfiltered``), each
    /// sentence fitted to the model's `length` by ``Windows`` (long tagged sentences in windows put
    /// back together, long pooled ones cut): accuracy over the scored positions (the label, for
    /// pooled tasks) and, for tagging, strict entity scores over whole sentences. `predict` fills
    /// one label id per position of the encoded windows.
    public func unfilteredTestScore(length: Int, predict: (EncodedSplit, UnsafeMutablePointer<Int32>) -> Void) throws
        -> (accuracy: Double, entities: EntityScore?) {
        let sentences = testUnfiltered
        let windows = Windows(sentences, maxLength: length, pooled: pooled)
        let data = try EncodedSplit(windows.examples, vocabulary: vocabulary, labels: labels, length: length)
        var predictions = [Int32](repeating: 0, count: data.count * data.length)
        predictions.withUnsafeMutableBufferPointer { predict(data, $0.baseAddress!) }
        var gold = [[String]](repeating: [], count: sentences.count), predicted = gold
        var correct = 0, total = 0
        for (w, window) in windows.examples.enumerated() {
            let s = windows.sentence[w]
            for i in window.labels.indices where window.labels[i] != Special.pad {
                let label = labels.symbols[Int(predictions[w * data.length + i])]
                gold[s].append(window.labels[i])
                predicted[s].append(label)
                total += 1
                if label == window.labels[i] { correct += 1 }
            }
        }
        let entities = pooled ? nil : try EntityScore(gold: gold, predicted: predicted)
        return (Double(correct) / Double(max(total, 1)), entities)
    }
}

extension Trainer {
    /// The discrete model's score on the unfiltered test set, for NLP tasks (nil otherwise).
    public func discreteUnfilteredTest() throws -> RunResults.Score? {
        guard let nlp = dataset as? NLPDataset else { return nil }
        let score = try nlp.unfilteredTestScore(length: config.maxLength) { data, predictions in
            _ = evaluate(data, mode: .argmax, tau: options.tauEnd, predictions: predictions)
        }
        return RunResults.Score(accuracy: score.accuracy, entities: score.entities)
    }
}
