/// The size of a program: lines of its Python, heads, MLPs, branches, and what each module reads.
///
/// `lines` counts every line of the emitted `program.py`. `code_lines` leaves out blank lines and
/// the classifier weights (the lines from ``PythonEmitter/weightsBegin`` to
/// ``PythonEmitter/weightsEnd``, both included): the paper's Table 4 counts its programs without
/// their CSV of weights, so this is the figure to compare with it. Branches are counted as the
/// emitter writes them: one per `if`/`elif` of a predicate (a predicate that accepts one key value
/// for every query is a single `return`, counted as one branch) and one per `if`/`elif` of an MLP
/// (its final default `return` not counted).
public struct ProgramStatistics: Codable, Sendable, Equatable {
    /// A head or an MLP and the variables it reads.
    public struct Component: Codable, Sendable, Equatable {
        /// `categorical_head`, `numerical_head`, `categorical_mlp` or `numerical_mlp`.
        public var kind: String
        /// `attn_0_1`, `num_mlp_2_0`, …
        public var name: String
        /// A head's query, key and value variables.
        public var query: String?
        public var key: String?
        public var value: String?
        /// An MLP's input variables (once when it reads one variable twice).
        public var inputs: [String]?
        public var output: String
        /// The number of branches of its predicate or table.
        public var branches: Int

        public init(kind: String, name: String, query: String? = nil, key: String? = nil, value: String? = nil,
                    inputs: [String]? = nil, output: String, branches: Int) {
            self.kind = kind
            self.name = name
            self.query = query
            self.key = key
            self.value = value
            self.inputs = inputs
            self.output = output
            self.branches = branches
        }
    }

    public var task: String
    public var layers: Int
    public var lines: Int
    public var codeLines: Int
    public var heads: Int
    public var categoricalHeads: Int
    public var numericalHeads: Int
    public var mlps: Int
    public var categoricalMLPs: Int
    public var numericalMLPs: Int
    public var predicateBranches: Int
    public var mlpBranches: Int
    public var components: [Component]

    enum CodingKeys: String, CodingKey {
        case task, layers, lines, heads, mlps, components
        case codeLines = "code_lines"
        case categoricalHeads = "categorical_heads"
        case numericalHeads = "numerical_heads"
        case categoricalMLPs = "categorical_mlps"
        case numericalMLPs = "numerical_mlps"
        case predicateBranches = "predicate_branches"
        case mlpBranches = "mlp_branches"
    }

    /// The statistics of `program`, whose emitted Python (``PythonEmitter/emit(_:version:)``) is
    /// `python`.
    public init(program: Program, python: String) {
        task = program.task
        layers = program.layers.count
        (lines, codeLines) = Self.count(python)
        let context = PythonEmitter.Context(program)
        components = program.layers.flatMap { layer in
            layer.heads.map { head in
                Component(kind: head.kind == .numerical ? "numerical_head" : "categorical_head", name: head.name,
                          query: head.query, key: head.key, value: head.value, inputs: nil, output: head.output,
                          branches: PythonEmitter.predicateBranches(head, context).count)
            } + layer.mlps.map { mlp in
                let inputs = mlp.inputs.count == 2 && mlp.inputs[0] == mlp.inputs[1] ? [mlp.inputs[0]] : mlp.inputs
                return Component(kind: mlp.numerical ? "numerical_mlp" : "categorical_mlp", name: mlp.name,
                                 query: nil, key: nil, value: nil, inputs: inputs, output: mlp.output,
                                 branches: PythonEmitter.mlpBody(mlp, context).branches)
            }
        }
        let kinds = components.map(\.kind)
        categoricalHeads = kinds.filter { $0 == "categorical_head" }.count
        numericalHeads = kinds.filter { $0 == "numerical_head" }.count
        categoricalMLPs = kinds.filter { $0 == "categorical_mlp" }.count
        numericalMLPs = kinds.filter { $0 == "numerical_mlp" }.count
        heads = categoricalHeads + numericalHeads
        mlps = categoricalMLPs + numericalMLPs
        predicateBranches = components.filter { $0.kind.hasSuffix("head") }.map(\.branches).reduce(0, +)
        mlpBranches = components.filter { $0.kind.hasSuffix("mlp") }.map(\.branches).reduce(0, +)
    }

    /// All lines of `python`, and the non-blank ones outside the classifier weights.
    static func count(_ python: String) -> (lines: Int, code: Int) {
        var all = python.split(separator: "\n", omittingEmptySubsequences: false)
        if all.last == "" { all.removeLast() }
        var code = 0
        var inWeights = false
        for line in all {
            if line.hasPrefix(PythonEmitter.weightsBegin) { inWeights = true }
            if !inWeights && !line.allSatisfy(\.isWhitespace) { code += 1 }
            if line.hasPrefix(PythonEmitter.weightsEnd) { inWeights = false }
        }
        return (all.count, code)
    }

    /// A short plain-text summary:
    ///
    /// ```
    /// program sort: 2 layers, 343 lines of Python (212 without blank lines and weights)
    /// heads  8 (4 categorical, 4 numerical), 24 predicate branches
    /// MLPs   4 (2 categorical, 2 numerical), 2 table branches
    ///
    /// attn_0_0      query tokens  key tokens  value tokens      4 branches
    /// attn_0_1      query positions  key positions  value tokens  3 branches
    /// mlp_0_0       reads positions                             1 branch
    /// …
    /// ```
    public func table() -> String {
        var out = [
            "program \(task): \(layers) layer\(layers == 1 ? "" : "s"), \(lines) lines of Python "
                + "(\(codeLines) without blank lines and weights)",
            "heads  \(heads) (\(categoricalHeads) categorical, \(numericalHeads) numerical), "
                + "\(predicateBranches) predicate branches",
            "MLPs   \(mlps) (\(categoricalMLPs) categorical, \(numericalMLPs) numerical), \(mlpBranches) table branches",
        ]
        if !components.isEmpty { out.append("") }
        let nameWidth = components.map(\.name.count).max() ?? 0
        let reads = components.map { c in
            if let inputs = c.inputs { return "reads " + inputs.joined(separator: ", ") }
            return "query \(c.query ?? "?")  key \(c.key ?? "?")  value \(c.value ?? "?")"
        }
        let readsWidth = reads.map(\.count).max() ?? 0
        for (c, r) in zip(components, reads) {
            out.append(pad(c.name, nameWidth) + "  " + pad(r, readsWidth) + "  "
                       + "\(c.branches) branch\(c.branches == 1 ? "" : "es")")
        }
        return out.joined(separator: "\n") + "\n"
    }

    private func pad(_ text: String, _ width: Int) -> String {
        text + String(repeating: " ", count: max(0, width - text.count))
    }
}
