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
                A step is one batch of 512 sequences, forward and backward, at τ = 1 (dense: early \
                training; late training is faster as samples become exactly one-hot). An evaluation \
                batch is the same forward pass without the backward one. The interpreter runs the \
                (untrained) sort program on the whole sort input space.
                """)

        @OptionGroup var options: BenchOptions
        @Option(help: "Comma-separated tasks (default: every synthetic task).") var tasks: String?

        struct Row: Encodable {
            var task: String
            var stepSeconds: Double
            var stepsPerSecond: Double
            var sequencesPerSecond: Double
            var evalBatchSeconds: Double
            var epochSeconds: Double
            enum CodingKeys: String, CodingKey {
                case task, stepSeconds = "step_seconds", stepsPerSecond = "steps_per_second",
                     sequencesPerSecond = "sequences_per_second", evalBatchSeconds = "eval_batch_seconds",
                     epochSeconds = "estimated_epoch_seconds"
            }
        }

        struct Report: Encodable {
            var threads: Int
            var tasks: [Row]
            var interpreterInputsPerSecond: Double
            enum CodingKeys: String, CodingKey {
                case threads, tasks, interpreterInputsPerSecond = "interpreter_inputs_per_second"
            }
        }

        func run() throws {
            options.configure()
            let names = try (tasks?.split(separator: ",").map { try TaskName(parsing: String($0)) }) ?? TaskName.allCases
            var rows: [Row] = []
            for name in names {
                let data = try TaskDataset.generate(name, options: .defaults(for: name))
                let trainer = try Trainer(dataset: data, model: .paper(name), options: TrainingOptions())
                let train = trainer.splits[.train]!
                let n = train.length, b = min(512, train.count)
                let adam = Adam(parameters: trainer.model.parameters)
                var step: UInt64 = 0
                let stepSeconds = train.tokens.withUnsafeBufferPointer { tok in
                    train.labels.withUnsafeBufferPointer { lab in
                        options.medianSeconds {
                            adam.zeroGrad()
                            trainer.runner.run(tokens: tok.baseAddress!, labels: lab.baseAddress!, count: b, length: n,
                                               tau: 1, mode: .gumbelSoft, train: true, seed: 0, stream: step)
                            adam.step()
                            step += 1
                        }
                    }
                }
                let evalSeconds = train.tokens.withUnsafeBufferPointer { tok in
                    train.labels.withUnsafeBufferPointer { lab in
                        options.medianSeconds {
                            trainer.runner.run(tokens: tok.baseAddress!, labels: lab.baseAddress!, count: b, length: n,
                                               tau: 1, mode: .gumbelSoft, train: false, seed: 0, stream: step)
                        }
                    }
                }
                let steps = Double((train.count + 511) / 512)
                let evaluated = Double(Split.allCases.reduce(0) { $0 + trainer.splits[$1]!.count }) / 512
                rows.append(Row(task: name.rawValue, stepSeconds: stepSeconds, stepsPerSecond: 1 / stepSeconds,
                                sequencesPerSecond: Double(b) / stepSeconds, evalBatchSeconds: evalSeconds,
                                epochSeconds: steps * stepSeconds + evaluated * evalSeconds))
            }
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
            let report = Report(threads: Parallel.threads, tasks: rows,
                                interpreterInputsPerSecond: Double(inputs.count) / interpreterSeconds)
            if options.json { try options.printJSON(report); return }
            print("task          step (512 seq)   steps/s   sequences/s   eval batch   est. epoch   (\(Parallel.threads) threads)")
            for r in rows {
                print(r.task.padding(toLength: 12, withPad: " ", startingAt: 0)
                      + String(format: "  %9.1f ms  %8.1f  %12.0f  %8.1f ms  %9.2f s", r.stepSeconds * 1000,
                               r.stepsPerSecond, r.sequencesPerSecond, r.evalBatchSeconds * 1000, r.epochSeconds))
            }
            print(String(format: "interpreter: %.0f inputs/s (sort program, %d inputs of the sort input space)",
                         report.interpreterInputsPerSecond, inputs.count))
        }
    }
}
