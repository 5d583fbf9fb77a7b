/// What training needs from a data set, synthetic (``TaskDataset``) or real (``NLPDataset``):
/// the examples of each split, the vocabularies and the sequence geometry.
public protocol LabeledDataset: Sendable {
    /// The task's name (`sort`, `ner`, …).
    var name: String { get }
    /// The training, validation and test examples.
    var train: [Example] { get }
    var val: [Example] { get }
    var test: [Example] { get }
    /// Token symbols; id 0 is `<pad>`.
    var vocabulary: Vocabulary { get }
    /// Labels; id 0 is `<pad>`.
    var labels: Vocabulary { get }
    /// The padded length `N`.
    var maxLength: Int { get }
    /// Whether attention must be causal.
    var causal: Bool { get }
    /// Whether each sequence has one label, at position 0, predicted from the mean of the
    /// per-position logits (sentence classification).
    var pooled: Bool { get }
}

extension LabeledDataset {
    /// The examples of `split`.
    public func examples(_ split: Split) -> [Example] {
        switch split {
        case .train: return train
        case .val: return val
        case .test: return test
        }
    }

    /// The examples of `split` as padded id matrices of width ``maxLength``; tokens outside the
    /// vocabulary become `<unk>` (or, in an NLP data set read with unknown shapes, their
    /// ``UnknownShape`` symbol).
    public func encoded(_ split: Split) throws -> EncodedSplit {
        try EncodedSplit(examples(split), vocabulary: vocabulary, labels: labels, length: maxLength)
    }
}

extension TaskDataset: LabeledDataset {
    public var name: String { task.rawValue }
    public var pooled: Bool { false }
}

extension NLPDataset: LabeledDataset {}
