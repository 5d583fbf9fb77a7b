/// One input run through a program, step by step: every variable at every position and each
/// categorical head's selection as a query × key grid of 0/1 (the RASP REPL's way of showing a
/// selector).
public struct Trace: Sendable {
    /// One step of the run: the inputs, or one head or MLP.
    public struct Step: Sendable {
        /// `inputs`, a head's or an MLP's name.
        public var name: String
        public var layer: Int?
        /// What the step reads, e.g. `query positions, key tokens, value tokens`.
        public var reads: String
        /// The variable it writes and its shown values per position.
        public var output: (name: String, values: [String])
        /// A categorical head's selection: `selection[i][j]` is true when query `i` picked key `j`;
        /// a numerical head's: every matching key.
        public var selection: [[Bool]]?
    }
    public var tokens: [String]
    public var labels: [String]
    public var steps: [Step]

    /// A plain-text rendering: one column per position.
    public func render() -> String {
        var rows: [[String]] = [["position"] + tokens.indices.map(String.init), ["tokens"] + tokens]
        var out: [String] = []
        func flush() {
            guard !rows.isEmpty else { return }
            let widths = (0..<rows[0].count).map { c in rows.map { $0.count > c ? $0[c].count : 0 }.max()! }
            for r in rows {
                out.append(r.enumerated().map { $1.padding(toLength: widths[$0], withPad: " ", startingAt: 0) }
                    .joined(separator: "  ").trimmingTrailingSpaces())
            }
            rows = []
        }
        flush()
        var layer: Int? = nil
        for step in steps where step.name != "inputs" {
            if step.layer != layer, let l = step.layer {
                out.append("")
                out.append("layer \(l)")
                layer = l
            }
            out.append("  \(step.name): \(step.reads)")
            if let sel = step.selection {
                out.append("    selection (query × key):")
                rows = [["     "] + tokens.indices.map(String.init)]
                for (i, r) in sel.enumerated() { rows.append(["    \(i)"] + r.map { $0 ? "1" : "." }) }
                flush()
            }
            rows = [["    \(step.output.name)"] + step.output.values]
            flush()
        }
        out.append("")
        rows = [["labels"] + labels]
        flush()
        return out.joined(separator: "\n") + "\n"
    }
}

extension String {
    func trimmingTrailingSpaces() -> String {
        var s = self
        while s.last == " " { s.removeLast() }
        return s
    }
}

extension Interpreter {
    /// Runs `tokens` and records every step.
    public func trace(_ tokens: [String]) throws -> Trace {
        let ids = try encode(tokens)
        var picks: [String: [Int]] = [:]
        var state = try execute(ids) { l, h, picked in picks["\(l).\(h)"] = picked }
        let labels = try classify(&state).map { program.labels[$0] }
        let types = Dictionary(program.variables.map { ($0.name, $0.type) }, uniquingKeysWith: { a, _ in a })
        func shown(_ name: String) -> [String] {
            let slot = names.firstIndex(of: name)!
            return state.column(slot).map { types[name] == .token ? program.vocabulary[$0] : String($0) }
        }
        var steps: [Trace.Step] = []
        let n = ids.count
        for (l, layer) in program.layers.enumerated() {
            for (h, head) in layer.heads.enumerated() {
                var selection: [[Bool]]
                if head.kind == .categorical {
                    let picked = picks["\(l).\(h)"]!
                    selection = (0..<n).map { i in (0..<n).map { $0 == picked[i] } }
                } else {
                    let q = state.column(names.firstIndex(of: head.query)!), k = state.column(names.firstIndex(of: head.key)!)
                    selection = (0..<n).map { i in
                        let target = head.predicate[q[i]] ?? -1
                        return (0..<n).map { j in (!program.causal || j <= i) && k[j] == target }
                    }
                }
                steps.append(Trace.Step(name: head.name, layer: l,
                                        reads: "query \(head.query), key \(head.key), value \(head.value)",
                                        output: (head.output, shown(head.output)), selection: selection))
            }
            for m in layer.mlps {
                steps.append(Trace.Step(name: m.name, layer: l, reads: "inputs \(m.inputs.joined(separator: ", "))",
                                        output: (m.output, shown(m.output)), selection: nil))
            }
        }
        return Trace(tokens: tokens, labels: labels, steps: steps)
    }
}
