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

    /// A head, with plain integers only (no arrays to retain on every run): its predicate is
    /// `predicates[predicate ..< predicate + k]`, the accepted key value per query value (−1: none).
    struct CompiledHead: Sendable {
        var numerical: Bool
        var query: Int, key: Int, value: Int, output: Int
        var predicate: Int
    }
    /// An MLP: a dense table `tables[dense ..< dense + rangeA·rangeB]` over `0 ..< rangeA × 0 ..< rangeB`
    /// (−1: the default), or, when that would be too large (`dense` = −1), the dictionary
    /// `sparseTables[sparse]`.
    struct CompiledMLP: Sendable {
        var a: Int, b: Int, output: Int
        var fallback: Int
        var rangeA: Int, rangeB: Int
        var dense: Int
        var sparse: Int
    }
    let names: [String]
    let numericalSlot: [Bool]
    let heads: [[CompiledHead]]
    let mlps: [[CompiledMLP]]
    let predicates: [Int]
    let tables: [Int32]
    let sparseTables: [[Int64: Int]]
    /// The program's vocabulary: token ids, and the id an unknown token reads as.
    let vocabulary: Vocabulary
    /// Slots of the input variables: `tokens` (or −1), `positions`, `ones` (or −1), and each
    /// embedding variable with its word → value table.
    let tokensSlot: Int, positionsSlot: Int, onesSlot: Int
    let embeddingSlots: [(slot: Int, values: [Int])]
    /// Classifier rows, flat, each `chunks` vectors of four classes (the `C` classes padded with
    /// zeros): categorical table `t` (of `catSlots`) has the weights of value `v` at
    /// `catWeights[(t·k + v)·chunks ..< +chunks]`, present when `catReachable[t·k + v]`; numerical
    /// table `t` has its weights at `numWeights[t·chunks ..< +chunks]`.
    let catSlots: [Int], catWeights: [SIMD4<Double>], catReachable: [Bool]
    let numSlots: [Int], numWeights: [SIMD4<Double>]
    let chunks: Int

    /// Compiles `program`; throws when it is malformed (``Program/validate()``, which checks
    /// every name and size the compiled form relies on).
    public init(_ program: Program) throws {
        try program.validate()
        self.program = program
        let k = program.varWidth
        let names = program.variables.map(\.name)
        let index = Dictionary(uniqueKeysWithValues: names.enumerated().map { ($1, $0) })
        self.names = names
        numericalSlot = program.variables.map { $0.kind == .numerical }
        var predicates: [Int] = []
        heads = program.layers.map { layer in
            layer.heads.map { h in
                let start = predicates.count
                predicates += h.predicate.map { $0 ?? -1 }
                return CompiledHead(numerical: h.kind == .numerical, query: index[h.query]!, key: index[h.key]!,
                                    value: index[h.value]!, output: index[h.output]!, predicate: start)
            }
        }
        self.predicates = predicates
        var tables: [Int32] = [], sparseTables: [[Int64: Int]] = []
        mlps = program.layers.map { layer in
            layer.mlps.map { m in
                let ra = (m.table.map { $0.inputs[0] }.max() ?? 0) + 1, rb = (m.table.map { $0.inputs[1] }.max() ?? 0) + 1
                var c = CompiledMLP(a: index[m.inputs[0]]!, b: index[m.inputs[1]]!, output: index[m.output]!,
                                    fallback: m.defaultOutput, rangeA: ra, rangeB: rb, dense: -1, sparse: -1)
                if ra * rb <= 1 << 22 {
                    c.dense = tables.count
                    tables += repeatElement(-1, count: ra * rb)
                    for e in m.table { tables[c.dense + e.inputs[0] * rb + e.inputs[1]] = Int32(e.output) }
                } else {
                    c.sparse = sparseTables.count
                    var sparse: [Int64: Int] = [:]
                    for e in m.table { sparse[Int64(e.inputs[0]) << 32 | Int64(e.inputs[1])] = e.output }
                    sparseTables.append(sparse)
                }
                return c
            }
        }
        self.tables = tables
        self.sparseTables = sparseTables
        vocabulary = Vocabulary(program.vocabulary)
        tokensSlot = index["tokens"] ?? -1
        positionsSlot = index["positions"]!
        onesSlot = index["ones"] ?? -1
        embeddingSlots = (program.embeddings ?? []).map { (index[$0.variable]!, $0.values) }
        let classes = program.classifier.classes.count
        let chunks = (classes + 3) / 4
        self.chunks = chunks
        /// One row of class weights as `chunks` vectors, zero past the last class.
        func vectors(_ weights: [Float]) -> [SIMD4<Double>] {
            (0..<chunks).map { ch in SIMD4((0..<4).map { ch * 4 + $0 < classes ? Double(weights[ch * 4 + $0]) : 0 }) }
        }
        var catWeights: [SIMD4<Double>] = [], catReachable: [Bool] = []
        for t in program.classifier.categorical {
            var rows = [SIMD4<Double>](repeating: SIMD4(), count: k * chunks), reachable = [Bool](repeating: false, count: k)
            for r in t.rows {
                rows.replaceSubrange(r.value * chunks ..< (r.value + 1) * chunks, with: vectors(r.weights))
                reachable[r.value] = true
            }
            catWeights += rows
            catReachable += reachable
        }
        catSlots = program.classifier.categorical.map { index[$0.variable]! }
        self.catWeights = catWeights
        self.catReachable = catReachable
        numSlots = program.classifier.numerical.map { index[$0.variable]! }
        numWeights = program.classifier.numerical.flatMap { vectors($0.weights) }
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
        let causal = program.causal, k = program.varWidth
        values.withUnsafeMutableBufferPointer { buffer in
            predicates.withUnsafeBufferPointer { predicates in
            tables.withUnsafeBufferPointer { tables in
            let v = buffer.baseAddress!
            if tokensSlot >= 0 { for i in 0..<n { v[tokensSlot * n + i] = ids[i] } }
            for (slot, table) in embeddingSlots { for i in 0..<n { v[slot * n + i] = table[ids[i]] } }
            for i in 0..<n { v[positionsSlot * n + i] = i }
            if onesSlot >= 0 { for i in 0..<n { v[onesSlot * n + i] = 1 } }
            for l in heads.indices {
                heads[l].withUnsafeBufferPointer { layer in
                    for h in layer.indices {
                        let head = layer[h]
                        let q = v + head.query * n, kv = v + head.key * n, value = v + head.value * n
                        let out = v + head.output * n
                        let predicate = predicates.baseAddress! + head.predicate
                        var picked = trace == nil ? [] : [Int](repeating: -1, count: n)
                        for i in 0..<n {
                            let visible = causal ? i + 1 : n
                            let target = q[i] >= 0 && q[i] < k ? predicate[q[i]] : -1
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
                        trace?(l, h, picked)
                    }
                }
                mlps[l].withUnsafeBufferPointer { layer in
                    for m in layer {
                        let a = v + m.a * n, b = v + m.b * n, out = v + m.output * n
                        if m.dense >= 0 {
                            let table = tables.baseAddress! + m.dense
                            for i in 0..<n {
                                let x = a[i], y = b[i]
                                guard x >= 0, y >= 0, x < m.rangeA, y < m.rangeB else { out[i] = m.fallback; continue }
                                let o = table[x * m.rangeB + y]
                                out[i] = o < 0 ? m.fallback : Int(o)
                            }
                        } else {
                            let table = sparseTables[m.sparse]
                            for i in 0..<n { out[i] = table[Int64(a[i]) << 32 | Int64(b[i])] ?? m.fallback }
                        }
                    }
                }
            }
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
    ///
    /// Each position's logits are summed in one fixed order, table by table (the categorical
    /// tables, then the numerical ones), four classes at a time: every class is still its own
    /// sum in that order, so the result is the same as one class at a time.
    func classify(_ state: inout State) throws -> [Int] {
        let classes = program.classifier.classes
        let c = classes.count, n = state.n, k = program.varWidth
        var perPosition = [Int](repeating: 0, count: n)
        // Scratch of the hot loop, as plain pointers (no bounds or uniqueness checks): the current
        // position's logits, the running total over positions, and each table's row here.
        let logits = UnsafeMutablePointer<SIMD4<Double>>.allocate(capacity: 2 * chunks), total = logits + chunks
        logits.initialize(repeating: SIMD4(), count: 2 * chunks)
        let rows = UnsafeMutablePointer<Int>.allocate(capacity: max(catSlots.count, 1))
        defer { logits.deallocate(); rows.deallocate() }
        try catWeights.withUnsafeBufferPointer { weights in try state.values.withUnsafeBufferPointer { values in
            for i in 0..<n {
                for (t, slot) in catSlots.enumerated() {
                    let value = values[slot * n + i]
                    guard value >= 0 && value < k, catReachable[t * k + value] else {
                        throw ProgramError("\(names[slot]) took the value \(value), which is not in its value set")
                    }
                    rows[t] = (t * k + value) * chunks
                }
                for ch in 0..<chunks {
                    var sum = SIMD4<Double>()
                    for t in 0..<catSlots.count { sum += weights[rows[t] + ch] }
                    for (t, slot) in numSlots.enumerated() {
                        sum += SIMD4(repeating: Double(values[slot * n + i])) * numWeights[t * chunks + ch]
                    }
                    logits[ch] = sum
                    total[ch] += sum
                }
                var best = 0
                for j in 1..<c where logits[j / 4][j % 4] > logits[best / 4][best % 4] { best = j }
                perPosition[i] = best
            }
        } }
        if program.pooled {
            let mean = (0..<c).map { total[$0 / 4][$0 % 4] / Double(max(n, 1)) }
            return [classes[Interpreter.firstMaximum(mean)]]
        }
        return perPosition.map { classes[$0] }
    }

    /// The index of the first largest value.
    static func firstMaximum(_ x: [Double]) -> Int {
        var best = 0
        for c in 1..<max(x.count, 1) where x[c] > x[best] { best = c }
        return best
    }
}

/// A program that cannot be read or run.
public struct ProgramError: Error, CustomStringConvertible, Sendable, Equatable {
    public let description: String
    public init(_ description: String) { self.description = description }
}
