import Autograd
import Network

extension Program {
    /// Converts a trained network into its program: every gate, predicate row and MLP is read
    /// by argmax, the value ranges are propagated (``ValueRanges``), MLPs are tabulated over
    /// every reachable input pair with the network's own discrete arithmetic
    /// (``Discrete/mlpOutput(inWeight:inBias:outWeight:outBias:hidden:outputs:inputWidth:_:_:)``),
    /// and the classifier keeps the weights of reachable values only.
    ///
    /// - Parameters:
    ///   - vocabulary: token symbols by id (id 0 `<pad>`).
    ///   - labels: class labels by id (id 0 `<pad>`).
    public init(network model: TransformerProgram, task: String, vocabulary: [String], labels: [String]) {
        let config = model.config, layout = model.layout, k = config.varWidth
        var types: [String: Variable.ValueType] = ["positions": .position, "ones": .number]
        var values: [String: [Int]] = ["positions": Array(0..<config.maxLength), "ones": [1]]
        var embeddings: [Embedding]? = nil
        if let e = model.embedding {
            // Each word's value in each variable: the argmax of its logits.
            let m = config.embeddingVariables
            embeddings = (0..<m).map { v in
                let name = layout.catNames[v]
                let table = (0..<vocabulary.count).map { w -> Int in
                    if w == 0 { return -1 }
                    var best = 0
                    for c in 1..<k where e.logits[w * m + v, c] > e.logits[w * m + v, best] { best = c }
                    return best
                }
                types[name] = .number
                values[name] = Set(table.dropFirst()).sorted()
                return Embedding(variable: name, values: table)
            }
        } else {
            types["tokens"] = .token
            values["tokens"] = Array(1..<min(vocabulary.count, k))
        }
        func argmax(_ t: Tensor, row: Int) -> Int {
            let n = t.shape[1]
            var best = 0
            for j in 1..<n where t[row, j] > t[row, best] { best = j }
            return best
        }
        var layers: [Layer] = []
        for l in 0..<config.layers {
            var heads: [Head] = []
            for (h, head) in model.catHeads[l].enumerated() {
                let q = layout.catNames[argmax(head.read.logits, row: 0)]
                let key = layout.catNames[argmax(head.read.logits, row: 1)]
                let v = layout.catNames[argmax(head.read.logits, row: 2)]
                let name = "attn_\(l)_\(h)", output = layout.catNames[layout.catHeadSlot(layer: l, h)]
                heads.append(Head(name: name, kind: .categorical, query: q, key: key, value: v, output: output,
                                  predicate: Program.predicate(head.predicate, reachable: values[q]!, width: k)))
                types[output] = types[v]
                values[output] = values[v]
            }
            for (h, head) in model.numHeads[l].enumerated() {
                let q = layout.catNames[argmax(head.read.logits, row: 0)]
                let key = layout.catNames[argmax(head.read.logits, row: 1)]
                let v = layout.numNames[argmax(head.valueRead.logits, row: 0)]
                let name = "num_attn_\(l)_\(h)", output = layout.numNames[layout.numHeadSlot(layer: l, h)]
                heads.append(Head(name: name, kind: .numerical, query: q, key: key, value: v, output: output,
                                  predicate: Program.predicate(head.predicate, reachable: values[q]!, width: k)))
                types[output] = .number
                values[output] = ValueRanges.sums(of: values[v]!, atMost: config.maxLength)
            }
            var mlps: [MLP] = []
            let groups = [(model.catMLPs[l], false), (model.numMLPs[l], true)]
            for (group, numerical) in groups {
                for (m, mlp) in group.enumerated() {
                    let names = numerical ? layout.numNames : layout.catNames
                    let a = names[argmax(mlp.read.logits, row: 0)], b = names[argmax(mlp.read.logits, row: 1)]
                    let slot = numerical ? layout.numMLPSlot(layer: l, m) : layout.catMLPSlot(layer: l, m)
                    let output = layout.catNames[slot]
                    let table = Program.tabulate(mlp, a: values[a]!, b: values[b]!, sameInput: a == b, width: k)
                    mlps.append(MLP(name: numerical ? "num_mlp_\(l)_\(m)" : "mlp_\(l)_\(m)", numerical: numerical,
                                    inputs: [a, b], output: output, table: table.entries, defaultOutput: table.fallback))
                    types[output] = .number
                    values[output] = table.outputs
                }
            }
            layers.append(Layer(heads: heads, mlps: mlps))
        }
        let variables = layout.catNames.map { Variable(name: $0, kind: .categorical, type: types[$0]!, values: values[$0]!) }
            + layout.numNames.map { Variable(name: $0, kind: .numerical, type: types[$0]!, values: values[$0]!) }
        let classes = (0..<config.classCount).filter { !model.classifier.masked.contains($0) }
        let catTables = layout.catNames.enumerated().map { v, name in
            Classifier.CategoricalTable(variable: name, rows: values[name]!.map { value in
                Classifier.CategoricalTable.Row(value: value, weights: classes.map {
                    model.classifier.catWeight[v * k + value, $0]
                })
            })
        }
        let numTables = layout.numNames.enumerated().map { u, name in
            Classifier.NumericalTable(variable: name, weights: classes.map { model.classifier.numWeight[u, $0] })
        }
        self.init(task: task, causal: config.causal, maxLength: config.maxLength, varWidth: k,
                  vocabulary: vocabulary, labels: labels, variables: variables, layers: layers,
                  classifier: Classifier(classes: classes, categorical: catTables, numerical: numTables),
                  embeddings: embeddings, pooled: config.pooled)
    }

    /// The accepted key value of every reachable query value (argmax of its predicate row).
    static func predicate(_ logits: Tensor, reachable: [Int], width k: Int) -> [Int?] {
        var p = [Int?](repeating: nil, count: k)
        for q in reachable {
            var best = 0
            for j in 1..<k where logits[q, j] > logits[q, best] { best = j }
            p[q] = best
        }
        return p
    }

    /// An MLP's table over every reachable input pair (only equal pairs when both inputs read
    /// the same variable), its most frequent output (the default; the smallest on a tie) and
    /// the set of outputs.
    static func tabulate(_ mlp: ProgramMLP, a: [Int], b: [Int], sameInput: Bool, width k: Int)
        -> (entries: [MLP.Entry], fallback: Int, outputs: [Int]) {
        let d = mlp.inWeight.shape[0], w = mlp.inputWidth
        var all: [(Int, Int, Int)] = []
        for x in a {
            for y in (sameInput ? [x] : b) {
                let o = Discrete.mlpOutput(inWeight: mlp.inWeight.data, inBias: mlp.inBias.data,
                                           outWeight: mlp.outWeight.data, outBias: mlp.outBias.data,
                                           hidden: d, outputs: k, inputWidth: w, Float(x), Float(y))
                all.append((x, y, o))
            }
        }
        var counts: [Int: Int] = [:]
        for (_, _, o) in all { counts[o, default: 0] += 1 }
        let fallback = counts.max { ($0.value, -$0.key) < ($1.value, -$1.key) }?.key ?? 0
        let entries = all.filter { $0.2 != fallback }.map { MLP.Entry(inputs: [$0.0, $0.1], output: $0.2) }
        return (entries, fallback, Set(all.map(\.2)).sorted())
    }
}
