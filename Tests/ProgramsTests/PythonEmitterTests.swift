import Foundation
import Testing
@testable import Programs

/// The emitted Python is exactly the program: the same label as the ``Interpreter`` at every
/// position of every input (all inputs up to the maximum length), near-ties included; it is
/// self-contained, silent on import, runnable from anywhere, and rejects bad input clearly.
@Suite("Python emitter")
struct PythonEmitterTests {
    static let python = PythonRunner.interpreterPath
    static let skipped = "python3 is not on PATH: the emitted program cannot be run"

    // MARK: - Running the emitted file

    /// A temporary folder holding `program.py`.
    struct Script {
        let folder: URL
        var path: String { folder.appendingPathComponent("program.py").path }

        init(_ program: Program) throws {
            folder = FileManager.default.temporaryDirectory.appendingPathComponent("tprog-py-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            try PythonEmitter.emit(program).write(toFile: path, atomically: true, encoding: .utf8)
        }

        func remove() { try? FileManager.default.removeItem(at: folder) }
    }

    struct Outcome {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    /// Runs `python3 arguments…` in `directory` with `input` on stdin (through files, so large
    /// inputs and outputs cannot block on a pipe).
    static func python(_ arguments: [String], input: String = "", in directory: URL) throws -> Outcome {
        let files = FileManager.default.temporaryDirectory.appendingPathComponent("tprog-io-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: files, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: files) }
        let (stdin, stdout, stderr) = (files.appendingPathComponent("in"), files.appendingPathComponent("out"),
                                       files.appendingPathComponent("err"))
        try input.write(to: stdin, atomically: true, encoding: .utf8)
        for url in [stdout, stderr] { FileManager.default.createFile(atPath: url.path, contents: nil) }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: python!)
        process.arguments = arguments
        process.currentDirectoryURL = directory
        process.standardInput = try FileHandle(forReadingFrom: stdin)
        process.standardOutput = try FileHandle(forWritingTo: stdout)
        process.standardError = try FileHandle(forWritingTo: stderr)
        try process.run()
        process.waitUntilExit()
        return Outcome(status: process.terminationStatus, stdout: try String(contentsOf: stdout, encoding: .utf8),
                       stderr: try String(contentsOf: stderr, encoding: .utf8))
    }

    /// Every sequence of 0 … `maxLength` input symbols (`<pad>` and `<unk>` left out).
    static func allInputs(_ program: Program) -> [[String]] {
        let symbols = program.vocabulary.dropFirst().filter { $0 != "<unk>" }
        var all: [[String]] = [[]]
        var layer: [[String]] = [[]]
        for _ in 0..<program.maxLength {
            layer = layer.flatMap { prefix in symbols.map { prefix + [$0] } }
            all += layer
        }
        return all
    }

    static func jsonLines(_ inputs: [[String]]) throws -> String {
        let encoder = JSONEncoder()
        return try inputs.map { String(decoding: try encoder.encode($0), as: UTF8.self) + "\n" }.joined()
    }

    // MARK: - Equivalence

    @Test("Python labels equal the interpreter's at every position of every input",
          .enabled(if: python != nil, Comment(rawValue: skipped)), arguments: Fixtures.all.map(\.name))
    func equalsInterpreterOnEveryInput(fixture: String) throws {
        let program = Fixtures.all.first { $0.name == fixture }!.program
        let inputs = Self.allInputs(program)
        #expect(inputs.count >= 100)
        let interpreter = try Interpreter(program)
        let expected = try inputs.map { try interpreter.run($0) }
        let script = try Script(program)
        defer { script.remove() }
        // From another directory: the file needs nothing beside itself.
        let outcome = try Self.python([script.path], input: try Self.jsonLines(inputs),
                                      in: FileManager.default.temporaryDirectory)
        #expect(outcome.status == 0, "stderr: \(outcome.stderr)")
        #expect(outcome.stderr.isEmpty)
        let lines = outcome.stdout.split(separator: "\n")
        try #require(lines.count == inputs.count)
        var mismatches = 0
        for (s, line) in lines.enumerated() {
            let labels = try JSONDecoder().decode([String].self, from: Data(line.utf8))
            if labels != expected[s] {
                mismatches += 1
                if mismatches <= 5 { Issue.record("\(inputs[s]): python \(labels) ≠ interpreter \(expected[s])") }
            }
        }
        #expect(mismatches == 0, "\(mismatches) of \(inputs.count) inputs differ")
    }

