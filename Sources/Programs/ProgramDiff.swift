/// How two programs differ: module by module, and in what they compute.
///
/// Modules are matched by name (`attn_0_1`, `num_mlp_2_0`, …), so the structural comparison says
/// most about programs of one architecture: two builds or warm starts of a run, or seeds of a
/// task. What they compute is compared on inputs: the labels of the two programs at every scored
/// position (where the expected label is not `<pad>`; without expected labels, at every position
/// whose token is not one the caller names as never scored), and each program's accuracy when
/// there are labels.
///
/// ```swift
/// let modules = ProgramDiff.modules(a, b)          // [ModuleDifference]
/// let report = try ProgramDiff.behaviour(try Interpreter(a), try Interpreter(b),
///                                        inputs: tokens, expected: labels)
/// report.agreeingPositions, report.positions      // e.g. 8764 of 8765
/// ```
public enum ProgramDiff {
    /// One module (head or MLP) of either program, or the classifier.
    public struct ModuleDifference: Codable, Sendable, Equatable {
        public enum Status: String, Codable, Sendable { case same, changed, onlyInA = "only_in_a", onlyInB = "only_in_b" }
        /// The module's name, or `classifier`.
        public var name: String
        public var status: Status
        /// What differs, one phrase each: `reads (tokens, positions, tokens) → (tokens, tokens, tokens)`,
        /// `predicate: 3 of 8 query values`, `table: 5 of 64 input pairs`.
        public var details: [String]
    }

    /// Two programs on the same inputs.
    public struct Behaviour: Codable, Sendable, Equatable {
        public var inputs: Int
        /// Positions compared: the scored ones (every position without expected labels; one
        /// per input for pooled programs).
        public var positions: Int
        public var agreeingPositions: Int
        /// Inputs on which the two programs give the same label at every compared position.
        public var agreeingInputs: Int
        /// Compared positions where each program gives the expected label (nil without labels).
        public var correctA: Int?
        public var correctB: Int?
        /// The first disagreements, in input order.
        public var disagreements: [Disagreement]

        enum CodingKeys: String, CodingKey {
            case inputs, positions, agreeingPositions = "agreeing_positions", agreeingInputs = "agreeing_inputs",
                 correctA = "correct_a", correctB = "correct_b", disagreements
        }
    }

    /// An input on which the programs disagree, with both outputs (and the expected labels).
    public struct Disagreement: Codable, Sendable, Equatable {
        public var tokens: [String]
        public var a: [String]
        public var b: [String]
        public var expected: [String]?
    }

    /// Why two programs cannot be run on the same inputs.
    public static func incompatibility(_ a: Program, _ b: Program) -> String? {
        if a.vocabulary != b.vocabulary { return "the programs have different vocabularies, so no input means the same to both" }
        if a.labels != b.labels { return "the programs have different label sets" }
        if a.pooled != b.pooled { return "one program labels positions, the other whole sequences" }
        return nil
    }

    /// Every head and MLP of either program (A's order, then B's extra modules), and the
    /// classifier.
    public static func modules(_ a: Program, _ b: Program) -> [ModuleDifference] {
        let headsA = a.layers.flatMap(\.heads), headsB = b.layers.flatMap(\.heads)
        let mlpsA = a.layers.flatMap(\.mlps), mlpsB = b.layers.flatMap(\.mlps)
        var out: [ModuleDifference] = []
        func compare<M>(_ mineA: [M], _ mineB: [M], name: (M) -> String, details: (M, M) -> [String]) {
            let byName = Dictionary(mineB.map { (name($0), $0) }, uniquingKeysWith: { x, _ in x })
            for m in mineA {
                guard let other = byName[name(m)] else {
                    out.append(ModuleDifference(name: name(m), status: .onlyInA, details: []))
                    continue
                }
                let d = details(m, other)
                out.append(ModuleDifference(name: name(m), status: d.isEmpty ? .same : .changed, details: d))
            }
            let inA = Set(mineA.map(name))
            for m in mineB where !inA.contains(name(m)) {
                out.append(ModuleDifference(name: name(m), status: .onlyInB, details: []))
            }
        }
        compare(headsA, headsB, name: \.name) { x, y in
            var d: [String] = []
            if x.kind != y.kind { d.append("kind \(x.kind.rawValue) → \(y.kind.rawValue)") }
            if (x.query, x.key, x.value) != (y.query, y.key, y.value) {
                d.append("reads (\(x.query), \(x.key), \(x.value)) → (\(y.query), \(y.key), \(y.value))")
            }
            let rows = max(x.predicate.count, y.predicate.count)
            let changed = (0..<rows).filter { q in
                (q < x.predicate.count ? x.predicate[q] : nil) != (q < y.predicate.count ? y.predicate[q] : nil)
            }.count
            if changed > 0 { d.append("predicate: \(changed) of \(rows) query values") }
            return d
        }
        compare(mlpsA, mlpsB, name: \.name) { x, y in
            var d: [String] = []
            if x.numerical != y.numerical { d.append(x.numerical ? "numerical → categorical" : "categorical → numerical") }
            if x.inputs != y.inputs {
                d.append("reads (\(x.inputs.joined(separator: ", "))) → (\(y.inputs.joined(separator: ", ")))")
            }
            let changed = tableDifferences(x, y)
            if changed.differing > 0 { d.append("table: \(changed.differing) of \(changed.pairs) listed input pairs") }
            if x.defaultOutput != y.defaultOutput { d.append("default output \(x.defaultOutput) → \(y.defaultOutput)") }
            return d
        }
        let classifier = classifierDifferences(a.classifier, b.classifier)
        out.append(ModuleDifference(name: "classifier", status: classifier.isEmpty ? .same : .changed, details: classifier))
        return out
    }

