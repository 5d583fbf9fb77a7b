@testable import Programs

/// Small hand-made programs, built with the public initialisers.
///
/// - ``tiny``: one layer, two categorical heads and two categorical MLPs, every table written out
///   by hand so the emitted text and the statistics can be checked by eye.
/// - ``bidirectional``: two layers with categorical and numerical heads, categorical and
///   numerical MLPs (one reading a variable twice), token- and position-typed values, symbols
///   that need quoting, and a classifier whose weights make near-ties: Float32 sums, or Float64
///   sums in another order, pick other labels on some inputs.
/// - ``causal``: a Dyck-like causal program whose vocabulary has `<unk>`.
/// - ``mislabelled``: ``tiny`` with a wrong value type.
/// - ``thresholds``: numerical MLPs whose outputs change at thresholds of their inputs, which the
///   emitter writes as boxes of input ranges.
/// - ``ablated``: ``bidirectional`` with a categorical and a numerical head that match no key and
///   two MLPs that return one constant (as `tprog ablate` leaves them), which the emitter writes
///   as one line each.
enum Fixtures {
    static let all: [(name: String, program: Program)] = [("tiny", tiny), ("bidirectional", bidirectional),
                                                          ("causal", causal), ("mislabelled", mislabelled),
                                                          ("thresholds", thresholds), ("ablated", ablated)]

    static let ablated: Program = {
        var program = bidirectional
        program.task = "ablated"
        for module in [ProgramAblation.Module.head(0, 0), .head(1, 1), .mlp(0, 0, constant: 2), .mlp(1, 1, constant: 7)] {
            program = ProgramAblation.ablating(program, module)
        }
        return program
    }()

    /// ``tiny`` with a head output typed as a number though it holds tokens: the Python shows
    /// values as the lists really hold them, so it still runs exactly.
    static let mislabelled: Program = {
        var program = tiny
        program.variables[2].type = .number
        return program
    }()

    // MARK: - tiny

    static let tiny: Program = {
        let variables = [
            Variable(name: "tokens", kind: .categorical, type: .token, values: [1, 2, 3]),
            Variable(name: "positions", kind: .categorical, type: .position, values: [0, 1, 2, 3]),
            Variable(name: "attn_0_0_outputs", kind: .categorical, type: .token, values: [1, 2, 3]),
            Variable(name: "attn_0_1_outputs", kind: .categorical, type: .position, values: [0, 1, 2, 3]),
            Variable(name: "mlp_0_0_outputs", kind: .categorical, type: .number, values: [0, 1, 2]),
            Variable(name: "mlp_0_1_outputs", kind: .categorical, type: .number, values: [0, 1]),
            Variable(name: "ones", kind: .numerical, type: .number, values: [1]),
        ]
        let heads = [
            // Key 0 (<pad>) is never a key: position 3's branch is dropped.
            Head(name: "attn_0_0", kind: .categorical, query: "positions", key: "tokens", value: "tokens",
                 output: "attn_0_0_outputs", predicate: [2, 3, 2, 0]),
            // Every token accepts <s>: a single `return`.
            Head(name: "attn_0_1", kind: .categorical, query: "tokens", key: "tokens", value: "positions",
                 output: "attn_0_1_outputs", predicate: [nil, 1, 1, 1]),
        ]
        let mlps = [
            MLP(name: "mlp_0_0", numerical: false, inputs: ["attn_0_0_outputs", "attn_0_1_outputs"],
                output: "mlp_0_0_outputs",
                table: [.init(inputs: [1, 0], output: 1), .init(inputs: [2, 3], output: 1),
                        .init(inputs: [3, 1], output: 2)],
                defaultOutput: 0),
            // One variable twice: the off-diagonal row can never happen and is dropped.
            MLP(name: "mlp_0_1", numerical: false, inputs: ["tokens", "tokens"], output: "mlp_0_1_outputs",
                table: [.init(inputs: [2, 2], output: 1), .init(inputs: [2, 3], output: 1),
                        .init(inputs: [3, 3], output: 1)],
                defaultOutput: 0),
        ]
        let classifier = Classifier(
            classes: [1, 2],
            categorical: [
                .init(variable: "tokens", rows: [.init(value: 1, weights: [1, 0]), .init(value: 2, weights: [0, 1]),
                                                 .init(value: 3, weights: [0.5, 0.5])]),
                .init(variable: "mlp_0_0_outputs", rows: [.init(value: 0, weights: [0, 0]),
                                                          .init(value: 1, weights: [0.25, 0]),
                                                          .init(value: 2, weights: [0, 0.25])]),
                .init(variable: "mlp_0_1_outputs", rows: [.init(value: 0, weights: [0, 0]),
                                                          .init(value: 1, weights: [0.1, 0])]),
            ],
            numerical: [.init(variable: "ones", weights: [0, 0.125])])
        return Program(task: "tiny", causal: false, maxLength: 4, varWidth: 4,
                       vocabulary: ["<pad>", "<s>", "a", "b"], labels: ["<pad>", "x", "y"],
                       variables: variables, layers: [Layer(heads: heads, mlps: mlps)], classifier: classifier)
    }()

