import ArgumentParser
import Foundation
import TransformerPrograms

extension TProg {
    /// `tprog ablate`: what each module of a program contributes, and the program without the
    /// modules that change no label.
    struct Ablate: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Ablate each module of a program in turn (heads attend to <s> or count 0, MLPs return a constant), count the labels that change, and prune the modules that change none.",
            discussion: """
                Inputs: every split of the run (RUN must then be a run folder), one --split, every input of the \
                task's input space (--exhaustive), or --data FILE (JSON Lines as `tprog data` prints; labels \
                optional). Labels are compared where a label is expected (without labels: every position but those \
                of <s> and </s>). The pruned program ablates, together, every module it can while every compared \
                label stays the same; with --exhaustive it equals the whole program, and so the network, on every \
                input of the task. -o FILE writes it as a program.json, which emit, run, stats and diff read.
                """)

        @OptionGroup var source: ProgramArgument
        @Option(help: "train, val, test or all (default all): the run's split(s) to ablate on.") var split: String?
        @Option(help: "Ablate on this JSON Lines file instead of the run's splits.") var data: String?
        @Flag(help: "Ablate on every input of the run's task (up to 1,000,000).") var exhaustive = false
        @Option(name: .shortAndLong, help: "Write the pruned program (program.json format) to this file.") var output: String?
        @Flag(help: "With --output: replace an existing file.") var force = false
        @Flag(help: "Print one JSON object.") var json = false

        func validate() throws {
            if [split != nil, data != nil, exhaustive].filter({ $0 }).count > 1 {
                throw ValidationError("--split, --data and --exhaustive exclude each other")
            }
            if force && output == nil { throw ValidationError("--force needs --output") }
            if output?.isEmpty == true { throw ValidationError("--output: the path is empty") }
        }

        func run() throws {
            let program = try source.load()
            let inputs: [[String]], labels: [[String]]?, described: String
            if let data {
                let examples = try ExampleFile.read(data, for: program)
                let labelled = examples.allSatisfy { $0.labels.contains { $0 != Special.pad } }
                (inputs, labels, described) = (examples.map(\.tokens), labelled ? examples.map(\.labels) : nil, data)
            } else {
                guard ProgramArgument.isFolder(source.run) else {
                    throw usageError("\(source.run) is a program file: give --data FILE to ablate on")
                }
                let config: RunConfig
                do { config = try RunFolder(source.run).readJSON(RunConfig.self, "config.json") } catch { throw usageError("\(error)") }
                if exhaustive {
                    (inputs, labels, described) = (try InputSpaceArgument.inputs(of: config), nil, "\(config.task)'s input space")
                } else {
                    let dataset: any LabeledDataset
                    do { dataset = try config.dataset() } catch { throw usageError("\(error)") }
                    let splits = try Split.selected(by: split)
                    let examples = splits.flatMap { dataset.examples($0) }
                    let names = splits.map(\.rawValue)
                    (inputs, labels, described) = (examples.map(\.tokens), examples.map(\.labels),
                                                   names.count == 1 ? "the \(names[0]) split" : "the train, val and test splits")
                }
            }
            let study: ProgramAblation
            do { study = try ProgramAblation(program, inputs: inputs, labels: labels) } catch let e as ProgramError {
                throw usageError(e.description)
            }
            let before = ProgramStatistics(program: program, python: PythonEmitter.emit(program))
            let after = ProgramStatistics(program: study.pruned, python: PythonEmitter.emit(study.pruned))
            if let output {
                let text = try JSONCoding.pretty(study.pruned)
                do { try AtomicFile.write(text, to: URL(fileURLWithPath: output), replace: force) } catch {
                    throw usageError(error.description)
                }
            }
            if json {
                print(try JSONCoding.line(AblationReport(study: study, codeLinesBefore: before.codeLines,
                                                         codeLinesAfter: after.codeLines, output: output)))
            } else {
                print(Self.render(study, on: described, before: before.codeLines, after: after.codeLines, output: output),
                      terminator: "")
            }
        }

        static func render(_ s: ProgramAblation, on described: String, before: Int, after: Int, output: String?) -> String {
            func count(_ x: Int) -> String { x.formatted(.number.grouping(.automatic)) }
            func percent(_ x: Int, _ n: Int) -> String { String(format: "%.2f%%", 100 * Double(x) / Double(max(n, 1))) }
            var out = "ablation on \(described): \(count(s.inputs)) inputs, \(count(s.positions)) compared positions"
            if let c = s.correct { out += "; accuracy \(percent(c, s.positions))" }
            out += "\n"
            let nameWidth = max(6, s.effects.map(\.module.count).max() ?? 0) + 2
            let whatWidth = max(8, s.effects.map(\.replacement.count).max() ?? 0) + 2
            func pad(_ t: String, _ w: Int) -> String { t.padding(toLength: max(w, t.count), withPad: " ", startingAt: 0) }
            out += pad("module", nameWidth) + pad("ablated", whatWidth) + pad("labels changed", 24) + "inputs changed"
            out += s.correct == nil ? "\n" : "        accuracy\n"
            for e in s.effects {
                out += pad(e.module, nameWidth) + pad(e.replacement, whatWidth)
                out += pad("\(count(e.changedPositions)) (\(percent(e.changedPositions, s.positions)))", 24)
                let inputs = "\(count(e.changedInputs)) (\(percent(e.changedInputs, s.inputs)))"
                out += e.correct.map { pad(inputs, 22) + percent($0, s.positions) } ?? inputs
                out += "\n"
            }
            let inert = s.effects.filter { $0.changedPositions == 0 }.map(\.module)
            out += "inert one at a time: \(inert.count) of \(s.effects.count) modules"
            out += inert.isEmpty ? "\n" : " (\(inert.joined(separator: ", ")))\n"
            out += "pruned together: \(s.removed.count) of \(s.effects.count) modules; every compared label unchanged; "
                + "\(before) → \(after) code lines\n"
            if let output { out += "wrote \(output)\n" }
            return out
        }
    }
}

/// `tprog ablate --json`.
struct AblationReport: Encodable {
    var inputs: Int, positions: Int, correct: Int?
    var effects: [ProgramAblation.Effect]
    var removed: [String]
    var codeLinesBefore: Int, codeLinesAfter: Int
    var output: String?

    init(study: ProgramAblation, codeLinesBefore: Int, codeLinesAfter: Int, output: String?) {
        (inputs, positions, correct) = (study.inputs, study.positions, study.correct)
        (effects, removed) = (study.effects, study.removed)
        (self.codeLinesBefore, self.codeLinesAfter, self.output) = (codeLinesBefore, codeLinesAfter, output)
    }

    enum CodingKeys: String, CodingKey {
        case inputs, positions, correct, effects, removed, output
        case codeLinesBefore = "code_lines_before", codeLinesAfter = "code_lines_after"
    }
}
