import Autograd

/// The standard Transformer: the paper's baseline (SPEC §1, reference §3.6).
///
/// ```
/// x⁰ = dropout(√d · E_tok[tokens] + E_pos[positions])
/// xˡ = EncoderLayer(xˡ⁻¹)                 pre-LayerNorm, l = 1 … L (no final LayerNorm)
/// logits = x^L · W_U                      masked classes at −∞
/// ```
/// With ``StandardConfig/pooled``, the logits of sequence `s` are the mean of its per-position
/// logits over its non-`<pad>` positions (computed as the classifier of the mean stream, which
/// is the same thing: the classifier is linear and has no bias).
///
/// There is no final LayerNorm, as in the original (`nn.TransformerEncoder` without `norm`):
/// the classifier reads the raw residual stream, like the program model's classifier.
///
/// Differences from the original, on purpose: every head sees its own sequence's padding mask
/// (``StandardBatch``); layers are initialised independently (PyTorch's `TransformerEncoder`
/// deep-copies one layer, so all its layers start equal); the pooled mean divides by the number
/// of tokens rather than by the padded length.
///
/// ```swift
/// let model = try StandardTransformer(config: config, seed: 0)
/// let batch = StandardBatch(tokens: ids, sequences: 2, length: 8, causal: false, training: false)
/// var rng = RandomStream(seed: 0, stream: 1)
/// let logits = model(Tape(recording: false), batch, rng: &rng)     // [2·8, C]
/// ```
public final class StandardTransformer {
    public let config: StandardConfig
    public let embedding: Embedding
    public let layers: [EncoderLayer]
    public let unembedding: Unembedding

    /// A freshly initialised model; `seed` fixes every initial value.
    public init(config: StandardConfig, seed: UInt64) throws(ConfigError) {
        try config.validate()
        self.config = config
        var rng = RandomStream(seed: seed, stream: 0x57A_0DA2D)
        embedding = Embedding(vocabulary: config.vocabularySize, maxLength: config.maxLength, width: config.dModel,
                              rng: &rng)
        layers = (0..<config.layers).map { _ in EncoderLayer(config: config, rng: &rng) }
        unembedding = Unembedding(width: config.dModel, classes: config.classCount, masked: config.maskedClasses,
                                  rng: &rng)
    }

    /// Replaces the token embedding table (`[vocabulary, d_model]`, row-major), e.g. with GloVe
    /// vectors projected to `d_model`; throws when the size differs.
    public func setTokenEmbeddings(_ values: [Float]) throws(ConfigError) {
        let tokens = embedding.tokens
        guard values.count == tokens.count else {
            throw ConfigError("token embeddings: \(values.count) values for a [\(tokens.shape[0]) × \(tokens.shape[1])] table")
        }
        tokens.data.update(from: values, count: values.count)
    }

    private init(config: StandardConfig, embedding: Embedding, layers: [EncoderLayer], unembedding: Unembedding) {
        self.config = config
        self.embedding = embedding
        self.layers = layers
        self.unembedding = unembedding
    }

    /// Every trainable tensor, in a fixed order (the checkpoint order; see ``parameterNames``).
    public var parameters: [Tensor] {
        embedding.parameters + layers.flatMap(\.parameters) + unembedding.parameters
    }

    /// A name for every tensor of ``parameters``, in the same order (`embedding.tokens`,
    /// `layer0.attention.in_weight`, `layer1.mlp.down_bias`, `classifier`, …).
    public var parameterNames: [String] {
        var names = ["embedding.tokens", "embedding.positions"]
        for l in 0..<layers.count {
            names += ["norm1.gain", "norm1.bias", "attention.in_weight", "attention.in_bias", "attention.out_weight",
                      "attention.out_bias", "norm2.gain", "norm2.bias", "mlp.up_weight", "mlp.up_bias",
                      "mlp.down_weight", "mlp.down_bias"].map { "layer\(l).\($0)" }
        }
        return names + ["classifier"]
    }

    /// The number of trainable values.
    public var parameterCount: Int { parameters.reduce(0) { $0 + $1.count } }

    /// The same network with every parameter replaced by `replace(parameter)`: e.g. views of
    /// the parameters on a chunk's tape, with gradients of their own (``Autograd/Tape/leaf(sharing:grad:)``).
    public func mapParameters(_ replace: (Tensor) -> Tensor) -> StandardTransformer {
        StandardTransformer(config: config, embedding: embedding.mapParameters(replace),
                            layers: layers.map { $0.mapParameters(replace) },
                            unembedding: unembedding.mapParameters(replace))
    }

    /// The class logits of `batch`: `[S·N, C]`, one row per position, or `[S, C]` when
    /// ``StandardConfig/pooled``. Dropout (when `batch.training` and the rate is positive) draws
    /// from `rng`.
    public func callAsFunction(_ tape: Tape, _ batch: StandardBatch, rng: inout RandomStream) -> Tensor {
        precondition(batch.causal == config.causal, "a \(batch.causal ? "causal" : "bidirectional") batch for a "
                     + "\(config.causal ? "causal" : "bidirectional") model")
        let p = config.dropout
        var x = tape.dropout(embedding(tape, batch), rate: p, rng: &rng, training: batch.training)
        for layer in layers { x = layer(tape, x, batch: batch, dropout: p, rng: &rng) }
        if config.pooled { x = tape.tokenMean(x, tokens: batch.tokens, divisor: batch.poolDivisor) }
        return unembedding(tape, x)
    }
}