    /// The input pairs listed by either table, and how many of them map to different outputs
    /// (a pair one table does not list takes its default output).
    static func tableDifferences(_ x: MLP, _ y: MLP) -> (pairs: Int, differing: Int) {
        let tx = Dictionary(x.table.map { ($0.inputs, $0.output) }, uniquingKeysWith: { a, _ in a })
        let ty = Dictionary(y.table.map { ($0.inputs, $0.output) }, uniquingKeysWith: { a, _ in a })
        let pairs = Set(tx.keys).union(ty.keys)
        return (pairs.count, pairs.filter { (tx[$0] ?? x.defaultOutput) != (ty[$0] ?? y.defaultOutput) }.count)
    }

    /// The classifier's features (variable = value, or a numerical variable) present in only one
    /// program, and the number of shared ones with other weights.
    static func classifierDifferences(_ x: Classifier, _ y: Classifier) -> [String] {
        func features(_ c: Classifier) -> [String: [Float]] {
            var f: [String: [Float]] = [:]
            for t in c.categorical { for r in t.rows { f["\(t.variable) = \(r.value)"] = r.weights } }
            for t in c.numerical { f[t.variable] = t.weights }
            return f
        }
        var d: [String] = []
        if x.classes != y.classes { d.append("classes \(x.classes) → \(y.classes)") }
        let fx = features(x), fy = features(y)
        let onlyA = Set(fx.keys).subtracting(fy.keys), onlyB = Set(fy.keys).subtracting(fx.keys)
        let reweighted = Set(fx.keys).intersection(fy.keys).filter { fx[$0] != fy[$0] }
        if !onlyA.isEmpty { d.append("\(onlyA.count) features only in A") }
        if !onlyB.isEmpty { d.append("\(onlyB.count) features only in B") }
        if !reweighted.isEmpty { d.append("weights: \(reweighted.count) of \(Set(fx.keys).intersection(fy.keys).count) shared features") }
        return d
    }

    /// Runs both programs on `inputs` and compares their labels (see ``Behaviour``), keeping
    /// the first `examples` disagreements. Without expected labels, positions holding a token of
    /// `unscored` are not compared either (`<s>` and `</s>`, which no synthetic task scores).
    /// Throws a ``ProgramError`` when an input cannot be run.
    public static func behaviour(_ a: Interpreter, _ b: Interpreter, inputs: [[String]], expected: [[String]]?,
                                 unscored: Set<String> = [], examples: Int = 5) throws -> Behaviour {
        precondition(expected == nil || expected!.count == inputs.count, "one label list per input")
        let pooled = a.program.pooled
        var report = Behaviour(inputs: inputs.count, positions: 0, agreeingPositions: 0, agreeingInputs: 0,
                               correctA: expected == nil ? nil : 0, correctB: expected == nil ? nil : 0,
                               disagreements: [])
        for (n, tokens) in inputs.enumerated() {
            let la = try a.run(tokens), lb = try b.run(tokens)
            let gold = expected?[n]
            // The compared positions, with the expected label at each.
            let compared: [(Int, String?)] = pooled
                ? [(0, gold?.first)]
                : tokens.indices.compactMap { i in
                    guard let gold else { return unscored.contains(tokens[i]) ? nil : (i, nil) }
                    return gold[i] == "<pad>" ? nil : (i, gold[i])
                }
            var same = true
            for (i, label) in compared {
                report.positions += 1
                if la[i] == lb[i] { report.agreeingPositions += 1 } else { same = false }
                if let label {
                    if la[i] == label { report.correctA! += 1 }
                    if lb[i] == label { report.correctB! += 1 }
                }
            }
            if same {
                report.agreeingInputs += 1
            } else if report.disagreements.count < examples {
                report.disagreements.append(Disagreement(tokens: tokens, a: la, b: lb, expected: gold))
            }
        }
        return report
    }
}
