/// One input sequence and its per-position targets, as strings.
///
/// `tokens` and `labels` have the same length; positions that are not scored carry the label
/// `<pad>`. For `sort`:
///
/// ```
/// tokens: <s>    3 1 2 </s>
/// labels: <pad>  1 2 3 <pad>
/// ```
public struct Example: Sendable, Codable, Equatable, Hashable {
    /// The input, including the special tokens (`<s>` first).
    public var tokens: [String]
    /// One target per token; `<pad>` where the position is not scored.
    public var labels: [String]

    /// Creates an example from its tokens and labels (of the same length).
    public init(tokens: [String], labels: [String]) {
        self.tokens = tokens
        self.labels = labels
    }
}
