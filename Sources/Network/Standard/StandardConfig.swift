/// The shape of a ``StandardTransformer``: the paper's baseline (reference §3.6).
///
/// The architecture fields have the original's command-line meaning (`--d_model`, `--n_layers`,
/// `--n_heads`, `--d_mlp`, `--dropout`); the task fields (vocabulary, classes, length, causal,
/// pooled) come from the data set.
///
/// ```swift
/// // reverse at the paper's RASP baseline setting (hidden 256, 3 layers, 8 heads)
/// let config = StandardConfig(dModel: 256, layers: 3, heads: 8, dMLP: 256, causal: false,
///                             vocabularySize: 8, classCount: 6, maskedClasses: [0], maxLength: 8)
/// ```
public struct StandardConfig: Codable, Sendable, Equatable {
    /// The MLP non-linearity.
    public enum Activation: String, Codable, Sendable, CaseIterable {
        /// `max(x, 0)`: PyTorch's `TransformerEncoderLayer` default, and what the original uses.
        case relu
        /// The tanh approximation of GeLU (``Autograd/Tape/gelu(_:)``; within 5e-4 of the exact one).
        case gelu
    }

    /// Width of the residual stream (`d_model`).
    public var dModel: Int
    /// Number of encoder layers.
    public var layers: Int
    /// Attention heads per layer; each is `dModel / heads` wide.
    public var heads: Int
    /// Hidden width of every MLP (`d_mlp`, PyTorch's `dim_feedforward`).
    public var dMLP: Int
    /// Dropout rate of the embeddings, attention weights, MLP hidden units and residual branches
    /// while training (PyTorch's `TransformerEncoderLayer(dropout:)` plus the original's
    /// embedding dropout).
    public var dropout: Float
    /// The MLP non-linearity.
    public var activation: Activation
    /// Whether a query sees only keys at or before it.
    public var causal: Bool
    /// Sentence classification: one label per sequence, at position 0, predicted from the mean
    /// of the per-position logits over the sequence's non-`<pad>` positions.
    public var pooled: Bool
    /// Token vocabulary size, including `<pad>` (id 0).
    public var vocabularySize: Int
    /// Number of output classes, including `<pad>` (id 0).
    public var classCount: Int
    /// Classes whose logits are −∞ (never predicted): `<pad>`, and `<unk>` unless it is a label.
    public var maskedClasses: [Int]
    /// The longest sequence (the number of learned positions).
    public var maxLength: Int

    public init(dModel: Int = 64, layers: Int = 2, heads: Int = 2, dMLP: Int, dropout: Float = 0,
                activation: Activation = .relu, causal: Bool, pooled: Bool = false, vocabularySize: Int,
                classCount: Int, maskedClasses: [Int] = [0], maxLength: Int) {
        self.dModel = dModel
        self.layers = layers
        self.heads = heads
        self.dMLP = dMLP
        self.dropout = dropout
        self.activation = activation
        self.causal = causal
        self.pooled = pooled
        self.vocabularySize = vocabularySize
        self.classCount = classCount
        self.maskedClasses = maskedClasses
        self.maxLength = maxLength
    }

    /// The width of one head, `dModel / heads`.
    public var headWidth: Int { dModel / max(heads, 1) }

    /// Checks that the configuration can be built; the message names the problem.
    public func validate() throws(ConfigError) {
        try ConfigError.check("d-model", dModel, in: 1...(1 << 16))
        try ConfigError.check("layers", layers, in: 0...1_000)
        try ConfigError.check("heads", heads, in: 1...(1 << 16))
        if dModel % heads != 0 {
            throw ConfigError("d-model (\(dModel)) must be a multiple of the number of heads (\(heads))")
        }
        try ConfigError.check("d-mlp", dMLP, in: 1...(1 << 20))
        if !(dropout >= 0 && dropout < 1) { throw ConfigError("dropout must be in [0, 1) (got \(dropout))") }
        if vocabularySize < 1 { throw ConfigError("the vocabulary must not be empty") }
        try ConfigError.checkTask(maxLength: maxLength, classCount: classCount, maskedClasses: maskedClasses)
        try ConfigError.checkParameters(parameterCount, remedy: "use fewer layers or a smaller d-model, d-mlp or vocabulary")
        let cells = activationCells
        if cells > Double(Self.maxActivationCells) {
            throw ConfigError("the model is too long and wide to train here: layers × (heads × length² + length × (4·d-model + d-mlp)) is \(Int(cells)), more than \(Self.maxActivationCells) (about 1 GB of memory): use shorter sequences, fewer layers or heads, or a smaller d-model")
        }
    }

    /// The largest ``activationCells`` accepted. Memory grows with it (an evaluation batch holds
    /// 500 sequences): reverse with sequences of 128 (147,456 cells) peaked at 0.68 GB, of 256
    /// (425,984 cells) at 1.86 GB.
    public static let maxActivationCells = 250_000

    /// `layers × (heads·N² + N·(4d + d_mlp))` for `N` = ``maxLength``: what one sequence keeps
    /// per step (every layer's attention weights, and its activations at every position).
    public var activationCells: Double {
        let n = Double(maxLength), d = Double(dModel)
        return Double(max(layers, 0)) * (Double(heads) * n * n + n * (4 * d + Double(dMLP)))
    }

    /// The number of trainable parameters (as a `Double`, so absurd configurations cannot
    /// overflow): embeddings `(V + N)·d`; per layer two LayerNorms `4d`, attention `4d² + 4d`, the
    /// MLP `2d·d_mlp + d_mlp + d`; the unembedding `d·C`.
    public var parameterCount: Double {
        let d = Double(dModel), m = Double(dMLP)
        let layer = 4 * d + 4 * d * d + 4 * d + 2 * d * m + m + d
        return (Double(vocabularySize) + Double(maxLength)) * d + Double(max(layers, 0)) * layer + d * Double(classCount)
    }
}
