import Tasks

/// Runs a ``Program`` on token sequences (the semantics are documented on ``Program``).
///
/// The program is compiled once into flat arrays (variable slots, predicate arrays, dense MLP
/// tables, per-value classifier rows), so a run is a few table look-ups per position:
///
/// ```swift
/// let interpreter = try Interpreter(program)
/// try interpreter.run(["<s>", "3", "1", "2", "</s>"])   // ["<pad>", "1", "2", "3", "<pad>"]
/// ```
public struct Interpreter: Sendable {
    public let program: Program

    struct CompiledHead: Sendable {
        var numerical: Bool
        var query: Int, key: Int, value: Int, output: Int
        var predicate: [Int]          // accepted key value per query value; −1: none
    }
    struct CompiledMLP: Sendable {
        var a: Int, b: Int, output: Int
        var fallback: Int
        var rangeA: Int, rangeB: Int  // dense table over 0 ..< rangeA × 0 ..< rangeB
        var dense: [Int32]            // −1: the default
        var sparse: [Int64: Int]      // used when the dense table would be too large
    }
    let names: [String]
    let numericalSlot: [Bool]
    let heads: [[CompiledHead]]
    let mlps: [[CompiledMLP]]
    /// The program's vocabulary: token ids, and the id an unknown token reads as.
    let vocabulary: Vocabulary
    /// Slots of the input variables: `tokens` (or −1), `positions`, `ones` (or −1), and each
    /// embedding variable with its word → value table.
    let tokensSlot: Int, positionsSlot: Int, onesSlot: Int
    let embeddingSlots: [(slot: Int, values: [Int])]
    /// Classifier rows, flat: categorical table `t` (of `catSlots`) has the weights of value `v` at
    /// `catWeights[(t·k + v)·C ..< +C]`, present when `catReachable[t·k + v]`; numerical table `t`
    /// has its weights at `numWeights[t·C ..< +C]`.
    let catSlots: [Int], catWeights: [Double], catReachable: [Bool]
    let numSlots: [Int], numWeights: [Double]

