import Autograd
import Foundation
import Network

/// Checks that a program computes what its network computes: the discrete network, the
/// interpreter and (optionally) the emitted Python are run on the same inputs and every label at
/// every position is compared.
public struct Verifier {
    public let model: TransformerProgram
    public let program: Program
    public let interpreter: Interpreter

    /// One disagreement.
    public struct Mismatch: Sendable, CustomStringConvertible {
        public var tokens: [String]
        public var network: [String]
        public var other: [String]
        public var otherName: String
        public var description: String {
            "input \(tokens.joined(separator: " ")): network \(network.joined(separator: " ")) ≠ \(otherName) \(other.joined(separator: " "))"
        }
    }

    /// The outcome on a set of inputs.
    public struct Report: Sendable {
        public var inputs = 0
        public var positions = 0
        public var interpreterAgreements = 0
        public var pythonAgreements: Int? = nil
        public var mismatches: [Mismatch] = []
        public var passed: Bool { mismatches.isEmpty }
    }

    public init(model: TransformerProgram, program: Program) throws {
        self.model = model
        self.program = program
        interpreter = try Interpreter(program)
    }

    /// The discrete network's labels for `inputs` (each at most `maxLength` tokens): one per
    /// position, or one per input for a pooled model.
    public func networkLabels(_ inputs: [[Int]]) -> [[Int]] {
        let n = model.config.maxLength
        var tokens = [Int32](repeating: 0, count: inputs.count * n)
        for (s, ids) in inputs.enumerated() { for (i, t) in ids.enumerated() { tokens[s * n + i] = Int32(t) } }
        let labels = [Int32](repeating: 0, count: tokens.count)
        var predictions = [Int32](repeating: 0, count: tokens.count)
        let runner = ProgramRunner(model: model)
        var lo = 0
        while lo < inputs.count {
            let count = min(512, inputs.count - lo)
            tokens.withUnsafeBufferPointer { t in
                labels.withUnsafeBufferPointer { l in
                    predictions.withUnsafeMutableBufferPointer { p in
                        _ = runner.run(tokens: t.baseAddress! + lo * n, labels: l.baseAddress! + lo * n, count: count,
                                       length: n, tau: 1, mode: .argmax, train: false, seed: 0, stream: 0,
                                       predictions: p.baseAddress! + lo * n)
                    }
                }
            }
            lo += count
        }
        if model.config.pooled { return inputs.indices.map { [Int(predictions[$0 * n])] } }
        return inputs.enumerated().map { s, ids in (0..<ids.count).map { Int(predictions[s * n + $0]) } }
    }

    /// Compares network and interpreter (and the Python program's outputs, when given, one
    /// label list per input) on `inputs`. At most `keep` mismatches are kept.
    public func verify(_ inputs: [[String]], python: [[String]]? = nil, keep: Int = 10) throws -> Report {
        var report = Report()
        let ids = try inputs.map { try interpreter.encode($0) }
        let network = networkLabels(ids)
        if python != nil { report.pythonAgreements = 0 }
        for (s, tokens) in inputs.enumerated() {
            let net = network[s].map { program.labels[$0] }
            let mine = try interpreter.run(ids: ids[s]).map { program.labels[$0] }
            report.inputs += 1
            report.positions += tokens.count
            if mine == net {
                report.interpreterAgreements += 1
            } else if report.mismatches.count < keep {
                report.mismatches.append(Mismatch(tokens: tokens, network: net, other: mine, otherName: "interpreter"))
            }
            if let python {
                if python[s] == net {
                    report.pythonAgreements! += 1
                } else if report.mismatches.count < keep {
                    report.mismatches.append(Mismatch(tokens: tokens, network: net, other: python[s], otherName: "python"))
                }
            }
        }
        return report
    }
}

/// Runs a Python program file on inputs (one JSON array of tokens per line) and reads its
/// outputs back.
public enum PythonRunner {
    /// The path of `python3`, or `nil` when it is not installed.
    public static var interpreterPath: String? {
        let paths = (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":")
        for p in paths {
            let candidate = "\(p)/python3"
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        return nil
    }

    /// Runs `python3 script` with `inputs` on stdin; returns one label list per input.
    public static func run(script: String, inputs: [[String]]) throws -> [[String]] {
        guard let python = interpreterPath else { throw ProgramError("python3 is not installed") }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: python)
        process.arguments = [script]
        let stdin = Pipe(), stdout = Pipe(), stderr = Pipe()
        process.standardInput = stdin
        process.standardOutput = stdout
        process.standardError = stderr
        // A python3 that exits early must surface as an error, not kill us with SIGPIPE: ignore
        // the signal while we write to it (restored on return; a closed stdout elsewhere still
        // ends tprog quietly, as Unix tools do).
        let previous = signal(SIGPIPE, SIG_IGN)
        defer { signal(SIGPIPE, previous) }
        try process.run()
        let encoder = JSONEncoder()
        let writer = Thread {
            for input in inputs {
                var line = (try? encoder.encode(input)) ?? Data("[]".utf8)
                line.append(0x0A)
                // A python3 that stopped early closes the pipe: stop writing, report its error below.
                do { try stdin.fileHandleForWriting.write(contentsOf: line) } catch { break }
            }
            try? stdin.fileHandleForWriting.close()
        }
        writer.start()
        let output = stdout.fileHandleForReading.readDataToEndOfFile()
        let errors = stderr.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw ProgramError("python3 \(script) failed: \(String(decoding: errors, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines))")
        }
        let decoder = JSONDecoder()
        let lines = output.split(separator: 0x0A)
        guard lines.count == inputs.count else {
            throw ProgramError("python3 \(script) printed \(lines.count) lines for \(inputs.count) inputs")
        }
        // A pooled program prints one label (a JSON string) per line.
        return try lines.map { line in
            if let labels = try? decoder.decode([String].self, from: Data(line)) { return labels }
            return [try decoder.decode(String.self, from: Data(line))]
        }
    }
}