    // MARK: - bidirectional

    static let bidirectional: Program = {
        let k = 8, n = 6
        let tokens = Array(1...5), positions = Array(0..<n)
        var b = Builder(k: k, maxLength: n)
        b.variable("tokens", .categorical, .token, tokens)
        b.variable("positions", .categorical, .position, positions)
        b.variable("ones", .numerical, .number, [1])

        b.head("attn_0_0", query: "positions", key: "tokens", value: "tokens", seed: 1)
        b.head("attn_0_1", query: "tokens", key: "tokens", value: "positions", seed: 2)
        b.head("num_attn_0_0", query: "positions", key: "tokens", value: "ones", seed: 3)
        b.mlp("mlp_0_0", inputs: ["attn_0_0_outputs", "positions"], outputs: [0, 2, 5], type: .number, seed: 4)
        b.mlp("num_mlp_0_0", inputs: ["num_attn_0_0_outputs", "num_attn_0_0_outputs"], outputs: [1, 3, 6],
              type: .number, seed: 5)
        b.endLayer()
        b.head("attn_1_0", query: "mlp_0_0_outputs", key: "attn_0_0_outputs", value: "attn_0_1_outputs", seed: 6)
        b.head("num_attn_1_0", query: "mlp_0_0_outputs", key: "num_mlp_0_0_outputs", value: "num_attn_0_0_outputs",
               seed: 7)
        b.mlp("mlp_1_0", inputs: ["attn_1_0_outputs", "num_mlp_0_0_outputs"], outputs: [1, 3, 4], type: .token,
              seed: 8)
        b.mlp("num_mlp_1_0", inputs: ["num_attn_1_0_outputs", "ones"], outputs: [0, 1, 2, 7], type: .number,
              seed: 9)
        b.endLayer()

        // Coarse weights (multiples of 0.5) tie often; fine ones (2^-30: lost in Float32 sums
        // of size 1; 2^-53: kept or lost in Float64 depending on the order) decide.
        b.weights([("tokens", .coarse), ("positions", .fine30), ("attn_0_0_outputs", .coarse),
                   ("attn_0_1_outputs", .fine53), ("mlp_0_0_outputs", .coarse), ("num_mlp_0_0_outputs", .fine53),
                   ("attn_1_0_outputs", .coarse), ("mlp_1_0_outputs", .fine30), ("num_mlp_1_0_outputs", .fine53)],
                  numerical: [("ones", .coarse), ("num_attn_0_0_outputs", .fine53), ("num_attn_1_0_outputs", .fine30)],
                  classes: 3, seed: 10)
        return b.program(task: "bidirectional", causal: false,
                         vocabulary: ["<pad>", "<s>", "a", "b", "q\"uo\\te", "é"],
                         labels: ["<pad>", "x", "y", "z \"w\""])
    }()

    // MARK: - causal

    static let causal: Program = {
        let k = 8, n = 8
        var b = Builder(k: k, maxLength: n)
        b.variable("tokens", .categorical, .token, [1, 2, 3, 4])
        b.variable("positions", .categorical, .position, Array(0..<n))
        b.variable("ones", .numerical, .number, [1])
        b.head("attn_0_0", query: "positions", key: "positions", value: "tokens", seed: 11)
        b.head("num_attn_0_0", query: "tokens", key: "tokens", value: "ones", seed: 12)
        b.head("num_attn_0_1", query: "positions", key: "tokens", value: "ones", seed: 13)
        b.mlp("mlp_0_0", inputs: ["attn_0_0_outputs", "tokens"], outputs: [0, 3, 6], type: .number, seed: 14)
        b.mlp("num_mlp_0_0", inputs: ["num_attn_0_0_outputs", "num_attn_0_1_outputs"], outputs: [2, 4, 5],
              type: .number, seed: 15)
        b.endLayer()
        b.head("attn_1_0", query: "mlp_0_0_outputs", key: "num_mlp_0_0_outputs", value: "positions", seed: 16)
        b.head("attn_1_1", query: "attn_0_0_outputs", key: "tokens", value: "attn_0_0_outputs", seed: 17)
        b.mlp("mlp_1_0", inputs: ["attn_1_0_outputs", "attn_1_1_outputs"], outputs: [1, 2, 3], type: .token,
              seed: 18)
        b.endLayer()
        b.weights([("tokens", .coarse), ("positions", .fine30), ("mlp_0_0_outputs", .coarse),
                   ("num_mlp_0_0_outputs", .fine53), ("attn_1_0_outputs", .coarse), ("mlp_1_0_outputs", .coarse)],
                  numerical: [("ones", .fine53), ("num_attn_0_0_outputs", .coarse), ("num_attn_0_1_outputs", .fine30)],
                  classes: 3, seed: 19)
        return b.program(task: "causal", causal: true, vocabulary: ["<pad>", "<s>", "(", ")", "<unk>"],
                         labels: ["<pad>", "F", "P", "T"])
    }()
}

