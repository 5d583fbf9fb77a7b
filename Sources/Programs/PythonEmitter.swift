import Tasks

/// Writes a ``Program`` as one self-contained Python 3 file: standard library only, no data files,
/// no output on import, runnable from any directory, and exactly equivalent to the
/// ``Interpreter`` (same selection rule, same tables, same Float64 classifier sums).
///
/// The file reads like the paper's programs, top to bottom:
///
/// 1. a docstring, `import json, sys`, the constants `CAUSAL`, `MAX_LENGTH`, `VOCABULARY`;
/// 2. the helpers `select_closest` and `aggregate` (`select` and `aggregate_sum` when the
///    program has numerical heads), `select_closest` implementing the model's rule;
/// 3. `run(tokens)`: per layer, each head as `def predicate_l_h(query, key)` with grouped
///    branches, then `attn_l_h_outputs = aggregate(select_closest(…))`; each MLP as
///    `def mlp_l_m(a, b)` with grouped `if key in {…}: return v` branches and its default
///    output last; then the classifier;
/// 4. `classify` and the script's `main`;
/// 5. the classifier weights, between ``weightsBegin`` and ``weightsEnd`` (the part the paper's
///    line counts leave out, see ``ProgramStatistics``), then the `__main__` guard.
///
/// ```python
/// # attn_0_2: query positions, key tokens, value tokens → attn_0_2_outputs
/// def predicate_0_2(position, token):
///     if position in {0, 7}:
///         return token == "1"
///     elif position in {2, 3}:
///         return token == "3"
///     return False
/// ```
///
/// Values are shown by ``Variable/type``: token-typed values as the string of their symbol,
/// positions and numbers as ints. Classifier weights are written as the shortest decimals of
/// their *Double* values, so Python parses exactly the Float32 weights. The output depends only
/// on the program (and `version`).
public enum PythonEmitter {
    /// The comment line that opens the classifier weights.
    public static let weightsBegin = "# BEGIN classifier weights"
    /// The comment line that closes the classifier weights.
    public static let weightsEnd = "# END classifier weights"
    /// The column limit of code lines (`black`'s default).
    public static let lineWidth = 88

    /// The Python source of `program`; `version` is the tprog version named in the docstring.
    public static func emit(_ program: Program, version: String = "0.1.0") -> String {
        let context = Context(program)
        let numerical = program.layers.contains { $0.heads.contains { $0.kind == .numerical } }
        var lines = header(program, version: version)
        lines += ["", ""] + runtime(numerical: numerical)
        lines += ["", ""] + input(program)
        lines += ["", ""] + run(program, context)
        lines += ["", ""] + classifiers(program) + ["", ""] + main
        lines += ["", ""] + weights(program, context)
        lines += ["", "", "if __name__ == \"__main__\":", "    main()"]
        return lines.joined(separator: "\n") + "\n"
    }

    // MARK: - File parts

    static func header(_ program: Program, version: String) -> [String] {
        // Text inside the docstring keeps only characters that need no escaping.
        func plain(_ text: String) -> String {
            String(text.unicodeScalars.filter { $0.isASCII && ($0.properties.isAlphabetic || "0123456789<>/()_-.+ ".unicodeScalars.contains($0)) })
        }
        let (task, version) = (plain(program.task), plain(version))
        let symbols = program.vocabulary.dropFirst().filter { $0 != "<pad>" }.map(string)
        // A usage example with up to three symbols, <s> first, that need no escaping.
        let shown = program.vocabulary.dropFirst().filter { !$0.isEmpty && plain($0) == $0 && $0 != "<unk>" }
        let example = (shown.filter { $0 == "<s>" } + shown.filter { $0 != "<s>" }).prefix(3)
            .map { "\"\($0)\"" }.joined(separator: ", ")
        return [
            "\"\"\"A Transformer Program for the task \(task), written by tprog \(version).",
            "",
            "run(tokens) returns the label at every position of a list of token strings. As a",
            "script, it reads one JSON array of tokens per line of standard input and writes one",
            "JSON array of labels per line:",
            "",
            "    echo '[\(example)]' | python3 program.py",
            "\"\"\"",
            "import json",
            "import sys",
            "",
            "CAUSAL = \(program.causal ? "True" : "False")  # whether a query sees only the keys at or before it",
            "MAX_LENGTH = \(program.maxLength)",
        ] + (program.embeddings == nil
            ? wrapped("", "VOCABULARY = {", symbols, "}")
            : ["# VOCABULARY (the words of EMBEDDINGS) is defined with the data at the end of the file."])
    }

