import Foundation

/// A summary of many runs (one folder each, with `results.json`): per task, every seed's
/// discrete test accuracy, the test accuracy of the seed best on validation (the paper's model
/// selection; ties, common when several seeds reach 100% on validation, go to the better
/// training accuracy, then the lower seed: test accuracy is never looked at), and training times.
public struct RunReport: Sendable {
    /// One task's runs.
    public struct Row: Sendable {
        public var task: String
        /// `(seed, train, val, test, seconds)` for every finished run, by seed.
        public var runs: [(seed: UInt64, train: Double, val: Double, test: Double, seconds: Double)]
        /// The run with the best validation accuracy; on a tie the better training accuracy, then
        /// the lower seed.
        public var best: (seed: UInt64, train: Double, val: Double, test: Double, seconds: Double)? {
            runs.max { ($0.val, $0.train, -Double($0.seed)) < ($1.val, $1.train, -Double($1.seed)) }
        }
    }

    /// SPEC §5's "ours: at least" test accuracies (%).
    public static let targets: [String: Double] = [
        "reverse": 99.8, "hist": 100.0, "double_hist": 98.4, "sort": 99.8, "most_freq": 75.7,
        "dyck1": 99.3, "dyck2": 99.1, "induction": 100,
    ]

    public var rows: [Row]

    /// Reads every `*/results.json` below `directory`.
    public init(directory: String) throws {
        let fm = FileManager.default
        guard let entries = try? fm.contentsOfDirectory(atPath: directory) else {
            throw RunFolderError("cannot read \(directory)")
        }
        var byTask: [String: Row] = [:]
        for entry in entries.sorted() {
            let path = (directory as NSString).appendingPathComponent(entry)
            let results = (path as NSString).appendingPathComponent("results.json")
            guard let data = fm.contents(atPath: results) else { continue }
            let r = try JSONDecoder().decode(RunResults.self, from: data)
            guard let train = r.discrete["train"]?.accuracy, let val = r.discrete["val"]?.accuracy,
                  let test = r.discrete["test"]?.accuracy else { continue }
            byTask[r.task, default: Row(task: r.task, runs: [])].runs.append((r.seed, train, val, test, r.trainSeconds))
        }
        let order = ["reverse", "hist", "double_hist", "sort", "most_freq", "dyck1", "dyck2", "induction"]
        rows = byTask.values.map { row in
            var r = row
            r.runs.sort { $0.seed < $1.seed }
            return r
        }.sorted { (order.firstIndex(of: $0.task) ?? 99, $0.task) < (order.firstIndex(of: $1.task) ?? 99, $1.task) }
    }

    /// A Markdown table: seeds' test accuracies, best-on-validation test accuracy, the target,
    /// and the median training time.
    public func markdown() -> String {
        func pct(_ x: Double) -> String { String(format: "%.2f", x * 100) }
        var lines = ["| task | test accuracy by seed (%) | best on val: seed → test (%) | target (%) | met | train s (median) |",
                     "|---|---|---|---|---|---|"]
        for row in rows {
            let seeds = row.runs.map { "\($0.seed): \(pct($0.test))" }.joined(separator: ", ")
            let target = RunReport.targets[row.task]
            var best = "–", met = "–"
            if let b = row.best {
                best = "\(b.seed) → \(pct(b.test))"
                if let target { met = b.test * 100 >= target - 1e-9 ? "yes" : "no" }
            }
            let times = row.runs.map(\.seconds).sorted()
            let median = times.isEmpty ? "–" : String(format: "%.0f", times[times.count / 2])
            lines.append("| \(row.task) | \(seeds) | \(best) | \(target.map { String(format: "%.1f", $0) } ?? "–") | \(met) | \(median) |")
        }
        return lines.joined(separator: "\n") + "\n"
    }
}
