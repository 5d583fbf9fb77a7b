import Testing
@testable import Programs

@Suite("Comparing programs")
struct ProgramDiffTests {
    /// Every input of `tiny` (`<s>`, `a`, `b`; 1 to 4 tokens).
    static let inputs: [[String]] = {
        let symbols = ["<s>", "a", "b"]
        var all: [[String]] = [[]]
        var result: [[String]] = []
        for _ in 1...4 {
            all = all.flatMap { prefix in symbols.map { prefix + [$0] } }
            result += all
        }
        return result
    }()

    @Test("a program against itself: every module the same, every label the same")
    func itself() throws {
        let p = Fixtures.tiny, i = try Interpreter(p)
        #expect(ProgramDiff.modules(p, p).allSatisfy { $0.status == .same })
        let expected = try Self.inputs.map { try i.run($0) }
        let r = try ProgramDiff.behaviour(i, i, inputs: Self.inputs, expected: expected)
        #expect(r.inputs == Self.inputs.count && r.agreeingInputs == r.inputs)
        #expect(r.positions == Self.inputs.reduce(0) { $0 + $1.count })
        #expect(r.agreeingPositions == r.positions && r.correctA == r.positions && r.correctB == r.positions)
        #expect(r.disagreements.isEmpty)
    }

    @Test("one changed table entry, predicate row and classifier weight are named, and the inputs they change found")
    func changes() throws {
        let a = Fixtures.tiny
        var b = a
        b.layers[0].mlps[1].table[0].output = 0   // mlp_0_1: (2, 2) → 1 becomes 0 (the default)
        b.layers[0].heads[1].predicate[2] = 2     // attn_0_1: query value 2 accepts key value 2, not 1
        b.classifier.categorical[0].rows[2].weights = [0.5, 0.75]
        let modules = Dictionary(uniqueKeysWithValues: ProgramDiff.modules(a, b).map { ($0.name, $0) })
        #expect(modules["attn_0_0"]?.status == .same)
        #expect(modules["attn_0_1"]?.details == ["predicate: 1 of 4 query values"])
        #expect(modules["mlp_0_0"]?.status == .same)
        #expect(modules["mlp_0_1"]?.details == ["table: 1 of 3 listed input pairs"])
        #expect(modules["classifier"]?.details == ["weights: 1 of 9 shared features"])

        // What changes is checked against a separate run of each program, input by input.
        let ia = try Interpreter(a), ib = try Interpreter(b)
        let r = try ProgramDiff.behaviour(ia, ib, inputs: Self.inputs, expected: nil, examples: 1000)
        var differing = 0, positions = 0
        for tokens in Self.inputs {
            let la = try ia.run(tokens), lb = try ib.run(tokens)
            positions += tokens.count
            differing += zip(la, lb).filter { $0 != $1 }.count
        }
        #expect(differing > 0)
        #expect(r.positions == positions && r.agreeingPositions == positions - differing)
        #expect(r.correctA == nil && r.correctB == nil)
        #expect(r.disagreements.count == r.inputs - r.agreeingInputs)
        for d in r.disagreements {
            let own = try ia.run(d.tokens)
            #expect(d.a != d.b && d.a == own)
        }
    }

    @Test("modules of one program only, and programs that cannot be compared")
    func mismatches() throws {
        let a = Fixtures.tiny
        var b = a
        b.layers[0].mlps.removeLast()
        b.layers[0].heads[0].name = "attn_0_9"
        let status = Dictionary(uniqueKeysWithValues: ProgramDiff.modules(a, b).map { ($0.name, $0.status) })
        #expect(status["mlp_0_1"] == .onlyInA && status["attn_0_0"] == .onlyInA && status["attn_0_9"] == .onlyInB)
        #expect(ProgramDiff.incompatibility(a, a) == nil)
        var other = a
        other.vocabulary[2] = "c"
        #expect(ProgramDiff.incompatibility(a, other) != nil)
        other = a
        other.pooled = true
        #expect(ProgramDiff.incompatibility(a, other) != nil)
    }

    @Test("scored positions only: <pad> targets are not compared")
    func scoredPositions() throws {
        let i = try Interpreter(Fixtures.tiny)
        let tokens = [["<s>", "a", "b"]]
        let labels = try i.run(tokens[0])
        let r = try ProgramDiff.behaviour(i, i, inputs: tokens, expected: [["<pad>", labels[1], "<pad>"]])
        #expect(r.positions == 1 && r.correctA == 1)
        // Without labels: every position but those holding an unscored token.
        let unlabelled = try ProgramDiff.behaviour(i, i, inputs: Self.inputs, expected: nil, unscored: ["<s>"])
        let expectedPositions = Self.inputs.reduce(0) { $0 + $1.filter { $0 != "<s>" }.count }
        #expect(unlabelled.positions == expectedPositions && unlabelled.correctA == nil)
    }
}
