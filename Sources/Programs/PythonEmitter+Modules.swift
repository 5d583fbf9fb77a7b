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
        let branches = predicateBranches(head, context)
        if branches.isEmpty {
            // No query value accepts a key the key variable takes: a categorical head always falls
            // back to position 0, a numerical one always counts 0 (an ablated head, say).
            let what = numerical ? "matches no key: every count is 0" : "matches no key: every query takes position 0's value"
            let value = identifier(head.value)
            let filled = numerical ? "[0] * len(tokens)" : "\(value)[:1] * len(\(value))"
            return comment("    ", ["\(head.name):", "query \(head.query),", "key \(head.key),", "value \(head.value)",
                                    "→ \(head.output);"] + what.split(separator: " ").map(String.init))
                + ["    \(identifier(head.output)) = \(filled)"]
        }
        var lines = comment("    ", ["\(head.name):", "query \(head.query),", "key \(head.key),",
                                     "value \(head.value)", "→ \(head.output)"])
        lines.append("    def \(function)(\(q), \(k)):")
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

    /// `output` for the first input in `x` and the second in `y` (`nil`: the MLP reads one
    /// variable twice).
    typealias Box = (x: ClosedRange<Int>, y: ClosedRange<Int>?, output: Int)
    /// `output` for the second input in `y`, along one row.
    typealias Run = (y: ClosedRange<Int>?, output: Int)

    /// A numerical MLP's table as boxes of input ranges: `output` for every first input in
    /// `x` and second input in `y` (`nil` when both inputs are one variable), the default output
    /// elsewhere; ordered by `x`, then `y`. `nil` for a categorical MLP or when the program does
    /// not list the inputs' values.
    ///
    /// Ranges are taken over the reachable values in order, so a range may span values the input
    /// never takes; on every reachable pair the boxes give exactly the table's output. Rows (first
    /// inputs) with the same runs of outputs merge into one box. A table whose outputs change at
    /// thresholds of the inputs (`x > y`, `x + y ≥ 5`, …) needs a box per run of equal outputs in
    /// a group of equal rows, where the listing by output needs a key per pair: dyck1's 7,862
    /// listed pairs (seed 4) become 90 boxes. Example: over x, y ∈ {0, 1, 2} with output 1 when
    /// x > y and 0 otherwise (the default), the boxes are `(1…1, 0…0) → 1` and `(2…2, 0…1) → 1`.
    static func mlpBoxes(_ mlp: MLP, _ context: Context) -> [Box]? {
        let same = mlp.inputs.count == 2 && mlp.inputs[0] == mlp.inputs[1]
        guard mlp.numerical, mlp.inputs.count == 2, let xs = context.reachable(mlp.inputs[0])?.sorted() else { return nil }
        let ys: [Int?]
        if same {
            ys = [nil]
        } else if let values = context.reachable(mlp.inputs[1])?.sorted() {
            ys = values
        } else {
            return nil
        }
        // Keyed by the pair packed into one Int (numerical values are small non-negative counts;
        // the packing is exact for |x|, |y| < 2³¹), so a look-up allocates nothing.
        func key(_ x: Int, _ y: Int) -> Int { x << 32 ^ (y & 0xFFFF_FFFF) }
        var table: [Int: Int] = [:]
        for entry in mlp.table where entry.inputs.count == 2 { table[key(entry.inputs[0], entry.inputs[1])] = entry.output }
        func output(_ x: Int, _ y: Int?) -> Int { table[key(x, y ?? x)] ?? mlp.defaultOutput }
        /// The runs of equal non-default outputs along row `x`.
        func runs(_ x: Int) -> [Run] {
            var runs: [Run] = []
            var extendable = false
            for y in ys {
                let out = output(x, y)
                if out == mlp.defaultOutput { extendable = false; continue }
                if extendable, let last = runs.last, last.output == out, let range = last.y, let y {
                    runs[runs.count - 1].y = range.lowerBound...y
                } else {
                    runs.append((y: y.map { $0...$0 }, output: out))
                }
                extendable = true
            }
            return runs
        }
        func equal(_ a: [Run], _ b: [Run]) -> Bool {
            a.count == b.count && zip(a, b).allSatisfy { $0.y == $1.y && $0.output == $1.output }
        }
        var boxes: [Box] = []
        var group: (x: ClosedRange<Int>, runs: [Run])?
        func flush() {
            if let group { boxes += group.runs.map { (x: group.x, y: $0.y, output: $0.output) } }
        }
        for x in xs {
            let row = runs(x)
            if let current = group, equal(current.runs, row) {
                group!.x = current.x.lowerBound...x
            } else {
                flush()
                group = (x: x...x, runs: row)
            }
        }
        flush()
        return boxes
    }

    /// A numerical MLP's lookup function written with ``mlpBoxes(_:_:)``: a loop over the boxes.
    static func mlpBoxLines(_ mlp: MLP, _ context: Context, _ boxes: [Box]) -> [String] {
        let twoInputs = mlp.inputs[0] != mlp.inputs[1]
        let inputs = twoInputs ? mlp.inputs : [mlp.inputs[0]]
        let fallback = context.literal(mlp.defaultOutput, of: mlp.output)
        func value(_ v: Int, _ input: String) -> String { context.literal(v, of: input) }
        let tuples = boxes.map { box -> String in
            var parts = [value(box.x.lowerBound, inputs[0]), value(box.x.upperBound, inputs[0])]
            if twoInputs, let y = box.y { parts += [value(y.lowerBound, inputs[1]), value(y.upperBound, inputs[1])] }
            return "(" + (parts + [context.literal(box.output, of: mlp.output)]).joined(separator: ", ") + ")"
        }
        var lines: [String] = []
        if twoInputs {
            lines.append("        x, y = \(parameter(inputs[0])), \(parameter(inputs[1]))")
            lines += comment("        ", "the output for x in x_low..x_high and y in y_low..y_high; \(fallback) elsewhere"
                                 .split(separator: " ").map(String.init))
            lines += wrapped("        ", "for x_low, x_high, y_low, y_high, output in [", tuples, "]:")
            lines.append("            if x_low <= x <= x_high and y_low <= y <= y_high:")
        } else {
            lines.append("        x = \(parameter(inputs[0]))")
            lines += comment("        ", "the output for x in x_low..x_high; \(fallback) elsewhere"
                                 .split(separator: " ").map(String.init))
            lines += wrapped("        ", "for x_low, x_high, output in [", tuples, "]:")
            lines.append("            if x_low <= x <= x_high:")
        }
        return lines + ["                return output", "        return \(fallback)"]
    }

    /// An MLP's lookup function listed by output: its `branches` (``mlpBranches(_:_:)``), the
    /// default output last.
    static func mlpBranchLines(_ mlp: MLP, _ context: Context,
                               _ branches: [(output: Int, keys: [[Int]])]) -> [String] {
        let same = mlp.inputs.count == 2 && mlp.inputs[0] == mlp.inputs[1]
        let inputs = same ? [mlp.inputs[0]] : mlp.inputs
        let parameters = inputs.map(parameter)
        var lines: [String] = []
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
        return lines + ["        return \(context.literal(mlp.defaultOutput, of: mlp.output))"]
    }

    /// The body of an MLP's lookup function, and how many branches (output groups, or boxes) it
    /// has: listed by output, or for a numerical MLP as boxes of input ranges when that takes fewer
    /// lines.
    static func mlpBody(_ mlp: MLP, _ context: Context) -> (lines: [String], branches: Int) {
        let branches = mlpBranches(mlp, context)
        let listed = mlpBranchLines(mlp, context, branches)
        guard let boxes = mlpBoxes(mlp, context), !boxes.isEmpty else { return (listed, branches.count) }
        let boxed = mlpBoxLines(mlp, context, boxes)
        return boxed.count < listed.count ? (boxed, boxes.count) : (listed, branches.count)
    }

    /// An MLP's block inside `run`: a comment, its lookup function (``mlpBody(_:_:)``) and the
    /// map over positions.
    static func mlp(_ mlp: MLP, _ context: Context) -> [String] {
        let function = identifier(mlp.name)
        let same = mlp.inputs.count == 2 && mlp.inputs[0] == mlp.inputs[1]
        let inputs = same ? [mlp.inputs[0]] : mlp.inputs
        let parameters = inputs.map(parameter)
        if mlpBranches(mlp, context).isEmpty {
            // Every reachable input gives the default output (an ablated MLP, say): a constant.
            return comment("    ", ["\(mlp.name):"] + inputs.dropLast().map { $0 + "," } + inputs.suffix(1)
                               + ["→ \(mlp.output);", "the", "same", "output", "for", "every", "input"])
                + ["    \(identifier(mlp.output)) = [\(context.literal(mlp.defaultOutput, of: mlp.output))] * len(tokens)"]
        }
        var lines = comment("    ", ["\(mlp.name):"] + inputs.dropLast().map { $0 + "," } + inputs.suffix(1)
                                + ["→ \(mlp.output)"])
        lines.append("    def \(function)(\(parameters.joined(separator: ", "))):")
        lines += mlpBody(mlp, context).lines
        lines.append("")
        let output = identifier(mlp.output)
        let map = same ? "\(function)(x) for x in \(identifier(inputs[0]))"
            : "\(function)(a, b) for a, b in zip(\(inputs.map(identifier).joined(separator: ", ")))"
        return lines + wrapped("    ", "\(output) = [", [map], "]")
    }
}
