/// The special tokens shared by every task, spelled as in the original code.
///
/// ```swift
/// Special.bos   // "<s>"   begins every sequence
/// Special.eos   // "</s>"  ends reverse and sort inputs
/// Special.pad   // "<pad>" padding, and the label of every unscored position (id 0)
/// Special.unk   // "<unk>" induction's "not seen yet" label
/// ```
public enum Special {
    /// Beginning of sequence, `<s>`.
    public static let bos = "<s>"
    /// End of sequence, `</s>`.
    public static let eos = "</s>"
    /// Padding, `<pad>`: always id 0 in a ``Vocabulary`` built for a task.
    public static let pad = "<pad>"
    /// Unknown, `<unk>`.
    public static let unk = "<unk>"
}
