/// The shape of a Transformer Program: how many variables, heads and MLPs, and how wide.
///
/// Heads and MLPs are counted per layer and split by kind, as in the paper's Table 1
/// (e.g. sort: 3 layers, 4 + 4 heads, 2 + 2 MLPs, `k` = 8).
public struct ProgramConfig: Codable, Sendable, Equatable {
    /// `k` (`d_var`): the cardinality of every categorical variable.
    public var varWidth: Int
    /// Number of layers.
    public var layers: Int
    /// Categorical heads per layer.
    public var catHeads: Int
    /// Numerical heads per layer.
    public var numHeads: Int
    /// Categorical MLPs per layer.
    public var catMLPs: Int
    /// Numerical MLPs per layer.
    public var numMLPs: Int
    /// Hidden width of every MLP (`d_mlp`).
    public var mlpWidth: Int
    /// Whether attention is causal (a query sees keys at or before it only).
    public var causal: Bool
    /// Token vocabulary size, including `<pad>` (id 0).
    public var vocabularySize: Int
    /// Number of output classes, including `<pad>` (id 0).
    public var classCount: Int
    /// Classes whose logits are masked (never predicted): `<pad>`, and `<unk>` unless it is a label.
    public var maskedClasses: [Int]
    /// The padded sequence length `N` (must be at most `varWidth`).
    public var maxLength: Int
    /// `m` factored embedding variables `var0_embeddings …` (NLP); 0 for one one-hot `tokens`
    /// variable (the synthetic tasks).
    public var embeddingVariables: Int = 0
    /// Sentence classification: one label per sequence, from the mean of the per-position logits
    /// over its tokens, scored at position 0.
    public var pooled: Bool = false

    public init(varWidth: Int, layers: Int, catHeads: Int, numHeads: Int, catMLPs: Int, numMLPs: Int,
                mlpWidth: Int = 64, causal: Bool, vocabularySize: Int, classCount: Int,
                maskedClasses: [Int] = [0], maxLength: Int, embeddingVariables: Int = 0, pooled: Bool = false) {
        self.varWidth = varWidth
        self.layers = layers
        self.catHeads = catHeads
        self.numHeads = numHeads
        self.catMLPs = catMLPs
        self.numMLPs = numMLPs
        self.mlpWidth = mlpWidth
        self.causal = causal
        self.vocabularySize = vocabularySize
        self.classCount = classCount
        self.maskedClasses = maskedClasses
        self.maxLength = maxLength
        self.embeddingVariables = embeddingVariables
        self.pooled = pooled
    }

    enum CodingKeys: String, CodingKey {
        case varWidth, layers, catHeads, numHeads, catMLPs, numMLPs, mlpWidth, causal, vocabularySize, classCount,
             maskedClasses, maxLength, embeddingVariables, pooled
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        varWidth = try c.decode(Int.self, forKey: .varWidth)
        layers = try c.decode(Int.self, forKey: .layers)
        catHeads = try c.decode(Int.self, forKey: .catHeads)
        numHeads = try c.decode(Int.self, forKey: .numHeads)
        catMLPs = try c.decode(Int.self, forKey: .catMLPs)
        numMLPs = try c.decode(Int.self, forKey: .numMLPs)
        mlpWidth = try c.decode(Int.self, forKey: .mlpWidth)
        causal = try c.decode(Bool.self, forKey: .causal)
        vocabularySize = try c.decode(Int.self, forKey: .vocabularySize)
        classCount = try c.decode(Int.self, forKey: .classCount)
        maskedClasses = try c.decode([Int].self, forKey: .maskedClasses)
        maxLength = try c.decode(Int.self, forKey: .maxLength)
        embeddingVariables = try c.decodeIfPresent(Int.self, forKey: .embeddingVariables) ?? 0
        pooled = try c.decodeIfPresent(Bool.self, forKey: .pooled) ?? false
    }

    /// Checks that the configuration can be built; the message names the problem.
    public func validate() throws(ConfigError) {
        if layers < 1 { throw ConfigError("layers must be at least 1 (got \(layers))") }
        for (name, v) in [("cat-heads", catHeads), ("num-heads", numHeads), ("cat-mlps", catMLPs),
                          ("num-mlps", numMLPs)] where v < 0 {
            throw ConfigError("\(name) must not be negative (got \(v))")
        }
        if mlpWidth < 1 { throw ConfigError("d-mlp must be at least 1 (got \(mlpWidth))") }
        if varWidth < 2 { throw ConfigError("d-var must be at least 2 (got \(varWidth))") }
        if maxLength > varWidth {
            throw ConfigError("positions need d-var ≥ sequence length: d-var is \(varWidth), sequences are \(maxLength) long")
        }
        if embeddingVariables < 0 { throw ConfigError("n-vars-cat must not be negative (got \(embeddingVariables))") }
        if embeddingVariables == 0 && vocabularySize > varWidth {
            throw ConfigError("one-hot tokens need d-var ≥ vocabulary size: d-var is \(varWidth), the vocabulary has \(vocabularySize) tokens")
        }
        if classCount < 2 { throw ConfigError("the task needs at least one label besides <pad>") }
    }
}

/// A configuration that cannot be built.
public struct ConfigError: Error, CustomStringConvertible, Sendable {
    public let description: String
    public init(_ description: String) { self.description = description }
}
