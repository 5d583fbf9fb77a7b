/// How a discrete choice is relaxed.
///
/// Given logits `x` over `n` choices and a temperature `τ`:
/// ```
/// gumbelSoft:  y = softmax((x + g) / τ),  g ~ Gumbel(0, 1)         (training default)
/// gumbelHard:  y = onehot(argmax(x + g)); gradients as gumbelSoft   (straight-through)
/// softmax:     y = softmax(x / τ)                                    (no noise)
/// argmax:      y = onehot(argmax x), first index on a tie            (the discrete model)
/// ```
/// Example: `x = [0, ln 3]`, `τ = 1`, softmax → `[0.25, 0.75]`; argmax → `[0, 1]`.
public enum SampleMode: String, Sendable, Codable, CaseIterable {
    case gumbelSoft = "gumbel_soft"
    case gumbelHard = "gumbel_hard"
    case softmax
    case argmax

    /// Whether the mode draws Gumbel noise.
    public var isNoisy: Bool { self == .gumbelSoft || self == .gumbelHard }
    /// Whether an exactly-zero sample has an exactly-zero gradient (the soft sample is the
    /// sample itself), so its upstream gradient need not be computed.
    public var hasSparseGradient: Bool { self == .gumbelSoft || self == .softmax }
    /// Whether the mode is differentiable.
    public var isDifferentiable: Bool { self != .argmax }
}