    static func runtime(numerical: Bool) -> [String] {
        var lines = [
            "def select_closest(keys, queries, predicate):",
            "    \"\"\"For each query i, the key position it attends to: among the visible keys j with",
            "    predicate(queries[i], keys[j]), the nearest, the left one on a tie of distance, i",
            "    itself only when it is the only match; 0 when nothing matches.\"\"\"",
            "    selected = []",
            "    for i, q in enumerate(queries):",
            "        matches = [j for j in visible(i, len(keys)) if predicate(q, keys[j])]",
            "        selected.append(min(matches, key=lambda j: (j == i, abs(i - j), j), default=0))",
            "    return selected",
            "",
            "",
            "def aggregate(selected, values):",
            "    \"\"\"The value at each selected position.\"\"\"",
            "    return [values[j] for j in selected]",
            "",
            "",
        ]
        if numerical {
            lines += [
                "def select(keys, queries, predicate):",
                "    \"\"\"For each query i, every visible key j with predicate(queries[i], keys[j]).\"\"\"",
                "    return [",
                "        [j for j in visible(i, len(keys)) if predicate(q, keys[j])]",
                "        for i, q in enumerate(queries)",
                "    ]",
                "",
                "",
                "def aggregate_sum(selected, values):",
                "    \"\"\"For each query, the sum of the values at its selected positions.\"\"\"",
                "    return [sum(values[j] for j in js) for js in selected]",
                "",
                "",
            ]
        }
        return lines + [
            "def visible(i, n):",
            "    \"\"\"The key positions query i sees (of n).\"\"\"",
            "    return range(i + 1) if CAUSAL else range(n)",
        ]
    }

    /// `unknown(token)`, for a vocabulary with the ``UnknownShape`` symbols: the symbol an
    /// unknown token reads as, by the same rule as ``UnknownShape/symbol(of:)``.
    static func unknownShape() -> [String] {
        let (mixed, upper, lower) = (UnknownShape.symbols[0], UnknownShape.symbols[1], UnknownShape.symbols[2])
        return [
            "def unknown(token):",
            "    \"\"\"The symbol an unknown token reads as: its shape by its ASCII letters (a capital",
            "    first, with or without a lower-case letter after; a lower-case letter first), else",
            "    \"<unk>\".\"\"\"",
            "    if \"A\" <= token[:1] <= \"Z\":",
            "        if any(\"a\" <= c <= \"z\" for c in token):",
            "            return \(string(mixed))",
            "        return \(string(upper))",
            "    if \"a\" <= token[:1] <= \"z\":",
            "        return \(string(lower))",
            "    return \"<unk>\"",
            "",
            "",
        ]
    }

    /// `check_input`: the same checks (and unknown-token mapping) as ``Interpreter/encode(_:)``.
    static func input(_ program: Program) -> [String] {
        let unknown = program.vocabulary.dropFirst().contains("<unk>")
        let shapes = Vocabulary(program.vocabulary).hasUnknownShapes
        var lines = (shapes ? unknownShape() : []) + [
            "def check_input(tokens):",
            shapes
                ? "    \"\"\"`tokens` as a list, checked; unknown tokens become unknown(token).\"\"\""
                : unknown
                ? "    \"\"\"`tokens` as a list, checked; unknown tokens become \"<unk>\".\"\"\""
                : "    \"\"\"`tokens` as a list, checked: at most MAX_LENGTH known tokens, no \"<pad>\".\"\"\"",
            "    if not isinstance(tokens, (list, tuple)):",
            "        raise ValueError(\"expected a list of tokens\")",
            "    if len(tokens) > MAX_LENGTH:",
            "        raise ValueError(",
            "            f\"{len(tokens)} tokens, but the program allows at most {MAX_LENGTH}\"",
            "        )",
            "    for i, token in enumerate(tokens):",
            "        if token == \"<pad>\":",
            "            raise ValueError(f\"<pad> (position {i}) is not an input token\")",
        ]
        if unknown {
            lines += [
                "        if not isinstance(token, str):",
                "            raise ValueError(f\"unknown token {json.dumps(token)} at position {i}\")",
                shapes
                    ? "    return [token if token in VOCABULARY else unknown(token) for token in tokens]"
                    : "    return [token if token in VOCABULARY else \"<unk>\" for token in tokens]",
            ]
        } else {
            lines += [
                "        if not (isinstance(token, str) and token in VOCABULARY):",
                "            raise ValueError(f\"unknown token {json.dumps(token)} at position {i}\")",
                "    return list(tokens)",
            ]
        }
        return lines
    }

    static func run(_ program: Program, _ context: Context) -> [String] {
        let names = program.variables.map { identifier($0.name) }
        let tokens = program.embeddings == nil ? (names.first ?? "tokens") : "tokens"
        var lines = [
            "def run(tokens):",
            program.pooled
                ? "    \"\"\"The label of the sentence `tokens`, a list of token strings.\"\"\""
                : "    \"\"\"The label at every position of `tokens`, a list of token strings.\"\"\"",
            "    \(tokens) = check_input(tokens)",
        ]
        for e in program.embeddings ?? [] {
            let name = identifier(e.variable)
            lines.append("    \(name) = [EMBEDDINGS[\(string(e.variable))][token] for token in tokens]")
        }
        // Inputs: tokens, positions (the second variable) and ones, when something reads them.
        var read = Set(program.classifier.categorical.map(\.variable) + program.classifier.numerical.map(\.variable))
        for layer in program.layers {
            for head in layer.heads { read.formUnion([head.query, head.key, head.value]) }
            for mlp in layer.mlps { read.formUnion(mlp.inputs) }
        }
        if read.contains("positions") {
            lines.append("    positions = list(range(len(\(tokens))))")
        }
        if read.contains("ones") { lines.append("    ones = [1] * len(\(tokens))") }
        for layer in program.layers {
            for head in layer.heads { lines += [""] + self.head(head, context) }
            for mlp in layer.mlps { lines += [""] + self.mlp(mlp, context) }
        }
        let classifier = program.classifier
        let features = (classifier.categorical.map(\.variable) + classifier.numerical.map(\.variable))
            .map { "\(string($0)): \(identifier($0))" }
        lines += ["", "    # classifier: the weighted sum of these variables at each position (see classify)"]
        lines += wrapped("    ", "variables = {", features, "}")
        lines.append(program.pooled
            ? "    return classify_pooled(variables, len(\(tokens)))"
            : "    return classify(variables, len(\(tokens)))")
        return lines
    }

