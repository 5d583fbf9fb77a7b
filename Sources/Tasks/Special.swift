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

    /// Why `tokens` cannot be an input of a model trained on a task, or nil when it can: every
    /// input a task draws starts with `<s>` and holds it nowhere else, and the heads fall back to
    /// position 0 as the beginning, so anything else would be labelled without meaning.
    ///
    /// ```swift
    /// Special.inputProblem(["<s>", "3", "1"])   // nil
    /// Special.inputProblem(["3", "1"])          // "the input must start with <s> …"
    /// ```
    public static func inputProblem(_ tokens: [String]) -> String? {
        guard let first = tokens.first, first == bos else {
            return "the input must start with <s>, as every input the model was trained on does (it starts with \"\(tokens.first ?? "")\")"
        }
        if let i = tokens.dropFirst().firstIndex(of: bos) { return "<s> may only begin the input, but it is also at position \(i)" }
        return nil
    }
}