    /// Compiles `program`; throws when it refers to unknown variables or is malformed.
    public init(_ program: Program) throws {
        self.program = program
        guard program.format == Program.format else {
            throw ProgramError("not a tprog program (format \"\(program.format)\")")
        }
        guard program.version <= Program.currentVersion else {
            throw ProgramError("program version \(program.version) is newer than this tprog understands (\(Program.currentVersion))")
        }
        let names = program.variables.map(\.name)
        var index: [String: Int] = [:]
        for (i, n) in names.enumerated() {
            if index[n] != nil { throw ProgramError("variable \(n) is defined twice") }
            index[n] = i
        }
        func slot(_ name: String, _ context: String) throws -> Int {
            guard let i = index[name] else { throw ProgramError("\(context) refers to unknown variable \(name)") }
            return i
        }
        self.names = names
        numericalSlot = program.variables.map { $0.kind == .numerical }
        let k = program.varWidth
        heads = try program.layers.map { layer in
            try layer.heads.map { h in
                guard h.predicate.count == k else { throw ProgramError("\(h.name): predicate has \(h.predicate.count) rows, expected \(k)") }
                return CompiledHead(numerical: h.kind == .numerical, query: try slot(h.query, h.name),
                                    key: try slot(h.key, h.name), value: try slot(h.value, h.name),
                                    output: try slot(h.output, h.name), predicate: h.predicate.map { $0 ?? -1 })
            }
        }
        mlps = try program.layers.map { layer in
            try layer.mlps.map { m in
                guard m.inputs.count == 2 else { throw ProgramError("\(m.name): an MLP reads two variables") }
                let ra = (m.table.map { $0.inputs[0] }.max() ?? 0) + 1, rb = (m.table.map { $0.inputs[1] }.max() ?? 0) + 1
                var c = CompiledMLP(a: try slot(m.inputs[0], m.name), b: try slot(m.inputs[1], m.name),
                                    output: try slot(m.output, m.name), fallback: m.defaultOutput,
                                    rangeA: ra, rangeB: rb, dense: [], sparse: [:])
                for e in m.table where e.inputs.count != 2 || e.inputs.contains(where: { $0 < 0 }) {
                    throw ProgramError("\(m.name): malformed table entry \(e.inputs)")
                }
                if ra * rb <= 1 << 22 {
                    c.dense = [Int32](repeating: -1, count: ra * rb)
                    for e in m.table { c.dense[e.inputs[0] * rb + e.inputs[1]] = Int32(e.output) }
                } else {
                    for e in m.table { c.sparse[Int64(e.inputs[0]) << 32 | Int64(e.inputs[1])] = e.output }
                }
                return c
            }
        }
        vocabulary = Vocabulary(program.vocabulary)
        tokensSlot = index["tokens"] ?? -1
        guard let p = index["positions"] else { throw ProgramError("the program has no positions variable") }
        positionsSlot = p
        onesSlot = index["ones"] ?? -1
        embeddingSlots = try (program.embeddings ?? []).map { e in
            guard e.values.count == program.vocabulary.count else {
                throw ProgramError("embedding \(e.variable) has \(e.values.count) values for \(program.vocabulary.count) words")
            }
            return (try slot(e.variable, "an embedding"), e.values)
        }
        if tokensSlot < 0 && embeddingSlots.isEmpty { throw ProgramError("the program has no token variables") }
        let classes = program.classifier.classes.count
        var catSlots: [Int] = [], catWeights: [Double] = [], catReachable: [Bool] = []
        for t in program.classifier.categorical {
            catSlots.append(try slot(t.variable, "the classifier"))
            var rows = [Double](repeating: 0, count: k * classes), reachable = [Bool](repeating: false, count: k)
            for r in t.rows {
                guard r.value >= 0 && r.value < k, r.weights.count == classes else {
                    throw ProgramError("classifier row \(t.variable)=\(r.value) is malformed")
                }
                for c in 0..<classes { rows[r.value * classes + c] = Double(r.weights[c]) }
                reachable[r.value] = true
            }
            catWeights += rows
            catReachable += reachable
        }
        self.catSlots = catSlots
        self.catWeights = catWeights
        self.catReachable = catReachable
        numSlots = try program.classifier.numerical.map { t in try slot(t.variable, "the classifier") }
        numWeights = try program.classifier.numerical.flatMap { t in
            guard t.weights.count == classes else { throw ProgramError("classifier row \(t.variable) is malformed") }
            return t.weights.map(Double.init)
        }
        // Each module writes a variable it does not read, and no input variable is overwritten.
        var written = Set([tokensSlot, positionsSlot, onesSlot] + embeddingSlots.map(\.slot))
        for (l, layer) in heads.enumerated() {
            for (h, head) in layer.enumerated() where [head.query, head.key, head.value].contains(head.output)
                || !written.insert(head.output).inserted {
                throw ProgramError("\(program.layers[l].heads[h].name) overwrites the variable \(names[head.output])")
            }
            for (i, m) in mlps[l].enumerated() where m.a == m.output || m.b == m.output || !written.insert(m.output).inserted {
                throw ProgramError("\(program.layers[l].mlps[i].name) overwrites the variable \(names[m.output])")
            }
        }
    }

    /// The token ids of `tokens`; throws on `<pad>`, a sequence that is longer than the program
    /// allows, or an unknown token when the vocabulary has no `<unk>` (with the ``UnknownShape``
    /// symbols, an unknown token reads as its shape).
    public func encode(_ tokens: [String]) throws -> [Int] {
        guard tokens.count <= program.maxLength else {
            throw ProgramError("the input has \(tokens.count) tokens; the program allows at most \(program.maxLength)")
        }
        return try tokens.map { t in
            guard let id = vocabulary.id(t), id != 0 else {
                if t == Special.pad { throw ProgramError("<pad> is not an input token") }
                if let unknown = vocabulary.unknownID(t) { return unknown }
                throw ProgramError("unknown token \"\(t)\"")
            }
            return id
        }
    }

    /// The label of every position (a pooled program: the one label of the sequence).
    public func run(_ tokens: [String]) throws -> [String] {
        try run(ids: encode(tokens)).map { program.labels[$0] }
    }

    /// The label id of every position, for token ids (no `<pad>`).
    public func run(ids: [Int]) throws -> [Int] {
        var state = try execute(ids, trace: nil)
        return try classify(&state)
    }

    /// Every variable's values at every position, flat: variable `slot` at position `i` is
    /// `values[slot · n + i]`.
    struct State {
        var n: Int
        var values: [Int]
        /// The values of variable `slot`, position by position.
        func column(_ slot: Int) -> [Int] { Array(values[slot * n ..< slot * n + n]) }
    }

