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

    /// Checks that the configuration can be built; the message names the problem. Counts have
    /// upper bounds that keep ``parameterCount`` quick to compute, then the count itself is bounded.
    public func validate() throws(ConfigError) {
        try ConfigError.check("layers", layers, in: 1...1_000)
        for (name, v) in [("cat-heads", catHeads), ("num-heads", numHeads), ("cat-mlps", catMLPs), ("num-mlps", numMLPs),
                          ("n-vars-cat", embeddingVariables)] {
            try ConfigError.check(name, v, in: 0...1_000)
        }
        try ConfigError.check("d-mlp", mlpWidth, in: 1...(1 << 20))
        try ConfigError.check("d-var", varWidth, in: 2...ProgramConfig.maxVarWidth)
        if maxLength > varWidth {
            throw ConfigError("positions need d-var ≥ sequence length: d-var is \(varWidth), sequences are \(maxLength) long")
        }
        if embeddingVariables == 0 && vocabularySize > varWidth {
            throw ConfigError("one-hot tokens need d-var ≥ vocabulary size: d-var is \(varWidth), the vocabulary has \(vocabularySize) tokens")
        }
        try ConfigError.checkTask(maxLength: maxLength, classCount: classCount, maskedClasses: maskedClasses)
        if vocabularySize < 2 { throw ConfigError("the vocabulary needs a token besides <pad> (it has \(vocabularySize))") }
        try ConfigError.checkParameters(parameterCount, remedy: "use fewer layers, heads, MLPs or a smaller d-var, d-mlp or vocabulary")
        let cells = activationCells
        if cells > Double(Self.maxActivationCells) {
            throw ConfigError("the model is too deep and wide to train here: layers × stream width × length is \(Int(cells)), more than \(Self.maxActivationCells) (about 1 GB of memory): use fewer layers, heads or MLPs")
        }
    }

    /// The most parameters a configuration may have (about 800 MB of training state).
    public static let maxParameters = 50_000_000
    /// The widest categorical variables (`--d-var`); programs wider than this are refused too.
    public static let maxVarWidth = 1 << 16
    /// The largest ``activationCells`` accepted. Training memory grows with it: hist with 50
    /// layers (686,800 cells) held 1.06 GB a minute into its first epoch, with 100 layers
    /// (2,733,600) 2.6 GB.
    public static let maxActivationCells = 1_000_000

    /// `layers × (C·k + N) × maxLength`, with `C` and `N` the stream's categorical and numerical
    /// variables: a rough measure of what one training step keeps in memory (every layer's
    /// modules read, and their backward passes write, a stream this wide at every position).
    /// Sort's paper configuration: 3 × 221 × 8 = 5,304.
    public var activationCells: Double {
        let l = Double(max(layers, 0))
        let cat = Double(max(embeddingVariables, 1)) + 1 + l * Double(catHeads + catMLPs + numMLPs)
        let num = 1 + l * Double(numHeads)
        return l * (cat * Double(varWidth) + num) * Double(maxLength)
    }

    /// The number of trainable parameters (as a `Double`, so absurd configurations cannot overflow):
    /// per layer `l`, with `c_l` categorical and `n_l` numerical variables before it, a categorical
    /// head has `3c_l + k²`, a numerical head `2c_l + n_l + k²`, an MLP reading `v` variables of
    /// width `w` has `2v + d·2w + d + k·d + k`; the classifier `(C·k + N)·classes`; factored
    /// embeddings `vocabulary·m·k`. Sort's paper configuration: 17,718.
    public var parameterCount: Double {
        let k = Double(varWidth), d = Double(mlpWidth)
        let tokens = Double(max(embeddingVariables, 1))
        let perLayerCat = Double(catHeads + catMLPs + numMLPs), perLayerNum = Double(numHeads)
        var total = embeddingVariables > 0 ? Double(vocabularySize) * Double(embeddingVariables) * k : 0
        for l in 0..<max(layers, 0) {
            let c = tokens + 1 + Double(l) * perLayerCat, n = 1 + Double(l) * perLayerNum
            total += Double(catHeads) * (3 * c + k * k)
            total += Double(numHeads) * (2 * c + n + k * k)
            let mlp = { (variables: Double, width: Double) in 2 * variables + d * 2 * width + d + k * d + k }
            total += Double(catMLPs) * mlp(c + Double(catHeads), k)
            total += Double(numMLPs) * mlp(n + Double(numHeads), 1)
        }
        let cat = tokens + 1 + Double(max(layers, 0)) * perLayerCat, num = 1 + Double(max(layers, 0)) * perLayerNum
        return total + (cat * k + num) * Double(classCount)
    }
}

/// A configuration that cannot be built.
public struct ConfigError: Error, CustomStringConvertible, Sendable, Equatable {
    public let description: String
    public init(_ description: String) { self.description = description }

    /// Throws unless `value` lies in `range`: `layers must be at least 1 (got -1)`,
    /// `d-var must be at most 65536 (got 100000)`.
    public static func check(_ name: String, _ value: Int, in range: ClosedRange<Int>) throws(ConfigError) {
        if value < range.lowerBound { throw ConfigError("\(name) must be at least \(range.lowerBound) (got \(value))") }
        if value > range.upperBound { throw ConfigError("\(name) must be at most \(range.upperBound) (got \(value))") }
    }

    /// Throws unless `value` is a positive, finite number: `lr must be positive (got -1.0)`,
    /// `lr must be finite (got inf)`.
    public static func checkPositive(_ name: String, _ value: Float) throws(ConfigError) {
        if !(value > 0) { throw ConfigError("\(name) must be positive (got \(value))") }
        if !value.isFinite { throw ConfigError("\(name) must be finite (got \(value))") }
    }

    /// Throws when a model would have more than ``ProgramConfig/maxParameters`` parameters;
    /// `remedy` says what to shrink.
    public static func checkParameters(_ count: Double, remedy: String) throws(ConfigError) {
        guard count > Double(ProgramConfig.maxParameters) else { return }
        throw ConfigError("the model would have \(Int(count)) parameters, more than the \(ProgramConfig.maxParameters) allowed (about 16 bytes each with their gradients and Adam's moments): \(remedy)")
    }

    /// The checks every model configuration shares: a sequence length, at least one label
    /// besides `<pad>`, masked classes among the classes and not all of them.
    static func checkTask(maxLength: Int, classCount: Int, maskedClasses: [Int]) throws(ConfigError) {
        if classCount < 2 { throw ConfigError("the task needs at least one label besides <pad>") }
        if maxLength < 1 { throw ConfigError("the sequence length must be at least 1 (got \(maxLength))") }
        if let bad = maskedClasses.first(where: { $0 < 0 || $0 >= classCount }) {
            throw ConfigError("masked class \(bad) outside 0..<\(classCount)")
        }
        if Set(maskedClasses).count >= classCount { throw ConfigError("every class is masked") }
    }
}
