import Foundation
import Testing
@testable import Programs

@Suite("Ablating modules and pruning programs")
struct ProgramAblationTests {
    /// Every input of `program` up to its maximum length (`<s>` first, then any tokens but `<pad>`
    /// and `<unk>`), at most `limit` of them.
    static func inputs(_ program: Program, limit: Int = 20_000) -> [[String]] {
        let symbols = program.vocabulary.dropFirst().filter { $0 != "<s>" && $0 != "<unk>" }
        var layer: [[String]] = [["<s>"]], all = layer
        for _ in 1..<program.maxLength where all.count < limit {
            layer = layer.flatMap { prefix in symbols.map { prefix + [$0] } }
            all += layer
        }
        return Array(all.prefix(limit))
    }

    /// The positions compared without labels: every one but `<s>`'s.
    static func changes(_ a: Program, _ b: Program, _ inputs: [[String]]) throws -> (positions: Int, inputs: Int) {
        let ia = try Interpreter(a), ib = try Interpreter(b)
        var positions = 0, changed = 0
        for tokens in inputs {
            let la = try ia.run(tokens), lb = try ib.run(tokens)
            let differing = tokens.indices.filter { tokens[$0] != "<s>" && la[$0] != lb[$0] }.count
            positions += differing
            if differing > 0 { changed += 1 }
        }
        return (positions, changed)
    }

    @Test("each effect is what a separate run of the ablated program gives", arguments: ["tiny", "bidirectional", "causal"])
    func effects(name: String) throws {
        let program = Fixtures.all.first { $0.name == name }!.program
        let inputs = Self.inputs(program)
        let study = try ProgramAblation(program, inputs: inputs, labels: nil)
        let modules = program.layers.flatMap { $0.heads.map(\.name) + $0.mlps.map(\.name) }
        #expect(study.effects.map(\.module) == modules)
        #expect(study.inputs == inputs.count)
        #expect(study.positions == inputs.reduce(0) { $0 + $1.count - 1 })
        for (index, effect) in study.effects.enumerated() {
            // Ablate by hand, the way the table in ProgramAblation's documentation says.
            var ablated = program
            var seen = 0
            for l in ablated.layers.indices {
                for h in ablated.layers[l].heads.indices {
                    if seen == index { ablated.layers[l].heads[h].predicate = ablated.layers[l].heads[h].predicate.map { _ in nil } }
                    seen += 1
                }
                for m in ablated.layers[l].mlps.indices {
                    if seen == index {
                        let constant = Int(effect.replacement.split(separator: " ").last!)
                            ?? ablated.vocabulary.firstIndex(of: String(effect.replacement.split(separator: " ").last!))!
                        ablated.layers[l].mlps[m].table = []
                        ablated.layers[l].mlps[m].defaultOutput = constant
                    }
                    seen += 1
                }
            }
            let expected = try Self.changes(program, ablated, inputs)
            #expect(effect.changedPositions == expected.positions, "\(effect.module)")
            #expect(effect.changedInputs == expected.inputs, "\(effect.module)")
            #expect(effect.correct == nil)
        }
        // The fixtures' modules all matter somewhere, except where noted by the effects themselves.
        #expect(study.effects.contains { $0.changedPositions > 0 })
    }

    @Test("an MLP is replaced by its most frequent output on the inputs")
    func mlpConstant() throws {
        let program = Fixtures.tiny
        let inputs = Self.inputs(program)
        let study = try ProgramAblation(program, inputs: inputs, labels: nil)
        let interpreter = try Interpreter(program)
        for mlp in program.layers[0].mlps {
            let slot = program.variables.firstIndex { $0.name == mlp.output }!
            var counts: [Int: Int] = [:]
            for tokens in inputs {
                for v in try interpreter.execute(interpreter.encode(tokens), trace: nil).column(slot) { counts[v, default: 0] += 1 }
            }
            let mode = counts.max { ($0.value, -$0.key) < ($1.value, -$1.key) }!.key
            #expect(study.effects.first { $0.module == mlp.name }?.replacement == "returns \(mode)")
        }
    }

