/// The disentangled residual stream: the named variables and where each module reads and writes.
///
/// Categorical variables, in order: `tokens` (or the `m` factored embedding variables
/// `var0_embeddings … var{m−1}_embeddings`), `positions`, then for each layer `l` its heads
/// `attn_l_h_outputs`, its MLPs `mlp_l_m_outputs` and its numerical MLPs `num_mlp_l_m_outputs`.
/// Numerical variables: `ones`, then for each layer `num_attn_l_h_outputs`. Every categorical
/// variable is a one-hot block of width `k`; every numerical one a scalar.
///
/// Example (1 layer, 1 + 1 heads, 1 + 1 MLPs): categorical `tokens, positions, attn_0_0_outputs,
/// mlp_0_0_outputs, num_mlp_0_0_outputs`; numerical `ones, num_attn_0_0_outputs`.
public struct StreamLayout: Sendable, Equatable {
    public let config: ProgramConfig
    /// Names of the categorical variables, in stream order.
    public let catNames: [String]
    /// Names of the numerical variables, in stream order.
    public let numNames: [String]

    public init(_ config: ProgramConfig) {
        self.config = config
        let m = config.embeddingVariables
        var cat = (m > 0 ? (0..<m).map { "var\($0)_embeddings" } : ["tokens"]) + ["positions"]
        var num = ["ones"]
        for l in 0..<config.layers {
            cat += (0..<config.catHeads).map { "attn_\(l)_\($0)_outputs" }
            cat += (0..<config.catMLPs).map { "mlp_\(l)_\($0)_outputs" }
            cat += (0..<config.numMLPs).map { "num_mlp_\(l)_\($0)_outputs" }
            num += (0..<config.numHeads).map { "num_attn_\(l)_\($0)_outputs" }
        }
        catNames = cat
        numNames = num
    }

    /// The token variables: the `m` embedding variables, or the one `tokens` variable.
    public var tokenVariables: Int { max(config.embeddingVariables, 1) }
    /// Slot of `positions`.
    public var positionSlot: Int { tokenVariables }
    /// Categorical variables that exist when layer `l` starts (what its heads read).
    public func catInput(layer l: Int) -> Int {
        tokenVariables + 1 + l * (config.catHeads + config.catMLPs + config.numMLPs)
    }
    /// Numerical variables that exist when layer `l` starts (what its heads read).
    public func numInput(layer l: Int) -> Int { 1 + l * config.numHeads }
    /// Slot of categorical head `h` of layer `l`.
    public func catHeadSlot(layer l: Int, _ h: Int) -> Int { catInput(layer: l) + h }
    /// Slot of numerical head `h` of layer `l`.
    public func numHeadSlot(layer l: Int, _ h: Int) -> Int { numInput(layer: l) + h }
    /// Categorical variables a categorical MLP of layer `l` reads (includes this layer's heads).
    public func catMLPInput(layer l: Int) -> Int { catInput(layer: l) + config.catHeads }
    /// Numerical variables a numerical MLP of layer `l` reads (includes this layer's heads).
    public func numMLPInput(layer l: Int) -> Int { numInput(layer: l) + config.numHeads }
    /// Slot of categorical MLP `m` of layer `l`.
    public func catMLPSlot(layer l: Int, _ m: Int) -> Int { catMLPInput(layer: l) + m }
    /// Slot of numerical MLP `m` of layer `l`.
    public func numMLPSlot(layer l: Int, _ m: Int) -> Int { catMLPInput(layer: l) + config.catMLPs + m }
    /// Total categorical variables.
    public var catCount: Int { catNames.count }
    /// Total numerical variables.
    public var numCount: Int { numNames.count }
}
