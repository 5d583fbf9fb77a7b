import ArgumentParser
import Foundation
import TransformerPrograms

extension TProg.Bench {
    /// `tprog bench train`: training and evaluation speed of each task's paper configuration,
    /// and the interpreter's speed.
    struct Train: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Training steps and sequences per second at each task's paper configuration, and interpreter inputs per second.",
            discussion: """
                A step is one batch of 512 training sequences, forward and backward, at τ = --tau \
                (1: dense, as early in training). GFLOP/s is the step's FLOP count (see \
                TransformerProgram.stepFLOPs) over its time. An evaluation batch is the same forward \
                pass without the backward one. Steps run as training runs them, with subnormal floats \
                flushed to zero (--no-flush-subnormals keeps them). The breakdown gives each kind of work's share of a \
                one-thread step (reads, attention, MLPs, sampling, classifier and loss, the Adam \
                step, and the rest). The interpreter runs the (untrained) sort program on the whole \
                sort input space; with --python, python3 runs the emitted program on the same inputs.
                """)

        @OptionGroup var options: BenchOptions
        @Option(help: "Comma-separated tasks (default: every synthetic task).") var tasks: String?
        @Option(parsing: .unconditional, help: "The temperature of the timed steps.") var tau: Float = 1
        @Flag(help: "Also time python3 on the emitted sort program (about 15 s).") var python = false
        @Flag(inversion: .prefixedNo, help: "Flush subnormal floats to zero in the timed steps, as training does.")
        var flushSubnormals = true

        struct Row: Encodable {
            var task: String
            var stepSeconds: Double
            var stepsPerSecond: Double
            var sequencesPerSecond: Double
            var evalBatchSeconds: Double
            var epochSeconds: Double
            var gflops: Double
            var gflopsPerSecond: Double
            /// Share of a one-thread step per kind of work.
            var breakdown: [String: Double]
            enum CodingKeys: String, CodingKey {
                case task, stepSeconds = "step_seconds", stepsPerSecond = "steps_per_second",
                     sequencesPerSecond = "sequences_per_second", evalBatchSeconds = "eval_batch_seconds",
                     epochSeconds = "estimated_epoch_seconds", gflops = "step_gflop",
                     gflopsPerSecond = "gflop_per_second", breakdown
            }
        }

        struct Report: Encodable {
            var threads: Int
            var tasks: [Row]
            var tau: Float
            var interpreterInputsPerSecond: Double
            var pythonInputsPerSecond: Double?
            enum CodingKeys: String, CodingKey {
                case threads, tasks, tau, interpreterInputsPerSecond = "interpreter_inputs_per_second",
                     pythonInputsPerSecond = "python_inputs_per_second"
            }
        }

        func validate() throws {
            guard tau > 0 else { throw ValidationError("--tau must be positive (got \(tau))") }
            guard tau.isFinite else { throw ValidationError("--tau must be finite (got \(tau))") }
        }

        /// `name`'s step, evaluation batch and one-thread breakdown at its paper configuration.
        func stepRow(_ name: TaskName) throws -> Row {
            let data = try TaskDataset.generate(name, options: .defaults(for: name))
            let trainer = try Trainer(dataset: data, model: .paper(name), options: TrainingOptions())
            let train = trainer.splits[.train]!
            let n = train.length, b = min(512, train.count)
            let adam = Adam(parameters: trainer.model.parameters)
            var step: UInt64 = 0
            func trainStep() {
                train.tokens.withUnsafeBufferPointer { tok in
                    train.labels.withUnsafeBufferPointer { lab in
                        adam.zeroGrad()
                        trainer.runner.run(tokens: tok.baseAddress!, labels: lab.baseAddress!, count: b, length: n,
                                           tau: tau, mode: .gumbelSoft, train: true, seed: 0, stream: step)
                        adam.step()
                        step += 1
                    }
                }
            }
            let stepSeconds = options.medianSeconds(trainStep)
            // The breakdown, on one thread.
            let threads = Parallel.threads
            Parallel.threads = 1
            Profile.start()
            for _ in 0..<max(3, options.repetitions) { trainStep() }
            Profile.stop()
            Parallel.threads = threads
            let breakdown = Dictionary(uniqueKeysWithValues: Profile.fractions().map { ($0.key.name, $0.value) })
            let lengths = (0..<b).map { s in (0..<n).prefix { train.tokens[s * n + $0] != 0 }.count }
            let flops = trainer.model.stepFLOPs(lengths: lengths)
            let evalSeconds = train.tokens.withUnsafeBufferPointer { tok in
                train.labels.withUnsafeBufferPointer { lab in
                    options.medianSeconds {
                        trainer.runner.run(tokens: tok.baseAddress!, labels: lab.baseAddress!, count: b, length: n,
                                           tau: tau, mode: .gumbelSoft, train: false, seed: 0, stream: step)
                    }
                }
            }
            let steps = Double((train.count + 511) / 512)
            let evaluated = Double(trainer.splits[.val]!.count + trainer.splits[.test]!.count) / 512   // val and test, each epoch
            return Row(task: name.rawValue, stepSeconds: stepSeconds, stepsPerSecond: 1 / stepSeconds,
                       sequencesPerSecond: Double(b) / stepSeconds, evalBatchSeconds: evalSeconds,
                       epochSeconds: steps * stepSeconds + evaluated * evalSeconds, gflops: flops / 1e9,
                       gflopsPerSecond: flops / 1e9 / stepSeconds, breakdown: breakdown)
        }

        func run() throws {
            options.configure()
            let names: [TaskName]
            do { names = try (tasks?.split(separator: ",").map { try TaskName(parsing: String($0)) }) ?? TaskName.allCases } catch {
                throw usageError("--tasks: \(error)")
            }
            if names.isEmpty { throw usageError("--tasks: no task given") }
            // The steps run as training runs them: with subnormals flushed unless told otherwise.
            let rows = try Subnormals.flushingToZero(flushSubnormals) { try names.map(stepRow) }
            // The interpreter on the sort input space.
            let sort = try TaskDataset.generate(.sort, options: .defaults(for: .sort))
            let model = try TransformerProgram(config: ModelOptions.paper(.sort).config(for: sort), seed: 0)
            let program = Program(network: model, task: "sort", vocabulary: sort.vocabulary.symbols,
                                  labels: sort.labels.symbols)
            let interpreter = try Interpreter(program)
            let inputs = try TaskDataset.inputSpace(.sort, options: .defaults(for: .sort))!.map { try interpreter.encode($0) }
            let interpreterSeconds = options.medianSeconds {
                for ids in inputs { _ = try? interpreter.run(ids: ids) }
            }
            let pythonSeconds = python ? try Self.pythonSeconds(program, inputs: inputs, interpreter: interpreter) : nil
            let report = Report(threads: Parallel.threads, tasks: rows, tau: tau,
                                interpreterInputsPerSecond: Double(inputs.count) / interpreterSeconds,
                                pythonInputsPerSecond: pythonSeconds.map { Double(inputs.count) / $0 })
            if options.json { try options.printJSON(report); return }
            print("task          step (512 seq)  steps/s  sequences/s  GFLOP  GFLOP/s  eval batch  est. epoch"
                  + "  (\(Parallel.threads) threads, τ = \(tau))")
            for r in rows {
                print(r.task.padding(toLength: 12, withPad: " ", startingAt: 0)
                      + String(format: "  %9.1f ms  %7.1f  %11.0f  %5.2f  %7.1f  %7.1f ms  %8.2f s", r.stepSeconds * 1000,
                               r.stepsPerSecond, r.sequencesPerSecond, r.gflops, r.gflopsPerSecond,
                               r.evalBatchSeconds * 1000, r.epochSeconds))
            }
            print("\nshare of a one-thread step:")
            let kinds = Profile.Kind.allCases.map(\.name)
            print("task        " + kinds.map { $0.padding(toLength: max($0.count, 6), withPad: " ", startingAt: 0) }
                .joined(separator: "  "))
            for r in rows {
                print(r.task.padding(toLength: 12, withPad: " ", startingAt: 0)
                      + kinds.map { String(format: "%5.1f%%", 100 * (r.breakdown[$0] ?? 0))
                          .padding(toLength: max($0.count, 6), withPad: " ", startingAt: 0) }.joined(separator: "  "))
            }
            print(String(format: "\ninterpreter: %.0f inputs/s (sort program, %d inputs of the sort input space)",
                         report.interpreterInputsPerSecond, inputs.count))
            if let p = report.pythonInputsPerSecond {
                print(String(format: "python3 program.py: %.0f inputs/s; the interpreter is %.0f× faster",
                             p, report.interpreterInputsPerSecond / p))
            }
        }

        /// Seconds `python3 program.py` takes to label `inputs` (one JSON array per line on its
        /// standard input), after checking its first labels against the interpreter's.
        static func pythonSeconds(_ program: Program, inputs: [[Int]], interpreter: Interpreter) throws -> Double {
            let folder = FileManager.default.temporaryDirectory.appendingPathComponent("tprog-bench-\(getpid())")
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(at: folder) }
            let script = folder.appendingPathComponent("program.py"), input = folder.appendingPathComponent("inputs.jsonl")
            try PythonEmitter.emit(program).write(to: script, atomically: true, encoding: .utf8)
            let lines = inputs.map { ids in
                "[" + ids.map { "\"" + program.vocabulary[$0] + "\"" }.joined(separator: ", ") + "]"
            }
            try (lines.joined(separator: "\n") + "\n").write(to: input, atomically: true, encoding: .utf8)
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            process.arguments = ["python3", script.path]
            process.standardInput = try FileHandle(forReadingFrom: input)
            let output = Pipe()
            process.standardOutput = output
            let clock = ContinuousClock(), start = clock.now
            try process.run()
            let data = output.fileHandleForReading.readDataToEndOfFile()
            process.waitUntilExit()
            let seconds = (clock.now - start).seconds
            guard process.terminationStatus == 0 else { throw ValidationError("python3 program.py failed") }
            let first = String(decoding: data, as: UTF8.self).split(separator: "\n").first.map(String.init) ?? ""
            let expected = try interpreter.run(ids: inputs[0]).map { "\"" + program.labels[$0] + "\"" }
            guard first.replacingOccurrences(of: " ", with: "") == "[" + expected.joined(separator: ",") + "]" else {
                throw ValidationError("python3 program.py disagrees with the interpreter on the first input: \(first)")
            }
            return seconds
        }
    }
}
