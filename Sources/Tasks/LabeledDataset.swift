/// What training needs from a data set, synthetic (``TaskDataset``) or real (``NLPDataset``):
/// the examples of each split, the vocabularies and the sequence geometry.
public protocol LabeledDataset: Sendable {
    /// The task's name (`sort`, `ner`, …).
    var name: String { get }
    /// The examples of a split.
    func examples(_ split: Split) -> [Example]
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

extension TaskDataset: LabeledDataset {
    public var name: String { task.rawValue }
    public var pooled: Bool { false }
}

extension NLPDataset: LabeledDataset {}
