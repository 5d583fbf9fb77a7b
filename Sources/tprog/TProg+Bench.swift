import ArgumentParser
import Foundation
import TransformerPrograms

extension TProg {
    /// `tprog bench <kind>`: micro-benchmarks, one subcommand per kind.
    struct Bench: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Measure the speed of the kernels and the training step.",
            subcommands: [Core.self, Train.self]
        )
    }
}

/// Options every benchmark kind shares.
struct BenchOptions: ParsableArguments {
    @Option(parsing: .unconditional, help: "Worker threads (default: the active cores, or TPROG_THREADS).")
    var threads: Int?

    @Option(parsing: .unconditional, help: "Timed repetitions; the median is reported.")
    var repetitions = 7

    @Flag(help: "Print one JSON object instead of a table.")
    var json = false

    func validate() throws {
        if let threads, threads < 1 || threads > Parallel.maxThreads {
            throw ValidationError("--threads must be from 1 to \(Parallel.maxThreads) (got \(threads)).")
        }
        if repetitions < 1 || repetitions > 10_000 {
            throw ValidationError("--repetitions must be from 1 to 10000 (got \(repetitions)).")
        }
    }

    /// Applies `--threads`.
    func configure() {
        if let threads { Parallel.threads = threads }
    }

    /// The median over `repetitions` of the seconds one call of `body` takes. Each repetition
    /// runs `body` enough times to last about 20 ms, after one untimed warm-up call.
    func medianSeconds(_ body: () throws -> Void) rethrows -> Double {
        let clock = ContinuousClock()
        try body()
        let once = try clock.measure(body).seconds
        let calls = max(1, Int(0.02 / max(once, 1e-9)))
        var times: [Double] = []
        for _ in 0..<repetitions {
            let t = try clock.measure { for _ in 0..<calls { try body() } }
            times.append(t.seconds / Double(calls))
        }
        times.sort()
        return times[times.count / 2]
    }

    /// Prints `value` as sorted-key JSON.
    func printJSON<T: Encodable>(_ value: T) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        print(String(decoding: try encoder.encode(value), as: UTF8.self))
    }
}

extension Duration {
    var seconds: Double {
        let (s, atto) = components
        return Double(s) + Double(atto) * 1e-18
    }
}

extension TProg.Bench {
    /// `tprog bench core`: GEMM throughput and Gumbel-noise draws.
    struct Core: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "GEMM GFLOP/s (configured threads and one thread), Gumbel draws per second, and the time to generate a synthetic data set.")

        @OptionGroup var options: BenchOptions

        struct GemmResult: Codable {
            var m: Int, n: Int, k: Int, threads: Int, gflops: Double
        }

        struct Result: Codable {
            var gemm: [GemmResult]
            var gumbelDrawsPerSecond: Double
            var uniformDrawsPerSecond: Double
            /// Seconds to generate hist's data set at the paper's settings (20,000 de-duplicated examples, split).
            var histDatasetSeconds: Double
        }

        func run() throws {
            options.configure()
            let configured = Parallel.threads
            var gemm: [GemmResult] = []
            for (m, n, k) in [(8192, 64, 64), (8192, 256, 256)] {
                for threads in configured == 1 ? [1] : [configured, 1] {
                    Parallel.threads = threads
                    gemm.append(GemmResult(m: m, n: n, k: k, threads: threads,
                                           gflops: Self.gemmGFlops(m: m, n: n, k: k, options)))
                }
            }
            Parallel.threads = configured
            let result = Result(gemm: gemm, gumbelDrawsPerSecond: Self.drawsPerSecond(gumbel: true, options),
                                uniformDrawsPerSecond: Self.drawsPerSecond(gumbel: false, options),
                                histDatasetSeconds: try Self.datasetSeconds(.hist, options))
            if options.json { try options.printJSON(result); return }
            print("kernel                          threads   speed")
            for g in gemm {
                let name = "gemm (\(g.m)×\(g.k))·(\(g.k)×\(g.n))"
                print(name.padding(toLength: 32, withPad: " ", startingAt: 0)
                      + String(g.threads).leftPadded(7)
                      + String(format: "   %.1f GFLOP/s", g.gflops))
            }
            print("gumbel noise                          1   " + String(format: "%.0f M draws/s", result.gumbelDrawsPerSecond / 1e6))
            print("uniform noise                         1   " + String(format: "%.0f M draws/s", result.uniformDrawsPerSecond / 1e6))
            print("hist data set (20,000 examples)       1   " + String(format: "%.0f ms", result.histDatasetSeconds * 1e3))
        }

        /// Seconds to generate `task`'s data set at its paper settings (drawn, de-duplicated, split).
        static func datasetSeconds(_ task: TaskName, _ options: BenchOptions) throws -> Double {
            let taskOptions = TaskOptions.defaults(for: task)
            return try options.medianSeconds { _ = try TaskDataset.generate(task, options: taskOptions) }
        }

        /// GFLOP/s (2·m·n·k per call) of `C = A·B` with random operands.
        static func gemmGFlops(m: Int, n: Int, k: Int, _ options: BenchOptions) -> Double {
            var rng = RandomStream(seed: 1)
            let a = Tensor([m, k]), b = Tensor([k, n]), c = Tensor([m, n])
            for i in 0..<a.count { a.data[i] = rng.uniform() - 0.5 }
            for i in 0..<b.count { b.data[i] = rng.uniform() - 0.5 }
            let seconds = options.medianSeconds {
                Gemm.multiply(m: m, n: n, k: k, a.data, lda: k, b.data, ldb: n, into: c.data, ldc: n)
            }
            return 2 * Double(m) * Double(n) * Double(k) / seconds / 1e9
        }

        /// Draws per second of `fillGumbel` (or `fillUniform`) into a 1M-float buffer, one thread.
        static func drawsPerSecond(gumbel: Bool, _ options: BenchOptions) -> Double {
            let count = 1 << 20
            let buffer = Tensor([count])
            var rng = RandomStream(seed: 2)
            let seconds = options.medianSeconds {
                if gumbel { rng.fillGumbel(buffer.data, count: count) } else { rng.fillUniform(buffer.data, count: count) }
            }
            return Double(count) / seconds
        }
    }
}

extension String {
    func leftPadded(_ width: Int) -> String {
        count >= width ? self : String(repeating: " ", count: width - count) + self
    }
}
