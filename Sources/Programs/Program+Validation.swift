import Tasks

extension Program {
    /// Checks that the program is well formed, so that the interpreter, the emitted Python and
    /// the analyses all read it the same way; throws a ``ProgramError`` naming the first problem.
    ///
    /// - `1 ≤ maxLength ≤ varWidth`; the vocabulary starts with `<pad>`, has another token and no
    ///   repeats; the classifier's classes are ascending ids of ``labels``.
    /// - The input variables hold what execution gives them: `tokens` the ids `1 ..< |vocabulary|`,
    ///   `positions` `0 ..< maxLength` (both categorical), `ones` the number 1; each embedding is a
    ///   categorical variable other than these, with one value in `0 ..< k` per word (`−1` for
    ///   `<pad>`).
    /// - Every module name is unique and there is at least one layer; a categorical variable's
    ///   values lie in `0 ..< k`.
    /// - Order and kinds: a head reads categorical query and key variables, and a value of its own
    ///   kind, all defined before its layer; an MLP reads two variables of its kind defined before
    ///   it (its layer's heads included); heads and MLPs write variables of their output kind; the
    ///   classifier's tables read variables of their kind.
    /// - Predicates map to values in `0 ..< k`; an MLP table lists each input pair once, pairs of
    ///   values its inputs can take, and outputs (as its default) in `0 ..< k`.
    ///
    /// References to unknown variables and modules that overwrite a variable are checked when the
    /// interpreter compiles the program.
    public func validate() throws(ProgramError) {
        let k = varWidth
        guard k >= 1, maxLength >= 1, maxLength <= k else {
            throw ProgramError("maxLength (\(maxLength)) must be between 1 and varWidth (\(k))")
        }
        guard vocabulary.first == Special.pad, vocabulary.count >= 2 else {
            throw ProgramError("the vocabulary must start with <pad> and have a token besides it")
        }
        guard Set(vocabulary).count == vocabulary.count else { throw ProgramError("the vocabulary lists a token twice") }
        let classIds = classifier.classes
        guard !classIds.isEmpty, zip(classIds, classIds.dropFirst()).allSatisfy({ $0 < $1 }),
              classIds.allSatisfy({ $0 >= 0 && $0 < labels.count }) else {
            throw ProgramError("the classifier's classes \(classIds) must be ascending ids of the \(labels.count) labels")
        }
        guard !layers.isEmpty else { throw ProgramError("the program has no layers") }
        var moduleNames = Set<String>()
        for name in layers.flatMap({ $0.heads.map(\.name) + $0.mlps.map(\.name) }) where !moduleNames.insert(name).inserted {
            throw ProgramError("module \(name) is defined twice")
        }
        for v in variables where v.kind == .categorical && v.values.contains(where: { $0 < 0 || $0 >= k }) {
            throw ProgramError("variable \(v.name) lists values outside 0..<\(k)")
        }
        var variable: [String: Variable] = [:]
        for v in variables where variable[v.name] == nil { variable[v.name] = v }

        // The inputs.
        func input(_ name: String, _ kind: Variable.Kind, _ values: [Int]) throws(ProgramError) {
            guard let v = variable[name] else { return }
            guard v.kind == kind, v.values == values else {
                throw ProgramError("the input variable \(name) must be \(kind) with the values \(Self.describe(values))")
            }
        }
        try input("tokens", .categorical, Array(1..<vocabulary.count))
        try input("positions", .categorical, Array(0..<maxLength))
        try input("ones", .numerical, [1])
        var defined = Set(["tokens", "positions", "ones"].filter { variable[$0] != nil })
        for e in embeddings ?? [] {
            guard let v = variable[e.variable], v.kind == .categorical, !defined.contains(e.variable) else {
                throw ProgramError("embedding \(e.variable) must name a categorical variable of its own")
            }
            guard e.values.count == vocabulary.count,
                  e.values.enumerated().allSatisfy({ $0.offset == 0 ? $0.element == -1 : (0..<k).contains($0.element) }) else {
                throw ProgramError("embedding \(e.variable) must give each of the \(vocabulary.count) words a value in 0..<\(k) (−1 for <pad>)")
            }
            defined.insert(e.variable)
        }

        // The modules, in execution order.
        func kind(_ name: String, _ expected: Variable.Kind, _ module: String, _ role: String) throws(ProgramError) {
            guard let v = variable[name] else { return }   // unknown names: the interpreter names them
            guard v.kind == expected else { throw ProgramError("\(module): its \(role) \(name) is \(v.kind), not \(expected)") }
        }
        func before(_ name: String, _ module: String) throws(ProgramError) {
            guard variable[name] == nil || defined.contains(name) else {
                throw ProgramError("\(module) reads \(name) before it is computed")
            }
        }
        for layer in layers {
            for h in layer.heads {
                let valueKind: Variable.Kind = h.kind == .categorical ? .categorical : .numerical
                for (role, name, expected) in [("query", h.query, Variable.Kind.categorical), ("key", h.key, .categorical),
                                               ("value", h.value, valueKind)] {
                    try kind(name, expected, h.name, role)
                    try before(name, h.name)
                }
                try kind(h.output, valueKind, h.name, "output")
                if let bad = h.predicate.first(where: { $0.map { $0 < 0 || $0 >= k } ?? false }) {
                    throw ProgramError("\(h.name): predicate value \(bad!) outside 0..<\(k)")
                }
            }
            defined.formUnion(layer.heads.map(\.output))
            for m in layer.mlps {
                let inputKind: Variable.Kind = m.numerical ? .numerical : .categorical
                for name in m.inputs {
                    try kind(name, inputKind, m.name, "input")
                    try before(name, m.name)
                }
                try kind(m.output, .categorical, m.name, "output")
                let reachable = m.inputs.map { Set(variable[$0]?.values ?? []) }
                var pairs = Set<[Int]>()
                for e in m.table {
                    guard e.inputs.count == 2, e.inputs.count == m.inputs.count,
                          zip(e.inputs, reachable).allSatisfy({ $1.contains($0) }), (0..<k).contains(e.output) else {
                        throw ProgramError("\(m.name): malformed table entry \(e.inputs) → \(e.output) (inputs must be values the input variables take, the output in 0..<\(k))")
                    }
                    guard pairs.insert(e.inputs).inserted else { throw ProgramError("\(m.name): the table lists \(e.inputs) twice") }
                }
                guard (0..<k).contains(m.defaultOutput) else {
                    throw ProgramError("\(m.name): default output \(m.defaultOutput) outside 0..<\(k)")
                }
            }
            defined.formUnion(layer.mlps.map(\.output))
        }
        for t in classifier.categorical { try kind(t.variable, .categorical, "the classifier", "table") }
        for t in classifier.numerical { try kind(t.variable, .numerical, "the classifier", "table") }
    }

    /// `0…7` for a run of consecutive values, else the list.
    static func describe(_ values: [Int]) -> String {
        guard let first = values.first, let last = values.last else { return "[]" }
        return values == Array(first...last) ? "\(first)…\(last)" : "\(values)"
    }
}