extension Fixtures {
    // MARK: - thresholds

    static let thresholds: Program = {
        let n = 7
        var b = Builder(k: 8, maxLength: n)
        b.variable("tokens", .categorical, .token, [1, 2, 3])
        b.variable("positions", .categorical, .position, Array(0..<n))
        b.variable("ones", .numerical, .number, [1])
        b.head("num_attn_0_0", query: "tokens", key: "tokens", value: "ones", seed: 21)
        b.head("num_attn_0_1", query: "positions", key: "tokens", value: "ones", seed: 22)
        // Two inputs: 2 where x > y, 5 where x + y ≥ 9 otherwise, else 0 (with a hole at (1, 0)).
        b.mlp("num_mlp_0_0", inputs: ["num_attn_0_0_outputs", "num_attn_0_1_outputs"], type: .number) { x, y in
            x == 1 && y == 0 ? 0 : x > y ? 2 : x + y >= 9 ? 5 : 0
        }
        // One input, read twice: runs of equal outputs.
        b.mlp("num_mlp_0_1", inputs: ["num_attn_0_1_outputs", "num_attn_0_1_outputs"], type: .number) { x, _ in
            x < 2 ? 1 : x < 4 ? 3 : x < 6 ? 6 : 4
        }
        b.endLayer()
        b.weights([("tokens", .coarse), ("positions", .coarse), ("num_mlp_0_0_outputs", .coarse),
                   ("num_mlp_0_1_outputs", .coarse)],
                  numerical: [("ones", .coarse), ("num_attn_0_0_outputs", .fine30)], classes: 3, seed: 23)
        return b.program(task: "thresholds", causal: false, vocabulary: ["<pad>", "<s>", "a", "b"],
                         labels: ["<pad>", "x", "y", "z"])
    }()
}

/// Builds a program layer by layer from seeded pseudo-random predicates and tables, tracking each
/// variable's value set the way ``ValueRanges`` does.
struct Builder {
    enum Scale { case coarse, fine30, fine53 }

    let k: Int, maxLength: Int
    var categorical: [Variable] = [], numerical: [Variable] = []
    var layers: [Layer] = []
    var heads: [Head] = [], mlps: [MLP] = []
    var classifier = Classifier(classes: [], categorical: [], numerical: [])

    init(k: Int, maxLength: Int) {
        self.k = k
        self.maxLength = maxLength
    }

    /// A deterministic hash of `values` (SplitMix64 steps).
    static func mix(_ values: Int...) -> Int {
        var h: UInt64 = 0x9E37_79B9_7F4A_7C15
        for v in values {
            h = (h ^ UInt64(bitPattern: Int64(v))) &* 0xBF58_476D_1CE4_E5B9
            h ^= h >> 31
            h = h &* 0x94D0_49BB_1331_11EB
            h ^= h >> 29
        }
        return Int(h % 1_000_003)
    }

    func values(_ name: String) -> [Int] {
        (categorical + numerical).first { $0.name == name }!.values
    }

    mutating func variable(_ name: String, _ kind: Variable.Kind, _ type: Variable.ValueType, _ values: [Int]) {
        let v = Variable(name: name, kind: kind, type: type, values: values)
        if kind == .categorical { categorical.append(v) } else { numerical.append(v) }
    }

