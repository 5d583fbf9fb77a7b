import ArgumentParser
import Foundation
import TransformerPrograms

extension TProg {
    /// `tprog diff`: how two programs differ.
    struct Diff: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Compare two programs: module by module, and label by label on inputs.",
            discussion: """
                Modules are matched by name. Inputs: every split of A's run (A must then be a run folder), \
                every input of its task's input space (--exhaustive), or --data FILE (JSON Lines as `tprog \
                data` prints; labels optional). Labels are compared at the scored positions (without labels: \
                every position but those of <s> and </s>). Exit code: 0 when the programs agree on every \
                compared position, 1 when they do not, 2 on bad input.
                """)

        @Argument(help: "Program A: a run folder or a program.json file.") var a: String
        @Argument(help: "Program B: a run folder or a program.json file.") var b: String
        @Option(help: "Compare on this JSON Lines file instead of A's splits.") var data: String?
        @Flag(help: "Compare on every input of A's task (sort, reverse: 19,530 inputs; up to 1,000,000).") var exhaustive = false
        @Option(parsing: .unconditional, help: "How many disagreeing inputs to show.") var examples = 3
        @Flag(help: "Print one JSON object.") var json = false

        func validate() throws {
            guard examples >= 0 else { throw ValidationError("--examples must be 0 or more") }
            if exhaustive && data != nil { throw ValidationError("--exhaustive and --data exclude each other") }
        }

        func run() throws {
            let programA = try ProgramArgument.load(a), programB = try ProgramArgument.load(b)
            if let problem = ProgramDiff.incompatibility(programA, programB) { throw usageError(problem) }
            let interpreterA = try Interpreter(programA), interpreterB = try Interpreter(programB)
            // Each set of inputs, with their expected labels when it has them.
            var sets: [(name: String, inputs: [[String]], labels: [[String]]?)] = []
            if let data {
                let examples = try ExampleFile.read(data, for: programA)
                let labelled = examples.allSatisfy { $0.labels.contains { $0 != Special.pad } }
                sets.append((data, examples.map(\.tokens), labelled ? examples.map(\.labels) : nil))
            } else {
                guard ProgramArgument.isFolder(a) else {
                    throw usageError("\(a) is a program file: give --data FILE to compare on")
                }
                // Only the run's configuration is needed (its model is not).
                let config: RunConfig
                do { config = try RunFolder(a).readJSON(RunConfig.self, "config.json") } catch { throw usageError("\(error)") }
                if exhaustive {
                    sets.append(("input space", try InputSpaceArgument.inputs(of: config), nil))
                } else {
                    let dataset: any LabeledDataset
                    do { dataset = try config.dataset() } catch { throw usageError("\(error)") }
                    for split in Split.allCases {
                        let examples = dataset.examples(split)
                        sets.append((split.rawValue, examples.map(\.tokens), examples.map(\.labels)))
                    }
                }
            }
            let modules = ProgramDiff.modules(programA, programB)
            var reports: [DiffSet] = []
            for set in sets {
                let report: ProgramDiff.Behaviour
                do {
                    report = try ProgramDiff.behaviour(interpreterA, interpreterB, inputs: set.inputs, expected: set.labels,
                                                       unscored: [Special.bos, Special.eos], examples: examples)
                } catch let e as ProgramError { throw usageError("\(set.name): \(e.description)") }
                reports.append(DiffSet(set: set.name, behaviour: report))
            }
            let agree = reports.allSatisfy { $0.behaviour.agreeingPositions == $0.behaviour.positions }
            if json {
                print(try JSONCoding.line(DiffReport(modules: modules, sets: reports, agree: agree)))
            } else {
                print(Self.render(modules: modules, sets: reports, examples: examples), terminator: "")
            }
            if !agree { throw ExitCode(1) }
        }

        static func render(modules: [ProgramDiff.ModuleDifference], sets: [DiffSet], examples: Int) -> String {
            let same = modules.filter { $0.status == .same }.count
            var out = "modules (matched by name): \(same) of \(modules.count) the same\n"
            let width = modules.map(\.name.count).max() ?? 0
            for m in modules where m.status != .same {
                let what: String
                switch m.status {
                case .onlyInA: what = "only in A"
                case .onlyInB: what = "only in B"
                default: what = m.details.joined(separator: "; ")
                }
                out += "  " + m.name.padding(toLength: width + 2, withPad: " ", startingAt: 0) + what + "\n"
            }
            func percent(_ x: Int, _ n: Int) -> String { String(format: "%.2f%%", 100 * Double(x) / Double(max(n, 1))) }
            for s in sets {
                let r = s.behaviour
                out += "\(s.set): \(r.inputs) inputs; labels agree on \(r.agreeingPositions) of \(r.positions) positions"
                    + " (\(percent(r.agreeingPositions, r.positions))), on every position of \(r.agreeingInputs) inputs"
                    + " (\(percent(r.agreeingInputs, r.inputs)))"
                if let ca = r.correctA, let cb = r.correctB {
                    out += "; accuracy A \(percent(ca, r.positions)), B \(percent(cb, r.positions))"
                }
                out += "\n"
            }
            let shown = sets.flatMap { s in s.behaviour.disagreements.map { (s.set, $0) } }.prefix(examples)
            if !shown.isEmpty {
                out += "first disagreements:\n"
                for (set, d) in shown {
                    out += "  \(set)  \(d.tokens.joined(separator: " "))\n"
                    out += "    A:        \(d.a.joined(separator: " "))\n    B:        \(d.b.joined(separator: " "))\n"
                    if let e = d.expected { out += "    expected: \(e.joined(separator: " "))\n" }
                }
            }
            return out
        }
    }
}

/// One input set of `tprog diff --json`.
struct DiffSet: Encodable {
    var set: String
    var behaviour: ProgramDiff.Behaviour
}

/// `tprog diff --json`: `{"agree": false, "modules": [...], "sets": [...]}`.
struct DiffReport: Encodable {
    var modules: [ProgramDiff.ModuleDifference]
    var sets: [DiffSet]
    var agree: Bool
}