    /// The classifier functions: per position, and (pooled programs) per sentence.
    static func classifiers(_ program: Program) -> [String] {
        program.pooled ? classify + ["", ""] + classifyPooled : classify
    }

    static let classifyPooled = [
        "def classify_pooled(variables, length):",
        "    \"\"\"The label of the sentence: the mean over its positions of the per-position logits",
        "    (each summed as in classify, then added in position order and divided by the length,",
        "    in float64); the first class with the largest mean logit.\"\"\"",
        "    total = [0.0] * len(CLASSES)",
        "    for logits in position_logits(variables, length):",
        "        for c in range(len(CLASSES)):",
        "            total[c] += logits[c]",
        "    mean = [t / length for t in total]",
        "    return CLASSES[mean.index(max(mean))]",
    ]

    static let classify = [
        "def position_logits(variables, length):",
        "    \"\"\"For each position, the logit of every class: 0.0, plus",
        "    CATEGORICAL_WEIGHTS[v][value of v][c] for each categorical variable v, plus",
        "    (value of u) * NUMERICAL_WEIGHTS[u][c] for each numerical variable u, added in this",
        "    order in float64.\"\"\"",
        "    for i in range(length):",
        "        logits = []",
        "        for c in range(len(CLASSES)):",
        "            logit = 0.0",
        "            for name, table in CATEGORICAL_WEIGHTS.items():",
        "                logit += table[variables[name][i]][c]",
        "            for name, weights in NUMERICAL_WEIGHTS.items():",
        "                logit += variables[name][i] * weights[c]",
        "            logits.append(logit)",
        "        yield logits",
        "",
        "",
        "def classify(variables, length):",
        "    \"\"\"The label at each position: the first class with the largest logit.\"\"\"",
        "    return [",
        "        CLASSES[logits.index(max(logits))]",
        "        for logits in position_logits(variables, length)",
        "    ]",
    ]

    static let main = [
        "def main():",
        "    \"\"\"Labels one JSON array of tokens per line of standard input.\"\"\"",
        "    for number, line in enumerate(sys.stdin.buffer, start=1):",
        "        if not line.strip():",
        "            continue",
        "        try:",
        "            labels = run(json.loads(line))",
        "        except ValueError as error:",
        "            sys.exit(f\"line {number}: {error}\")",
        "        sys.stdout.write(json.dumps(labels) + \"\\n\")",
        "    sys.stdout.flush()",
    ]

    /// The classifier weights: `CLASSES`, then one dict per categorical variable
    /// (`{value: [weight per class]}`, one row per line) and one list per numerical variable,
    /// in the classifier's order.
    static func weights(_ program: Program, _ context: Context) -> [String] {
        let classifier = program.classifier
        let classes = classifier.classes.map { program.labels.indices.contains($0) ? program.labels[$0] : String($0) }
        var lines = [weightsBegin + ": for each value of each variable, one weight per class"]
        lines += wrapped("", "CLASSES = [", classes.map(string), "]")
        lines.append("CATEGORICAL_WEIGHTS = {")
        for table in classifier.categorical {
            lines.append("    \(string(table.variable)): {")
            for row in table.rows {
                let weights = row.weights.map(float).joined(separator: ", ")
                lines.append("        \(context.literal(row.value, of: table.variable)): [\(weights)],")
            }
            lines.append("    },")
        }
        lines.append("}")
        lines.append("NUMERICAL_WEIGHTS = {")
        for table in classifier.numerical {
            lines.append("    \(string(table.variable)): [\(table.weights.map(float).joined(separator: ", "))],")
        }
        lines.append("}")
        if let embeddings = program.embeddings {
            lines.append("# The value of every vocabulary word in each embedding variable.")
            lines.append("EMBEDDINGS = {")
            for e in embeddings {
                let entries = e.values.indices.dropFirst().map { "\(string(program.vocabulary[$0])): \(e.values[$0])" }
                lines += wrapped("    ", "\(string(e.variable)): {", entries, "},")
            }
            lines.append("}")
            lines.append("VOCABULARY = set(EMBEDDINGS[\(string(embeddings[0].variable))])")
        }
        lines.append(weightsEnd)
        return lines
    }
}