    @Test("a module the classifier and every later module ignore is pruned; the pruned program labels every input the same")
    func pruning() throws {
        // `tiny` with mlp_0_1's classifier rows made equal across classes: its output no longer matters.
        var program = Fixtures.tiny
        program.classifier.categorical[2].rows = program.classifier.categorical[2].rows.map { .init(value: $0.value, weights: [0.3, 0.3]) }
        let inputs = Self.inputs(program)
        let study = try ProgramAblation(program, inputs: inputs, labels: nil)
        #expect(study.effects.first { $0.module == "mlp_0_1" }?.changedPositions == 0)
        #expect(study.removed.contains("mlp_0_1"))
        // Everything removed was inert on its own, and the modules that change labels stay.
        for e in study.effects where e.changedPositions > 0 { #expect(!study.removed.contains(e.module)) }
        #expect(try Self.changes(program, study.pruned, inputs) == (0, 0))
        #expect(study.pruned.layers[0].mlps[1].table.isEmpty)
        try study.pruned.validate()
        // Modules not removed are untouched.
        for (a, b) in zip(program.layers[0].heads, study.pruned.layers[0].heads) where !study.removed.contains(a.name) {
            #expect(a == b)
        }
    }

    @Test("a categorical head that is ablated attends to <s>; a numerical one counts 0")
    func headSemantics() throws {
        let program = Fixtures.bidirectional
        var ablated = ProgramAblation.ablating(program, .head(0, 0))
        ablated = ProgramAblation.ablating(ablated, .head(0, 2))
        let interpreter = try Interpreter(ablated)
        let valueSlot = ablated.variables.firstIndex { $0.name == "tokens" }!
        let outSlot = ablated.variables.firstIndex { $0.name == "attn_0_0_outputs" }!
        let countSlot = ablated.variables.firstIndex { $0.name == "num_attn_0_0_outputs" }!
        for tokens in Self.inputs(ablated, limit: 500) {
            let state = try interpreter.execute(interpreter.encode(tokens), trace: nil)
            #expect(state.column(outSlot) == Array(repeating: state.column(valueSlot)[0], count: tokens.count))
            #expect(state.column(countSlot).allSatisfy { $0 == 0 })
        }
    }

    @Test("with labels, the accuracy of the whole program and of each ablation are counted")
    func accuracy() throws {
        let program = Fixtures.causal
        let inputs = Self.inputs(program, limit: 3_000)
        let interpreter = try Interpreter(program)
        // Expected labels: the program's own, with every third compared position changed to <pad> (not compared)
        // and every fifth to another label (compared, wrong).
        var labels: [[String]] = []
        for tokens in inputs {
            var l = try interpreter.run(tokens)
            for i in l.indices where i % 3 == 2 { l[i] = "<pad>" }
            for i in l.indices where i % 5 == 4 && l[i] != "<pad>" { l[i] = l[i] == "F" ? "T" : "F" }
            labels.append(l)
        }
        let study = try ProgramAblation(program, inputs: inputs, labels: labels)
        let compared = labels.reduce(0) { $0 + $1.filter { $0 != "<pad>" }.count }
        let wrong = labels.reduce(0) { $0 + $1.indices.filter { $0 % 5 == 4 && $0 % 3 != 2 }.count }
        #expect(study.positions == compared)
        #expect(study.correct == compared - wrong)
        #expect(study.effects.allSatisfy { $0.correct != nil && $0.correct! <= compared })
        #expect(study.effects.contains { $0.correct! < study.correct! })
    }
}

extension ProgramAblationTests {
    @Test("an ablated module is one line of Python (the emitted file's equality is checked with the other fixtures)")
    func ablatedModulesAreOneLine() {
        let text = PythonEmitter.emit(Fixtures.ablated)
        let lines = Set(text.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) })
        for line in ["attn_0_0_outputs = tokens[:1] * len(tokens)", "num_attn_1_0_outputs = [0] * len(tokens)",
                     "mlp_0_0_outputs = [2] * len(tokens)", "num_mlp_1_0_outputs = [7] * len(tokens)"] {
            #expect(lines.contains(line), "missing: \(line)")
        }
        #expect(!text.contains("def predicate_0_0") && !text.contains("def num_predicate_1_0"))
        #expect(!text.contains("def mlp_0_0") && !text.contains("def num_mlp_1_0"))
        // The modules left alone are written in full.
        #expect(text.contains("def predicate_0_1") && text.contains("def mlp_1_0"))
    }
}
