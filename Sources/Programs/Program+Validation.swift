import Network
import Tasks

extension Program {
    /// Checks that the program is well formed, so that the interpreter, the emitted Python and
    /// the analyses all read it the same way; throws a ``ProgramError`` naming the first problem.
    /// This is the one place that checks a program's structure: ``Interpreter/init(_:)`` calls it,
    /// then only compiles.
    ///
    /// - The format and a version this `tprog` understands; `pooled` as a built-in task requires
    ///   (`ner` and the synthetic tasks label every position, the classification tasks pool);
    ///   `1 ≤ maxLength ≤ varWidth ≤ 65536`; the
    ///   vocabulary starts with `<pad>`, has another token and no repeats; the classifier's classes
    ///   are ascending ids of ``labels``.
    /// - Variable names are unique, and every name a module, embedding or classifier table uses is
    ///   one of them; module names are unique; there is at least one layer; a categorical variable's
    ///   values lie in `0 ..< k`, a numerical one's in `0 ..< 2³¹`.
    /// - The input variables hold what execution gives them: `positions` `0 ..< maxLength`,
    ///   `tokens` the ids `1 ..< |vocabulary|` (both categorical), `ones` the number 1; there is
    ///   `tokens` or an embedding; each embedding is a categorical variable of its own with one
    ///   value in `0 ..< k` per word (`−1` for `<pad>`).
    /// - Order and kinds: a head reads categorical query and key variables, and a value of its own
    ///   kind, all defined before its layer; an MLP reads two variables of its kind defined before
    ///   it (its layer's heads included); each module writes a variable of its output kind that
    ///   holds nothing yet; the classifier's tables read variables of their kind.
    /// - A predicate has one entry per query value, each in `0 ..< k` (or none); an MLP table lists
    ///   each input pair once, pairs of values its inputs can take, and outputs (as its default) in
    ///   `0 ..< k`; a classifier row has a weight per class, a categorical one for a value in `0 ..< k`.
    public func validate() throws(ProgramError) {
        guard format == Program.format else { throw ProgramError("not a tprog program (format \"\(format)\")") }
        guard version >= 1 else { throw ProgramError("program version \(version) is not a version (they start at 1)") }
        guard version <= Program.currentVersion else {
            throw ProgramError("program version \(version) is newer than this tprog understands (\(Program.currentVersion))")
        }
        // The built-in tasks fix whether a program labels every position or the whole input.
        if TaskName(rawValue: task) != nil || NLPTask(rawValue: task)?.isTagging == true, pooled {
            throw ProgramError("task \(task) labels every position, but the program is marked pooled")
        }
        if NLPTask(rawValue: task)?.isTagging == false, !pooled {
            throw ProgramError("task \(task) labels whole sentences, but the program is not marked pooled")
        }
        let k = varWidth
        // The widest model `tprog train` builds (its `--d-var` limit); wider would only be a
        // corrupt or hand-edited file, and would make the interpreter allocate k-sized tables.
        guard k <= ProgramConfig.maxVarWidth else {
            throw ProgramError("varWidth (\(k)) must be at most \(ProgramConfig.maxVarWidth), the widest a model can be trained with")
        }
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
        var variable: [String: Variable] = [:]
        for v in variables {
            guard variable.updateValue(v, forKey: v.name) == nil else { throw ProgramError("variable \(v.name) is defined twice") }
            // Categorical values index a one-hot block; numerical ones are counts (and MLP table keys
            // pack two of them in 64 bits).
            let bound = v.kind == .categorical ? k : 1 << 31
            if v.values.contains(where: { $0 < 0 || $0 >= bound }) {
                throw ProgramError("variable \(v.name) lists values outside 0..<\(bound)")
            }
        }
        /// The variable `name`; unknown names are an error naming who refers to them.
        func lookUp(_ name: String, _ context: String) throws(ProgramError) -> Variable {
            guard let v = variable[name] else { throw ProgramError("\(context) refers to unknown variable \(name)") }
            return v
        }
        var moduleNames = Set<String>()
        for name in layers.flatMap({ $0.heads.map(\.name) + $0.mlps.map(\.name) }) where !moduleNames.insert(name).inserted {
            throw ProgramError("module \(name) is defined twice")
        }

        // The inputs.
        func input(_ name: String, _ kind: Variable.Kind, _ values: [Int]) throws(ProgramError) {
            guard let v = variable[name] else { return }
            guard v.kind == kind, v.values == values else {
                throw ProgramError("the input variable \(name) must be \(kind) with the values \(Self.describe(values))")
            }
        }
        guard variable["positions"] != nil else { throw ProgramError("the program has no positions variable") }
        try input("positions", .categorical, Array(0..<maxLength))
        try input("tokens", .categorical, Array(1..<vocabulary.count))
        try input("ones", .numerical, [1])
        var defined = Set(["tokens", "positions", "ones"].filter { variable[$0] != nil })
        for e in embeddings ?? [] {
            guard try lookUp(e.variable, "an embedding").kind == .categorical, !defined.contains(e.variable) else {
                throw ProgramError("embedding \(e.variable) must name a categorical variable of its own")
            }
            guard e.values.count == vocabulary.count,
                  e.values.enumerated().allSatisfy({ $0.offset == 0 ? $0.element == -1 : (0..<k).contains($0.element) }) else {
                throw ProgramError("embedding \(e.variable) must give each of the \(vocabulary.count) words a value in 0..<\(k) (−1 for <pad>)")
            }
            defined.insert(e.variable)
        }
        guard variable["tokens"] != nil || !(embeddings ?? []).isEmpty else {
            throw ProgramError("the program has no token variables")
        }

        // The modules, in execution order.
        func read(_ name: String, _ expected: Variable.Kind, _ module: String, _ role: String) throws(ProgramError) {
            let v = try lookUp(name, module)
            guard v.kind == expected else { throw ProgramError("\(module): its \(role) \(name) is \(v.kind), not \(expected)") }
            guard defined.contains(name) else { throw ProgramError("\(module) reads \(name) before it is computed") }
        }
        // Outputs written so far; a layer's heads only become readable together, after the last of them.
        var written = defined
        func write(_ name: String, _ expected: Variable.Kind, _ module: String) throws(ProgramError) {
            let v = try lookUp(name, module)
            guard v.kind == expected else { throw ProgramError("\(module): its output \(name) is \(v.kind), not \(expected)") }
            guard written.insert(name).inserted else { throw ProgramError("\(module) overwrites the variable \(name)") }
        }
        for layer in layers {
            for h in layer.heads {
                let valueKind: Variable.Kind = h.kind == .categorical ? .categorical : .numerical
                try read(h.query, .categorical, h.name, "query")
                try read(h.key, .categorical, h.name, "key")
                try read(h.value, valueKind, h.name, "value")
                try write(h.output, valueKind, h.name)
                guard h.predicate.count == k else { throw ProgramError("\(h.name): predicate has \(h.predicate.count) rows, expected \(k)") }
                if let bad = h.predicate.first(where: { $0.map { $0 < 0 || $0 >= k } ?? false }) {
                    throw ProgramError("\(h.name): predicate value \(bad!) outside 0..<\(k)")
                }
            }
            defined.formUnion(layer.heads.map(\.output))
            for m in layer.mlps {
                guard m.inputs.count == 2 else { throw ProgramError("\(m.name): an MLP reads two variables") }
                let inputKind: Variable.Kind = m.numerical ? .numerical : .categorical
                for name in m.inputs { try read(name, inputKind, m.name, "input") }
                try write(m.output, .categorical, m.name)
                let reachable = m.inputs.map { Set(variable[$0]!.values) }
                var pairs = Set<[Int]>()
                for e in m.table {
                    guard e.inputs.count == 2, zip(e.inputs, reachable).allSatisfy({ $1.contains($0) }), (0..<k).contains(e.output) else {
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
        for t in classifier.categorical {
            try read(t.variable, .categorical, "the classifier", "table")
            for r in t.rows where !(0..<k).contains(r.value) || r.weights.count != classIds.count {
                throw ProgramError("classifier row \(t.variable)=\(r.value) is malformed")
            }
        }
        for t in classifier.numerical {
            try read(t.variable, .numerical, "the classifier", "table")
            guard t.weights.count == classIds.count else { throw ProgramError("classifier row \(t.variable) is malformed") }
        }
    }

    /// `0…7` for a run of consecutive values, else the list.
    static func describe(_ values: [Int]) -> String {
        guard let first = values.first, let last = values.last else { return "[]" }
        return values == Array(first...last) ? "\(first)…\(last)" : "\(values)"
    }
}
