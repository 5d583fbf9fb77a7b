import Autograd
import Tasks

/// Ablation: how much each module of a program matters on a set of inputs, and a smaller
/// program that labels those inputs exactly as the whole one does.
///
/// A module is *ablated* by making it compute its own "nothing found" case everywhere:
///
/// | module | ablated | in Python |
/// |---|---|---|
/// | categorical head | its predicate accepts no key, so every query attends to position 0 (`<s>`) and copies the value there | `return False` |
/// | numerical head | its predicate accepts no key, so it counts 0 | `return False` |
/// | MLP | its table is empty: it returns one constant, its most frequent output on the inputs | `return 3` |
///
/// Every value an ablated module produces is in its output variable's value set (a categorical
/// head's outputs are its value variable's values, a count of 0 is always possible, and the
/// constant is an output the MLP gave), so an ablated program is a valid ``Program``: it can be
/// run, emitted, diffed and verified like any other.
///
/// ``effects`` ablates one module at a time and counts the compared positions whose label
/// changes (and, with expected labels, how many are still right). ``pruned`` ablates modules
/// together, greedily from the last layer back (MLPs before the heads they read, so that what
/// only a removed module read can go too), keeping each ablation that leaves every compared
/// label as the whole program gives it. So on these inputs ``pruned`` equals the program, and on
/// a task's whole input space (`tprog ablate --exhaustive`) it equals it on every input: the
/// program came from the network, so the pruned program computes exactly what the network
/// computes, with fewer working parts.
///
/// ```swift
/// let study = try ProgramAblation(program, inputs: inputs, labels: nil)
/// study.effects.filter { $0.changedPositions == 0 }   // modules inert one at a time
/// study.removed                                        // modules ablated together in `pruned`
/// ```
public struct ProgramAblation: Sendable {
    /// What ablating one module does on the inputs.
    public struct Effect: Codable, Sendable, Equatable {
        /// `attn_0_1`, `num_mlp_2_0`, …
        public var module: String
        /// What the ablated module computes: `attends to <s>`, `counts 0`, `returns 3`.
        public var replacement: String
        /// Compared positions whose label changes.
        public var changedPositions: Int
        /// Inputs with at least one changed label.
        public var changedInputs: Int
        /// Compared positions labelled as expected with the module ablated (`nil` without labels).
        public var correct: Int?

        enum CodingKeys: String, CodingKey {
            case module, replacement, changedPositions = "changed_positions", changedInputs = "changed_inputs", correct
        }
    }

    /// How many inputs and compared positions there are.
    public let inputs: Int, positions: Int
    /// Compared positions the whole program labels as expected (`nil` without labels).
    public let correct: Int?
    /// One per module, in program order (each layer's heads, then its MLPs).
    public let effects: [Effect]
    /// The program with every module of ``removed`` ablated.
    public let pruned: Program
    /// The modules ablated in ``pruned``, in program order.
    public let removed: [String]

    /// A module by position: layer, and the head or MLP index in it.
    enum Module {
        case head(Int, Int)
        case mlp(Int, Int, constant: Int)
    }