    /// The fixtures are worth their name: summing in Float32, or in Float64 in another order,
    /// changes some labels, so the equivalence test above would catch either mistake.
    @Test("the near-tie fixtures are decided only by Float64 sums in the program's order",
          arguments: ["bidirectional", "causal"])
    func nearTiesNeedFloat64InOrder(fixture: String) throws {
        let program = Fixtures.all.first { $0.name == fixture }!.program
        let interpreter = try Interpreter(program)
        let classifier = program.classifier
        let slot = Dictionary(program.variables.enumerated().map { ($1.name, $0) }, uniquingKeysWith: { a, _ in a })
        var float32Differs = 0, reversedDiffers = 0, ties = 0
        for tokens in Self.allInputs(program) {
            let state = try interpreter.execute(interpreter.encode(tokens), trace: nil)
            let expected = try interpreter.run(tokens)
            for i in 0..<tokens.count {
                // The per-class terms, in the program's order.
                let terms: [[Double]] = classifier.categorical.map { table in
                    let value = state.column(slot[table.variable]!)[i]
                    return table.rows.first { $0.value == value }!.weights.map(Double.init)
                } + classifier.numerical.map { table in
                    let x = Double(state.column(slot[table.variable]!)[i])
                    return table.weights.map { x * Double($0) }
                }
                func label(_ logits: [Double]) -> String {
                    var best = 0
                    for c in logits.indices where logits[c] > logits[best] { best = c }
                    return program.labels[classifier.classes[best]]
                }
                let classes = classifier.classes.indices
                let float32 = classes.map { c in Double(terms.reduce(Float(0)) { $0 + Float($1[c]) }) }
                let reversed = classes.map { c in terms.reversed().reduce(0.0) { $0 + $1[c] } }
                let inOrder = classes.map { c in terms.reduce(0.0) { $0 + $1[c] } }
                #expect(label(inOrder) == expected[i])
                if label(float32) != expected[i] { float32Differs += 1 }
                if label(reversed) != expected[i] { reversedDiffers += 1 }
                if Set(inOrder).count < inOrder.count { ties += 1 }
            }
        }
        #expect(float32Differs > 0, "no input where Float32 sums pick another label")
        #expect(reversedDiffers > 0, "no input where the summation order matters")
        #expect(ties > 0, "no exact tie among the logits")
    }

    // MARK: - The file as a program

    @Test("importing the program prints nothing; run() works on import",
          .enabled(if: python != nil, Comment(rawValue: skipped)))
    func importIsSilent() throws {
        let script = try Script(Fixtures.bidirectional)
        defer { script.remove() }
        let silent = try Self.python(["-W", "error", "-c", "import program"], in: script.folder)
        #expect(silent.status == 0)
        #expect(silent.stdout.isEmpty && silent.stderr.isEmpty, "\(silent.stdout)\(silent.stderr)")
        let tokens = ["<s>", "q\"uo\\te", "é", "a"]
        let call = try Self.python(["-c", "import json, program; print(json.dumps(program.run(\(String(decoding: try JSONEncoder().encode(tokens), as: UTF8.self)))))"],
                                   in: script.folder)
        #expect(call.status == 0, "\(call.stderr)")
        let labels = try JSONDecoder().decode([String].self, from: Data(call.stdout.utf8))
        #expect(labels == (try Interpreter(Fixtures.bidirectional).run(tokens)))
    }

    @Test("the script runs from another directory, skips blank lines and flushes every label",
          .enabled(if: python != nil, Comment(rawValue: skipped)))
    func runsFromAnotherDirectory() throws {
        let script = try Script(Fixtures.causal)
        defer { script.remove() }
        let elsewhere = URL(fileURLWithPath: "/")
        let outcome = try Self.python([script.path], input: "[\"<s>\", \"(\"]\n\n   \n[\"(\", \"?\", \")\"]\n[]\n",
                                      in: elsewhere)
        #expect(outcome.status == 0, "\(outcome.stderr)")
        let interpreter = try Interpreter(Fixtures.causal)
        let expected = try [["<s>", "("], ["(", "?", ")"], []].map { try interpreter.run($0) }
        let lines = outcome.stdout.split(separator: "\n", omittingEmptySubsequences: false).dropLast()
        #expect(try lines.map { try JSONDecoder().decode([String].self, from: Data($0.utf8)) } == expected)
    }

    @Test("bad input exits with status 1 and one line on stderr naming the line",
          .enabled(if: python != nil, Comment(rawValue: skipped)),
          arguments: [("[\"a\", \"a\", \"a\", \"a\", \"a\", \"a\", \"a\"]", "allows at most 6"),
                      ("[\"a\", \"zz\"]", "unknown token \"zz\" at position 1"),
                      ("[\"<pad>\"]", "<pad> (position 0) is not an input token"),
                      ("[\"a\", 3]", "unknown token 3"),
                      ("{\"a\": 1}", "expected a list of tokens"),
                      ("[\"a\"", "line 2: ")])
    func badInput(line: String, message: String) throws {
        let script = try Script(Fixtures.bidirectional)
        defer { script.remove() }
        let outcome = try Self.python([script.path], input: "[\"a\"]\n" + line + "\n[\"b\"]\n", in: script.folder)
        #expect(outcome.status == 1)
        #expect(outcome.stdout.split(separator: "\n").count == 1, "the line before the bad one is answered")
        let error = outcome.stderr.trimmingCharacters(in: .newlines)
        #expect(!error.contains("\n"), "more than one line: \(error)")
        #expect(error.hasPrefix("line 2: "), "\(error)")
        #expect(error.contains(message), "\(error)")
    }