    /// A head whose predicate maps each query value to a pseudo-random key value: mostly one the key
    /// variable takes, sometimes none (nil) or one it never takes; unreachable query values get
    /// stray entries, which the emitter must drop.
    mutating func head(_ name: String, query: String, key: String, value: String, seed: Int) {
        let queries = Set(values(query)), keys = values(key)
        let unreachableKey = (0..<k).first { !keys.contains($0) }
        let predicate: [Int?] = (0..<k).map { q in
            let r = Self.mix(seed, q)
            if !queries.contains(q) { return r % 3 == 0 ? nil : keys[r % keys.count] }
            if r % 9 == 0 { return nil }
            if r % 9 == 1, let unreachableKey { return unreachableKey }
            return keys[(r / 9) % min(keys.count, 3)]  // few distinct keys: branches group
        }
        let numericalHead = numerical.contains { $0.name == value }
        let output = name + "_outputs"
        if numericalHead {
            let sums = ValueRanges.sums(of: values(value), atMost: maxLength)
            variable(output, .numerical, .number, sums)
        } else {
            let v = categorical.first { $0.name == value }!
            variable(output, .categorical, v.type, v.values)
        }
        heads.append(Head(name: name, kind: numericalHead ? .numerical : .categorical, query: query, key: key,
                          value: value, output: output, predicate: predicate))
    }

    /// An MLP over every reachable input pair with pseudo-random outputs from `outputs`; the most
    /// frequent output is the default.
    mutating func mlp(_ name: String, inputs: [String], outputs: [Int], type: Variable.ValueType, seed: Int) {
        let a = values(inputs[0]), b = values(inputs[1])
        let pairs: [[Int]] = inputs[0] == inputs[1] ? a.map { [$0, $0] } : a.flatMap { x in b.map { [x, $0] } }
        let results = pairs.map { outputs[Self.mix(seed, $0[0], $0[1]) % outputs.count] }
        table(name, inputs: inputs, pairs: pairs, results: results, type: type)
    }

    /// Appends the MLP giving `results[i]` for `pairs[i]`, its most frequent output as the default.
    mutating func table(_ name: String, inputs: [String], pairs: [[Int]], results: [Int], type: Variable.ValueType) {
        let counts = Dictionary(results.map { ($0, 1) }, uniquingKeysWith: +)
        let fallback = counts.max { ($0.value, -$0.key) < ($1.value, -$1.key) }!.key
        let table = zip(pairs, results).filter { $1 != fallback }.map { MLP.Entry(inputs: $0, output: $1) }
        let output = name + "_outputs"
        variable(output, .categorical, type, Set(results).sorted())
        mlps.append(MLP(name: name, numerical: numerical.contains { $0.name == inputs[0] }, inputs: inputs,
                        output: output, table: table, defaultOutput: fallback))
    }

    /// An MLP over every reachable input pair with outputs from `f`; the most frequent output is
    /// the default.
    mutating func mlp(_ name: String, inputs: [String], type: Variable.ValueType, _ f: (Int, Int) -> Int) {
        let a = values(inputs[0]), b = values(inputs[1])
        let pairs: [[Int]] = inputs[0] == inputs[1] ? a.map { [$0, $0] } : a.flatMap { x in b.map { [x, $0] } }
        table(name, inputs: inputs, pairs: pairs, results: pairs.map { f($0[0], $0[1]) }, type: type)
    }

    mutating func endLayer() {
        layers.append(Layer(heads: heads, mlps: mlps))
        heads = []
        mlps = []
    }

    static func weight(_ scale: Scale, _ seed: Int...) -> Float {
        let r = mix(seed.reduce(17) { $0 &* 31 &+ $1 })
        switch scale {
        case .coarse: return Float(r % 5 - 2) * 0.5
        case .fine30: return Float(r % 3 - 1) * 0x1p-30
        case .fine53: return Float(r % 3 - 1) * 0x1p-53
        }
    }

    mutating func weights(_ tables: [(String, Scale)], numerical tables2: [(String, Scale)], classes: Int, seed: Int) {
        let categorical = tables.enumerated().map { t, table in
            Classifier.CategoricalTable(variable: table.0, rows: values(table.0).map { v in
                .init(value: v, weights: (0..<classes).map { Self.weight(table.1, seed, t, v, $0) })
            })
        }
        let numerical = tables2.enumerated().map { t, table in
            Classifier.NumericalTable(variable: table.0,
                                      weights: (0..<classes).map { Self.weight(table.1, seed, 100 + t, $0) })
        }
        classifier = Classifier(classes: Array(1...classes), categorical: categorical, numerical: numerical)
    }

    func program(task: String, causal: Bool, vocabulary: [String], labels: [String]) -> Program {
        Program(task: task, causal: causal, maxLength: maxLength, varWidth: k, vocabulary: vocabulary, labels: labels,
                variables: categorical + numerical, layers: layers, classifier: classifier)
    }
}
