import Foundation
import TransformerPrograms

/// Whether standard output/error is a terminal.
enum Terminal {
    static func isTTY(stdout: Bool) -> Bool { isatty(stdout ? 1 : 2) != 0 }
}

/// Shows training progress: a live line on a terminal, or JSON lines (one per epoch, then a
/// summary) for machines.
final class ProgressReport {
    let json: Bool
    let epochs: Int
    private var lastDraw = Date.distantPast

    init(json: Bool, epochs: Int) {
        self.json = json
        self.epochs = epochs
    }

    func step(_ p: Trainer.StepProgress) {
        step(epoch: p.epoch, step: p.step, steps: p.steps, tau: p.tau, loss: p.loss, accuracy: p.accuracy,
             elapsed: p.elapsed)
    }

    func step(_ p: StandardTrainer.StepProgress) {
        step(epoch: p.epoch, step: p.step, steps: p.steps, tau: nil, loss: p.loss, accuracy: p.accuracy,
             elapsed: p.elapsed)
    }

    func step(epoch: Int, step: Int, steps: Int, tau: Float?, loss: Double, accuracy: Double, elapsed: Double) {
        guard !json else { return }
        let now = Date()
        guard now.timeIntervalSince(lastDraw) > 0.1 || step == steps - 1 else { return }
        lastDraw = now
        let done = Double(epoch) + Double(step + 1) / Double(steps)
        let eta = elapsed / max(done, 1e-9) * (Double(epochs) - done)
        let temperature = tau.map { String(format: "  τ %.3f", $0) } ?? ""
        let line = String(format: "epoch %d/%d  step %d/%d%@  loss %.4f  acc %.2f%%  elapsed %@  ETA %@",
                          epoch + 1, epochs, step + 1, steps, temperature, loss, accuracy * 100,
                          Self.clock(elapsed), Self.clock(eta))
        FileHandle.standardError.write(Data("\r\u{1B}[K\(line)".utf8))
    }

    func epoch(_ m: EpochMetrics) {
        if json {
            print((try? JSONCoding.line(m)) ?? "{}")
            fflush(nil)
        }
    }

    /// Clears the live line (training stopped early).
    func abandon() {
        if !json { FileHandle.standardError.write(Data("\r\u{1B}[K".utf8)) }
    }

    func finish(_ results: RunResults, folder: String) {
        if json {
            print((try? JSONCoding.line(results)) ?? "{}")
            return
        }
        FileHandle.standardError.write(Data("\r\u{1B}[K".utf8))
        print("trained \(results.task) (seed \(results.seed), \(results.epochs) epochs) in \(Self.clock(results.trainSeconds))")
        for split in ["train", "val", "test"] {
            if let a = results.discrete[split]?.accuracy {
                print(String(format: "  discrete %@ accuracy %.2f%%", split.padding(toLength: 5, withPad: " ", startingAt: 0), a * 100))
            }
        }
        print("wrote \(folder)/")
    }

    /// Training stopped as asked (`--stop-after-epoch`), its state saved.
    func stopped(task: String, seed: UInt64, epochsDone: Int, epochs: Int, folder: String) {
        let resume = "tprog resume \(folder)"
        if json {
            struct Stopped: Encodable {
                var task: String, seed: UInt64, epochsDone: Int, epochs: Int, resume: String
                enum CodingKeys: String, CodingKey { case task, seed, epochsDone = "epochs_done", epochs, resume }
            }
            print((try? JSONCoding.line(Stopped(task: task, seed: seed, epochsDone: epochsDone, epochs: epochs,
                                                 resume: resume))) ?? "{}")
            return
        }
        FileHandle.standardError.write(Data("\r\u{1B}[K".utf8))
        print("stopped \(task) (seed \(seed)) after \(epochsDone) of \(epochs) epochs; '\(resume)' continues it")
    }

    static func clock(_ s: Double) -> String {
        guard s.isFinite, s >= 0, s < 1e9 else { return "?" }
        let t = Int(s.rounded())
        return t >= 60 ? "\(t / 60)m\(String(format: "%02d", t % 60))s" : String(format: "%.1fs", s)
    }
}
