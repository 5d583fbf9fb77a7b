/// Heads and MLPs as Python: grouped predicate and lookup-table branches.
extension PythonEmitter {
    /// A head's predicate as grouped branches: each accepted key value with the query values that
    /// accept it, ordered by their smallest query value.
    ///
    /// Query values the query variable never takes are dropped, and so are branches whose key
    /// value the key variable never takes (they can never match: those queries select nothing,
    /// like the queries without a branch).
    static func predicateBranches(_ head: Head, _ context: Context) -> [(key: Int, queries: [Int])] {
        let queries = context.reachable(head.query), keys = context.reachable(head.key)
        var groups: [Int: [Int]] = [:]
        for (q, key) in head.predicate.enumerated() {
            guard let key, queries?.contains(q) ?? true, keys?.contains(key) ?? true else { continue }
            groups[key, default: []].append(q)
        }
        return groups.map { (key: $0.key, queries: $0.value) }.sorted { $0.queries[0] < $1.queries[0] }
    }

    /// An MLP's table as grouped branches: each output value other than the default with the
    /// input keys that give it (a value, or a pair of values), ordered by output.
    ///
    /// Rows whose inputs the variables never take are dropped; when both inputs are the same
    /// variable, only the diagonal is reachable and a key is that one value.
    static func mlpBranches(_ mlp: MLP, _ context: Context) -> [(output: Int, keys: [[Int]])] {
        let same = mlp.inputs.count == 2 && mlp.inputs[0] == mlp.inputs[1]
        let reachable = mlp.inputs.map { context.reachable($0) }
        var groups: [Int: [[Int]]] = [:]
        for entry in mlp.table where entry.output != mlp.defaultOutput && entry.inputs.count == mlp.inputs.count {
            guard zip(entry.inputs, reachable).allSatisfy({ $1?.contains($0) ?? true }) else { continue }
            if same {
                guard entry.inputs[0] == entry.inputs[1] else { continue }
                groups[entry.output, default: []].append([entry.inputs[0]])
            } else {
                groups[entry.output, default: []].append(entry.inputs)
            }
        }
        return groups.keys.sorted().map { (output: $0, keys: groups[$0]!.sorted { $0.lexicographicallyPrecedes($1) }) }
    }

    /// The predicate function's name: `predicate_0_2` for head `attn_0_2`, `num_predicate_0_2`
    /// for `num_attn_0_2`.
    static func predicateName(_ head: Head) -> String {
        let name = identifier(head.name)
        if name.hasPrefix("attn_") { return "predicate_" + name.dropFirst(5) }
        if name.hasPrefix("num_attn_") { return "num_predicate_" + name.dropFirst(9) }
        return "predicate_" + name
    }

    /// A head's block inside `run`: a comment saying what it reads and writes, its predicate,
    /// the selection and the aggregation.
    static func head(_ head: Head, _ context: Context) -> [String] {
        let numerical = head.kind == .numerical
        let function = predicateName(head)
        let same = head.query == head.key
        let q = (same ? "q_" : "") + parameter(head.query), k = (same ? "k_" : "") + parameter(head.key)
        var lines = comment("    ", ["\(head.name):", "query \(head.query),", "key \(head.key),",
                                     "value \(head.value)", "→ \(head.output)"])
        lines.append("    def \(function)(\(q), \(k)):")
        let branches = predicateBranches(head, context)
        let queries = context.reachable(head.query)
        if branches.count == 1, let queries, Set(branches[0].queries) == queries {
            // Every query value accepts the same key value.
            lines.append("        return \(k) == \(context.literal(branches[0].key, of: head.key))")
        } else {
            for (index, branch) in branches.enumerated() {
                let values = branch.queries.map { context.literal($0, of: head.query) }
                lines += wrapped("        ", (index == 0 ? "if " : "elif ") + "\(q) in {", values, "}:")
                lines.append("            return \(k) == \(context.literal(branch.key, of: head.key))")
            }
            lines.append("        return False")
        }
        let pattern = identifier(head.name) + "_pattern"
        let (select, aggregate) = numerical ? ("select", "aggregate_sum") : ("select_closest", "aggregate")
        lines.append("")
        lines += wrapped("    ", "\(pattern) = \(select)(", [identifier(head.key), identifier(head.query), function], ")")
        lines += wrapped("    ", "\(identifier(head.output)) = \(aggregate)(", [pattern, identifier(head.value)], ")")
        return lines
    }

    /// An MLP's block inside `run`: a comment, its lookup function (grouped branches, the default
    /// output last) and the map over positions.
    static func mlp(_ mlp: MLP, _ context: Context) -> [String] {
        let function = identifier(mlp.name)
        let same = mlp.inputs.count == 2 && mlp.inputs[0] == mlp.inputs[1]
        let inputs = same ? [mlp.inputs[0]] : mlp.inputs
        let parameters = inputs.map(parameter)
        var lines = comment("    ", ["\(mlp.name):"] + inputs.dropLast().map { $0 + "," } + inputs.suffix(1)
                                + ["→ \(mlp.output)"])
        lines.append("    def \(function)(\(parameters.joined(separator: ", "))):")
        let branches = mlpBranches(mlp, context)
        if !branches.isEmpty {
            lines.append("        key = " + (same ? parameters[0] : "(\(parameters.joined(separator: ", ")))"))
        }
        for (index, branch) in branches.enumerated() {
            let keys = branch.keys.map { key in
                let values = zip(key, inputs).map { context.literal($0, of: $1) }
                return values.count == 1 ? values[0] : "(\(values.joined(separator: ", ")))"
            }
            lines += wrapped("        ", (index == 0 ? "if " : "elif ") + "key in {", keys, "}:")
            lines.append("            return \(context.literal(branch.output, of: mlp.output))")
        }
        lines.append("        return \(context.literal(mlp.defaultOutput, of: mlp.output))")
        lines.append("")
        let output = identifier(mlp.output)
        let map = same ? "\(function)(x) for x in \(identifier(inputs[0]))"
            : "\(function)(a, b) for a, b in zip(\(inputs.map(identifier).joined(separator: ", ")))"
        return lines + wrapped("    ", "\(output) = [", [map], "]")
    }
}
