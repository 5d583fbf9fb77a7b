/// Python spelling: names, value literals, exact float literals, string quoting, line wrapping.
extension PythonEmitter {
    /// What the emitter needs to know about a program's variables.
    struct Context {
        let program: Program
        let variables: [String: Variable]
        /// The variables whose values are shown as token symbols.
        let symbolic: Set<String>

        /// Values are shown as ``Variable/type`` says, except where the Python itself decides
        /// what a list holds: `tokens` holds symbols, `positions` and embedding variables ints,
        /// and a categorical head's output what its value variable holds.
        init(_ program: Program) {
            self.program = program
            variables = Dictionary(program.variables.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
            var symbolic = Set(program.variables.filter { $0.kind == .categorical && $0.type == .token }.map(\.name))
            symbolic.remove("positions")
            for e in program.embeddings ?? [] { symbolic.remove(e.variable) }
            if program.embeddings == nil && variables["tokens"] != nil { symbolic.insert("tokens") }
            for head in program.layers.flatMap(\.heads) {
                if head.kind == .categorical && symbolic.contains(head.value) {
                    symbolic.insert(head.output)
                } else {
                    symbolic.remove(head.output)
                }
            }
            self.symbolic = symbolic
        }

        /// The values `name` can take, or `nil` when the program does not say (then nothing is
        /// dropped as unreachable).
        func reachable(_ name: String) -> Set<Int>? {
            variables[name].map { Set($0.values) }
        }

        /// Value `value` of variable `name` as the program shows it: a token-typed value as the
        /// string literal of its symbol (`"<s>"`, `"3"`), anything else as an int.
        func literal(_ value: Int, of name: String) -> String {
            if symbolic.contains(name), program.vocabulary.indices.contains(value) {
                return PythonEmitter.string(program.vocabulary[value])
            }
            return String(value)
        }
    }

    /// `name` as a Python identifier (names from the converter already are).
    static func identifier(_ name: String) -> String {
        var scalars = name.unicodeScalars.map { s -> Character in
            s.isASCII && (s.properties.isAlphabetic || s.properties.numericType != nil || s == "_") ? Character(s) : "_"
        }
        if scalars.first?.isNumber ?? true { scalars.insert("_", at: 0) }
        return String(scalars)
    }

    /// The parameter name for a value of variable `name`: the variable name minus its final "s",
    /// as in the original (`tokens` → `token`, `attn_0_3_outputs` → `attn_0_3_output`).
    static func parameter(_ name: String) -> String {
        let id = identifier(name)
        return id.count > 1 && id.hasSuffix("s") ? String(id.dropLast()) : id
    }

    /// A Python string literal equal to `text`: printable ASCII as is, `"` and `\` escaped, and
    /// everything else as `\n`, `\uXXXX` or `\UXXXXXXXX` escapes (what `json.dumps` writes, except
    /// that characters beyond the BMP use one `\U` escape: Python does not join surrogate pairs).
    static func string(_ text: String) -> String {
        var out = "\""
        for s in text.unicodeScalars {
            switch s {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case " "..."~": out.unicodeScalars.append(s)
            default:
                let hex = String(s.value, radix: 16)
                out += s.value <= 0xFFFF ? "\\u" + padded(hex, 4) : "\\U" + padded(hex, 8)
            }
        }
        return out + "\""
    }

    private static func padded(_ hex: String, _ width: Int) -> String {
        String(repeating: "0", count: max(0, width - hex.count)) + hex
    }

    /// A Python float literal for the Float32 `weight` that parses to exactly `Double(weight)`.
    ///
    /// The shortest decimal of the *Float* is the wrong text: `Float(0.1)` prints as `0.1`, which
    /// Python reads as the double nearest 0.1, not as the Float32 value 0.100000001490116…; the
    /// shortest round-trip decimal of the *Double* (`0.10000000149011612`) is exact.
    static func float(_ weight: Float) -> String {
        let x = Double(weight)
        if x.isNaN { return "float(\"nan\")" }
        if x.isInfinite { return x < 0 ? "-float(\"inf\")" : "float(\"inf\")" }
        return "\(x)"
    }

    /// `opening` + the elements separated by ", " + `closing` on one line when it fits in
    /// ``lineWidth`` columns; otherwise broken as `black` breaks it: the elements on one line one
    /// level deeper if they fit there, else packed onto as few such lines as they need, each
    /// ending in a comma.
    static func wrapped(_ indent: String, _ opening: String, _ elements: [String], _ closing: String) -> [String] {
        let single = indent + opening + elements.joined(separator: ", ") + closing
        if single.count <= lineWidth || elements.isEmpty { return [single] }
        let inner = indent + "    "
        let last = indent + closing.drop { $0 == " " }
        let joined = inner + elements.joined(separator: ", ")
        if joined.count <= lineWidth { return [indent + opening, joined, last] }
        var lines = [indent + opening]
        var current = ""
        for element in elements {
            let candidate = current.isEmpty ? inner + element + "," : current + " " + element + ","
            if candidate.count > lineWidth && !current.isEmpty {
                lines.append(current)
                current = inner + element + ","
            } else {
                current = candidate
            }
        }
        return lines + [current, last]
    }

    /// A `#` comment of `words` separated by spaces, continued on further lines (indented by two
    /// more spaces) when it is longer than ``lineWidth``.
    static func comment(_ indent: String, _ words: [String]) -> [String] {
        var lines: [String] = []
        var current = indent + "#"
        for word in words {
            if current.count + 1 + word.count > lineWidth && current.count > indent.count + 4 {
                lines.append(current)
                current = indent + "#  "
            }
            current += " " + word
        }
        return lines + [current]
    }
}