    /// Ablates every module of `program` on `inputs` (token sequences without `<pad>`). The
    /// compared positions are those whose expected label (`labels`) is not `<pad>`, or without
    /// labels every position whose token is not in `unscored`; for a pooled program, the
    /// sequence's one label. Throws when an input cannot be encoded, as `tprog run` would.
    public init(_ program: Program, inputs: [[String]], labels: [[String]]?,
                unscored: Set<String> = [Special.bos, Special.eos]) throws {
        precondition(labels == nil || labels!.count == inputs.count, "one label list per input")
        let base = try Interpreter(program)
        let ids = try inputs.map { try base.encode($0) }
        let labelIndex = Dictionary(program.labels.enumerated().map { ($1, $0) }, uniquingKeysWith: { a, _ in a })
        // The compared positions of each input, and the expected label id there (−1: none or unknown).
        var compared: [[Int]] = [], expected: [[Int]] = []
        for (n, tokens) in inputs.enumerated() {
            let gold = labels?[n]
            let where_: [Int] = program.pooled ? (tokens.isEmpty ? [] : [0])
                : tokens.indices.filter { i in gold.map { $0[i] != Special.pad } ?? !unscored.contains(tokens[i]) }
            compared.append(where_)
            expected.append(where_.map { i in gold.map { labelIndex[$0[i]] ?? -1 } ?? -1 })
        }
        let reference = try Self.labels(base, ids)
        let check = Comparison(ids: ids, compared: compared, expected: expected, reference: reference,
                               labelled: labels != nil)

        // Each MLP's most frequent output over every position of every input (ties: the smaller value).
        let mlpOutputs = program.layers.flatMap { $0.mlps.map(\.output) }
        var counts = [[Int: Int]](repeating: [:], count: mlpOutputs.count)
        let slots = mlpOutputs.map { name in program.variables.firstIndex { $0.name == name }! }
        for x in ids where !x.isEmpty {
            let state = try base.execute(x, trace: nil)
            for (m, slot) in slots.enumerated() { for v in state.column(slot) { counts[m][v, default: 0] += 1 } }
        }
        var modules: [(name: String, module: Module, replacement: String)] = []
        var mlpNumber = 0
        for (l, layer) in program.layers.enumerated() {
            for (h, head) in layer.heads.enumerated() {
                modules.append((head.name, .head(l, h), head.kind == .categorical ? "attends to <s>" : "counts 0"))
            }
            for (m, mlp) in layer.mlps.enumerated() {
                let mode = counts[mlpNumber].max { ($0.value, -$0.key) < ($1.value, -$1.key) }?.key ?? mlp.defaultOutput
                mlpNumber += 1
                let shown = program.variables.first { $0.name == mlp.output }.map { Self.show(mode, $0, program) } ?? "\(mode)"
                modules.append((mlp.name, .mlp(l, m, constant: mode), "returns \(shown)"))
            }
        }

        var effects: [Effect] = []
        for m in modules {
            let result = try check.run(Self.ablating(program, m.module))
            effects.append(Effect(module: m.name, replacement: m.replacement, changedPositions: result.changedPositions,
                                  changedInputs: result.changedInputs, correct: result.correct))
        }
        // Greedy pruning, last layer first, MLPs before heads: only modules inert on their own can go.
        var pruned = program, removed = Set<String>()
        for (m, effect) in zip(modules, effects).reversed() where effect.changedPositions == 0 {
            let trial = Self.ablating(pruned, m.module)
            if try check.run(trial).changedPositions == 0 {
                pruned = trial
                removed.insert(m.name)
            }
        }
        self.inputs = inputs.count
        self.positions = compared.reduce(0) { $0 + $1.count }
        self.correct = labels == nil ? nil : try check.run(program).correct
        self.effects = effects
        self.pruned = pruned
        self.removed = modules.map(\.name).filter { removed.contains($0) }
    }

    /// `program` with `module` ablated.
    static func ablating(_ program: Program, _ module: Module) -> Program {
        var p = program
        switch module {
        case let .head(l, h):
            p.layers[l].heads[h].predicate = p.layers[l].heads[h].predicate.map { _ in nil }
        case let .mlp(l, m, constant):
            p.layers[l].mlps[m].table = []
            p.layers[l].mlps[m].defaultOutput = constant
        }
        return p
    }

    /// A value as the program shows it: a token symbol, or the number.
    static func show(_ value: Int, _ variable: Variable, _ program: Program) -> String {
        variable.type == .token && value >= 0 && value < program.vocabulary.count ? program.vocabulary[value] : "\(value)"
    }

    /// The label ids of every input, split over the worker threads.
    static func labels(_ interpreter: Interpreter, _ ids: [[Int]]) throws -> [[Int]] {
        let results = UncheckedSendable(UnsafeMutableBufferPointer<Result<[Int], any Error>>.allocate(capacity: ids.count))
        defer { results.value.deallocate() }
        Parallel.forRanges(ids.count, minimumPerThread: 64) { range in
            for n in range {
                let r: Result<[Int], any Error> = ids[n].isEmpty ? .success([]) : Result { try interpreter.run(ids: ids[n]) }
                (results.value.baseAddress! + n).initialize(to: r)
            }
        }
        defer { results.value.baseAddress!.deinitialize(count: ids.count) }
        return try results.value.map { try $0.get() }
    }

    /// The inputs and the whole program's labels, to compare variants against.
    struct Comparison {
        let ids: [[Int]], compared: [[Int]], expected: [[Int]], reference: [[Int]]
        let labelled: Bool

        /// Positions and inputs where `variant` labels differently, and (with labels) its correct positions.
        func run(_ variant: Program) throws -> (changedPositions: Int, changedInputs: Int, correct: Int?) {
            let got = try ProgramAblation.labels(try Interpreter(variant), ids)
            var positions = 0, inputs = 0, correct = 0
            for n in ids.indices {
                var changed = false
                for (c, i) in compared[n].enumerated() {
                    if got[n][i] != reference[n][i] { positions += 1; changed = true }
                    if got[n][i] == expected[n][c] { correct += 1 }
                }
                if changed { inputs += 1 }
            }
            return (positions, inputs, labelled ? correct : nil)
        }
    }
}