    @Test("a vocabulary with <unk> maps unknown tokens to it, as the interpreter does",
          .enabled(if: python != nil, Comment(rawValue: skipped)))
    func unknownTokensBecomeUnk() throws {
        let script = try Script(Fixtures.causal)
        defer { script.remove() }
        let inputs = [["(", "[", ")"], ["<unk>", "x"]]
        let outcome = try Self.python([script.path], input: try Self.jsonLines(inputs), in: script.folder)
        #expect(outcome.status == 0, "\(outcome.stderr)")
        let interpreter = try Interpreter(Fixtures.causal)
        let got = try outcome.stdout.split(separator: "\n").map { try JSONDecoder().decode([String].self, from: Data($0.utf8)) }
        #expect(got == (try inputs.map { try interpreter.run($0) }))
    }

    // MARK: - The text

    @Test("heads and MLPs read like the paper's programs: grouped branches, unreachable values dropped")
    func readableBlocks() {
        let text = PythonEmitter.emit(Fixtures.tiny)
        #expect(text.contains("""
                # attn_0_0: query positions, key tokens, value tokens → attn_0_0_outputs
                def predicate_0_0(position, token):
                    if position in {0, 2}:
                        return token == "a"
                    elif position in {1}:
                        return token == "b"
                    return False

                attn_0_0_pattern = select_closest(tokens, positions, predicate_0_0)
                attn_0_0_outputs = aggregate(attn_0_0_pattern, tokens)
            """))
        #expect(text.contains("""
                def predicate_0_1(q_token, k_token):
                    return k_token == "<s>"
            """))
        #expect(text.contains("""
                # mlp_0_0: attn_0_0_outputs, attn_0_1_outputs → mlp_0_0_outputs
                def mlp_0_0(attn_0_0_output, attn_0_1_output):
                    key = (attn_0_0_output, attn_0_1_output)
                    if key in {("<s>", 0), ("a", 3)}:
                        return 1
                    elif key in {("b", 1)}:
                        return 2
                    return 0

                mlp_0_0_outputs = [
                    mlp_0_0(a, b) for a, b in zip(attn_0_0_outputs, attn_0_1_outputs)
                ]
            """))
        #expect(text.contains("""
                def mlp_0_1(token):
                    key = token
                    if key in {"a", "b"}:
                        return 1
                    return 0

                mlp_0_1_outputs = [mlp_0_1(x) for x in tokens]
            """))
        // No numerical head: no `select` / `aggregate_sum`.
        #expect(!text.contains("def select(") && !text.contains("aggregate_sum"))
        #expect(text.contains("CAUSAL = False"))
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        let weights = lines.firstIndex { $0.hasPrefix(PythonEmitter.weightsBegin) }!
        #expect(lines[..<weights].allSatisfy { $0.count <= PythonEmitter.lineWidth })
        #expect(lines.suffix(3) == ["    main()", ""] || lines.suffix(2) == ["    main()", ""])
    }

    @Test("numerical MLPs whose outputs change at thresholds are written as boxes of input ranges")
    func thresholdTablesAsBoxes() throws {
        let program = Fixtures.thresholds
        let context = PythonEmitter.Context(program)
        for mlp in program.layers[0].mlps {
            let boxes = try #require(PythonEmitter.mlpBoxes(mlp, context))
            let xs = try #require(context.reachable(mlp.inputs[0])).sorted()
            let same = mlp.inputs[0] == mlp.inputs[1]
            let ys: [Int] = same ? [0] : try #require(context.reachable(mlp.inputs[1])).sorted()
            let table = Dictionary(uniqueKeysWithValues: mlp.table.map { ($0.inputs, $0.output) })
            for x in xs {
                for y in ys {
                    let expected = table[same ? [x, x] : [x, y]] ?? mlp.defaultOutput
                    let hits = boxes.filter { $0.x.contains(x) && (same || $0.y?.contains(y) == true) }
                    #expect(hits.count <= 1, "boxes overlap at \(x), \(y)")
                    #expect((hits.first?.output ?? mlp.defaultOutput) == expected, "\(mlp.name) at \(x), \(y)")
                }
            }
            #expect(boxes.allSatisfy { $0.output != mlp.defaultOutput })
        }
        // The one-input table: 1 on 0…1 (the default), 3 on 2…3, 6 on 4…5, 4 on 6…7.
        let text = PythonEmitter.emit(program)
        #expect(text.contains("""
                def num_mlp_0_1(num_attn_0_1_output):
                    x = num_attn_0_1_output
                    # the output for x in x_low..x_high; 1 elsewhere
                    for x_low, x_high, output in [(2, 3, 3), (4, 5, 6), (6, 7, 4)]:
                        if x_low <= x <= x_high:
                            return output
                    return 1
            """))
        #expect(text.contains("        for x_low, x_high, y_low, y_high, output in ["))
        // Rows 0 and 1 give the same outputs (0 everywhere), so they share one box.
        #expect(text.contains("(0, 1, 0, 7, 0)"))
        // The statistics count boxes as the MLP's branches.
        let statistics = ProgramStatistics(program: program, python: text)
        let counts = statistics.components.filter { $0.kind == "numerical_mlp" }.map(\.branches)
        #expect(counts == program.layers[0].mlps.map { PythonEmitter.mlpBoxes($0, context)?.count ?? -1 })
    }

    @Test("numerical heads use select/aggregate_sum and num_predicate; causal programs say so")
    func numericalAndCausal() {
        let text = PythonEmitter.emit(Fixtures.causal)
        #expect(text.contains("CAUSAL = True"))
        #expect(text.contains("def select(keys, queries, predicate):"))
        #expect(text.contains("def num_predicate_0_0(q_token, k_token):"))
        #expect(text.contains("num_attn_0_0_pattern = select(tokens, tokens, num_predicate_0_0)"))
        #expect(text.contains("num_attn_0_0_outputs = aggregate_sum(num_attn_0_0_pattern, ones)"))
        #expect(text.contains("def num_mlp_0_0(num_attn_0_0_output, num_attn_0_1_output):"))
        #expect(text.contains("def attn_0_0") == false)
        // Token-typed MLP outputs are shown as symbols.
        let mlp = text.components(separatedBy: "def mlp_1_0(")[1].components(separatedBy: "mlp_1_0_outputs =")[0]
        #expect(mlp.contains("return \"") && !mlp.contains("return 1\n"))
    }

    @Test("classifier weights are inline, at the end, as exact Float64 literals of the Float32 weights")
    func exactWeights() throws {
        let text = PythonEmitter.emit(Fixtures.bidirectional)
        let begin = try #require(text.range(of: PythonEmitter.weightsBegin))
        let end = try #require(text.range(of: PythonEmitter.weightsEnd))
        #expect(!text[..<begin.lowerBound].contains("0x1p") && !text.contains(".csv"))
        #expect(text[end.upperBound...].trimmingCharacters(in: .whitespacesAndNewlines)
                == "if __name__ == \"__main__\":\n    main()")
        #expect(text.contains("\"positions\": {"))
        #expect(text.contains("\"ones\": ["))
        // 0.1 as a Float is 0.100000001490116…: its Float shortest form would be the wrong double.
        #expect(PythonEmitter.float(0.1) == "0.10000000149011612")
        #expect(Double("\(Float(0.1))")! != Double(Float(0.1)))
        var rng = SystemRandomNumberGenerator()
        for _ in 0..<10_000 {
            let f = Float(bitPattern: UInt32.random(in: 0...UInt32.max, using: &rng))
            guard f.isFinite else { continue }
            #expect(Double(PythonEmitter.float(f)) == Double(f))
        }
        #expect(PythonEmitter.float(.infinity) == "float(\"inf\")")
        #expect(PythonEmitter.float(-0.0) == "-0.0")
    }

    @Test("strings are quoted as json.dumps would: quotes, backslashes, control and non-ASCII characters")
    func quoting() {
        #expect(PythonEmitter.string("q\"uo\\te") == #""q\"uo\\te""#)
        #expect(PythonEmitter.string("a\nb\u{1}") == #""a\nb\u0001""#)
        #expect(PythonEmitter.string("é") == #""\u00e9""#)
        #expect(PythonEmitter.string("😀") == #""\U0001f600""#)
        #expect(PythonEmitter.emit(Fixtures.bidirectional).contains(#"VOCABULARY = {"<s>", "a", "b", "q\"uo\\te", "\u00e9"}"#))
    }

    @Test("the same program always gives the same text")
    func deterministic() {
        for (_, program) in Fixtures.all {
            #expect(PythonEmitter.emit(program) == PythonEmitter.emit(program))
        }
        #expect(PythonEmitter.emit(Fixtures.tiny, version: "9.9").contains("tprog 9.9"))
    }
}
