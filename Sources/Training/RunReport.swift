import Foundation

/// A summary of many runs (one folder each, with `results.json`): per task, every seed's
/// discrete test accuracy, the test accuracy of the seed best on validation (the paper's model
/// selection; ties, common when several seeds reach 100% on validation, go to the better
/// training accuracy, then the lower seed: test accuracy is never looked at), and training times.
///
/// Program runs are scored by their discrete model; standard-Transformer runs (`--standard`) by
/// their best epoch, in rows of their own (`trec (standard)`). NER is scored by entity F1
/// (selected on validation F1) instead of accuracy. NLP runs also show the best run's score on
/// the unfiltered test set.
public struct RunReport: Sendable {
    /// One task's runs.
    public struct Row: Sendable {
        public typealias Run = (seed: UInt64, train: Double, val: Double, test: Double, seconds: Double, unfiltered: Double?)
        /// The task, with ` (standard)` for standard-Transformer runs.
        public var task: String
        /// `accuracy`, or `F1` (NER).
        public var metric = "accuracy"
        /// `(seed, train, val, test, seconds, unfiltered test)` scores for every finished run, by seed.
        public var runs: [Run]
        /// The run with the best validation score; on a tie the better training score, then the
        /// lower seed.
        public var best: Run? {
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
            let r: Results
            do { r = try JSONDecoder().decode(Results.self, from: data) } catch {
                throw RunFolderError("\(results): not a results file: \(error)")
            }
            guard let splits = r.discrete ?? r.best else { continue }
            let useF1 = r.task == "ner"
            func score(_ split: String) -> Double? { useF1 ? splits[split]?.f1 : splits[split]?.accuracy }
            guard let val = score("val"), let test = score("test") else { continue }
            let name = r.standard == true ? "\(r.task) (standard)" : r.task
            var row = byTask[name] ?? Row(task: name, runs: [])
            row.metric = useF1 ? "F1" : "accuracy"
            row.runs.append((r.seed, score("train") ?? 0, val, test, r.trainSeconds, score("test_unfiltered")))
            byTask[name] = row
        }
        let order = ["reverse", "hist", "double_hist", "sort", "most_freq", "dyck1", "dyck2", "induction",
                     "ner", "trec", "mr", "subj", "sst2"]
        func rank(_ name: String) -> Int {
            let task = name.hasSuffix(" (standard)") ? String(name.dropLast(11)) : name
            return (order.firstIndex(of: task) ?? 99) * 2 + (task == name ? 1 : 0)
        }
        rows = byTask.values.map { row in
            var r = row
            r.runs.sort { $0.seed < $1.seed }
            return r
        }.sorted { (rank($0.task), $0.task) < (rank($1.task), $1.task) }
    }

    /// What the report reads of a program run's or a standard run's `results.json`.
    struct Results: Decodable {
        var task: String
        var seed: UInt64
        var trainSeconds: Double
        var standard: Bool?
        var discrete: [String: RunResults.Score]?
        var best: [String: RunResults.Score]?
        enum CodingKeys: String, CodingKey {
            case task, seed, trainSeconds = "train_seconds", standard, discrete, best
        }
    }

    /// A Markdown table: seeds' test scores, the best-on-validation seed's test score, the target
    /// (synthetic tasks) or the unfiltered test score (NLP tasks), and the median training time.
    public func markdown() -> String {
        func pct(_ x: Double) -> String { String(format: "%.2f", x * 100) }
        let nlp = rows.contains { $0.runs.contains { $0.unfiltered != nil } || $0.metric == "F1" }
        var lines = nlp
            ? ["| task | metric | test by seed (%) | best on val: seed → test (%) | unfiltered test (%) | train s (median) |",
               "|---|---|---|---|---|---|"]
            : ["| task | test accuracy by seed (%) | best on val: seed → test (%) | target (%) | met | train s (median) |",
               "|---|---|---|---|---|---|"]
        for row in rows {
            let seeds = row.runs.map { "\($0.seed): \(pct($0.test))" }.joined(separator: ", ")
            let target = RunReport.targets[row.task]
            var best = "–", met = "–", unfiltered = "–"
            if let b = row.best {
                best = "\(b.seed) → \(pct(b.test))"
                if let target { met = b.test * 100 >= target - 1e-9 ? "yes" : "no" }
                if let u = b.unfiltered { unfiltered = pct(u) }
            }
            let times = row.runs.map(\.seconds).sorted()
            let median = times.isEmpty ? "–" : String(format: "%.0f", times[times.count / 2])
            if nlp {
                lines.append("| \(row.task) | \(row.metric) | \(seeds) | \(best) | \(unfiltered) | \(median) |")
            } else {
                lines.append("| \(row.task) | \(seeds) | \(best) | \(target.map { String(format: "%.1f", $0) } ?? "–") | \(met) | \(median) |")
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }
}