    /// Runs every layer over one input. `trace`, when given, receives each categorical head's
    /// selected key per query position (−1 for numerical heads).
    func execute(_ ids: [Int], trace: ((Int, Int, [Int]) -> Void)?) throws -> State {
        let n = ids.count
        var values = [Int](repeating: 0, count: names.count * n)
        let causal = program.causal
        values.withUnsafeMutableBufferPointer { buffer in
            let v = buffer.baseAddress!
            if tokensSlot >= 0 { for i in 0..<n { v[tokensSlot * n + i] = ids[i] } }
            for (slot, table) in embeddingSlots { for i in 0..<n { v[slot * n + i] = table[ids[i]] } }
            for i in 0..<n { v[positionsSlot * n + i] = i }
            if onesSlot >= 0 { for i in 0..<n { v[onesSlot * n + i] = 1 } }
            for (l, layer) in heads.enumerated() {
                for (h, head) in layer.enumerated() {
                    let q = v + head.query * n, kv = v + head.key * n, value = v + head.value * n
                    let out = v + head.output * n
                    var picked = trace == nil ? [] : [Int](repeating: -1, count: n)
                    head.predicate.withUnsafeBufferPointer { predicate in
                        for i in 0..<n {
                            let visible = causal ? i + 1 : n
                            let target = q[i] >= 0 && q[i] < predicate.count ? predicate[q[i]] : -1
                            if head.numerical {
                                var s = 0
                                if target >= 0 { for j in 0..<visible where kv[j] == target { s += value[j] } }
                                out[i] = s
                            } else {
                                let j = target < 0 ? 0 : Interpreter.selectClosest(i, visible: visible) { kv[$0] == target }
                                if !picked.isEmpty { picked[i] = j }
                                out[i] = value[j]
                            }
                        }
                    }
                    trace?(l, h, picked)
                }
                for m in mlps[l] {
                    let a = v + m.a * n, b = v + m.b * n, out = v + m.output * n
                    for i in 0..<n { out[i] = m.lookup(a[i], b[i]) }
                }
            }
        }
        return State(n: n, values: values)
    }

    /// The selection rule of a categorical head: the nearest matching key, the left one on a
    /// tie of distance, the query itself only when it is the sole match, position 0 when none.
    @inline(__always)
    static func selectClosest(_ i: Int, visible: Int, matches: (Int) -> Bool) -> Int {
        var best = -1
        var d = 1
        while i - d >= 0 || i + d < visible {
            if i - d >= 0 && i - d < visible && matches(i - d) { best = i - d; break }
            if i + d < visible && matches(i + d) { best = i + d; break }
            d += 1
        }
        if best >= 0 { return best }
        return i < visible && matches(i) ? i : 0
    }

    /// The label of every position, or (pooled) the one label of the sequence.
    func classify(_ state: inout State) throws -> [Int] {
        let classes = program.classifier.classes
        let c = classes.count, n = state.n, k = program.varWidth
        var logits = [Double](repeating: 0, count: c)
        var total = [Double](repeating: 0, count: c)
        var perPosition = [Int](repeating: 0, count: n)
        try state.values.withUnsafeBufferPointer { values in
            try catWeights.withUnsafeBufferPointer { weights in
                for i in 0..<n {
                    for j in 0..<c { logits[j] = 0 }
                    for (t, slot) in catSlots.enumerated() {
                        let value = values[slot * n + i]
                        guard value >= 0 && value < k, catReachable[t * k + value] else {
                            throw ProgramError("\(names[slot]) took the value \(value), which is not in its value set")
                        }
                        let row = (t * k + value) * c
                        for j in 0..<c { logits[j] += weights[row + j] }
                    }
                    for (t, slot) in numSlots.enumerated() {
                        let x = Double(values[slot * n + i])
                        for j in 0..<c { logits[j] += x * numWeights[t * c + j] }
                    }
                    for j in 0..<c { total[j] += logits[j] }
                    perPosition[i] = Interpreter.firstMaximum(logits)
                }
            }
        }
        if program.pooled {
            let mean = total.map { $0 / Double(max(n, 1)) }
            return [classes.isEmpty ? 0 : classes[Interpreter.firstMaximum(mean)]]
        }
        return perPosition.map { classes.isEmpty ? 0 : classes[$0] }
    }

    /// The index of the first largest value.
    static func firstMaximum(_ x: [Double]) -> Int {
        var best = 0
        for c in 1..<max(x.count, 1) where x[c] > x[best] { best = c }
        return best
    }
}

extension Interpreter.CompiledMLP {
    @inline(__always)
    func lookup(_ x: Int, _ y: Int) -> Int {
        if dense.isEmpty {
            return sparse[Int64(x) << 32 | Int64(y)] ?? fallback
        }
        guard x >= 0, y >= 0, x < rangeA, y < rangeB else { return fallback }
        let o = dense[x * rangeB + y]
        return o < 0 ? fallback : Int(o)
    }
}

/// A program that cannot be read or run.
public struct ProgramError: Error, CustomStringConvertible, Sendable {
    public let description: String
    public init(_ description: String) { self.description = description }
}
