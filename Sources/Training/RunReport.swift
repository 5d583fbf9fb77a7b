import Foundation
import Tasks

/// A summary of many runs (one folder each, with `results.json`): per task, every seed's
/// discrete test accuracy, the test accuracy of the seed best on validation (the paper's model
/// selection; ties, common when several seeds reach 100% on validation, go to the better
/// training accuracy, then the lower seed: test accuracy is never looked at), and training times.
///
/// Program runs are scored by their discrete model; standard-Transformer runs (`--standard`) by
/// their best epoch, in rows of their own (`trec (standard)`). NER is scored by entity F1
/// (selected on validation F1) instead of accuracy. NLP runs also show the best run's score on
/// the unfiltered test set.
///
/// Runs of one task with different configurations (their `config.json` differs in anything but
/// the seeds, the paths of the data and the derived program shape) get rows of their own, named
/// by their options that differ from the most common value: a folder of grid runs around the
/// paper's configuration reads `ner`, `ner (layers=1)`, `ner (embeddingVariables=2)`, …
/// Standard runs are also named by the data options (`nlp.options`) in which they differ from
/// the programs' runs: `ner (standard, unknownShapes=true)`. An option that only some runs record
/// (files written by an older version) takes the value the decoder gives it (see
/// ``configuration(_:)``). When a task's runs span several configurations (a search such as the
/// paper's RASP grid), ``searches`` selects one run on validation across all of them, which is
/// what the paper reports; ``markdown(searches:)`` prints it below the table when asked.
public struct RunReport: Sendable {
    /// One task's runs.
    public struct Row: Sendable {
        public typealias Run = (seed: UInt64, train: Double, val: Double, test: Double, seconds: Double, unfiltered: Double?)
        /// The task, with ` (standard)` for standard-Transformer runs and, when runs of the task
        /// differ in configuration, the options that set this row's runs apart: `ner (layers=1)`.
        public var task: String
        /// The task's name alone.
        public var baseTask: String
        /// Whether the runs are standard-Transformer runs.
        public var standard: Bool
        /// Every option any of the row's runs records, flattened (see `RunReport.configuration`).
        var configuration: [String: String] = [:]
        /// `accuracy`, or `F1` (NER).
        public var metric = "accuracy"
        /// `(seed, train, val, test, seconds, unfiltered test)` scores for every finished run, by seed.
        public var runs: [Run]
        /// Whether the runs are the paper's configuration for their task (as far as their files
        /// say): Table 1's model options, the default training options, no warm start. Only then
        /// is the row compared with the task's target.
        var isPaperConfiguration: Bool {
            guard let task = TaskName(rawValue: baseTask) else { return true }
            return RunReport.agree(RunReport.paperConfiguration(task), configuration)
                && !configuration.keys.contains { $0.hasPrefix("initialization.") }
        }

        /// The run with the best validation score; on a tie the better training score, then the
        /// lower seed.
        public var best: Run? { runs.max(by: RunReport.selectedBefore) }
    }

    /// The paper's selection order: whether `b` is chosen over `a` (the better validation score;
    /// on a tie the better training score, then the lower seed; never the test score).
    static func selectedBefore(_ a: Row.Run, _ b: Row.Run) -> Bool {
        (a.val, a.train, -Double(a.seed)) < (b.val, b.train, -Double(b.seed))
    }

    /// Whether the scores the selection reads (validation, then training) cannot tell `a` and `b`
    /// apart, leaving the choice to the seed.
    static func tiedForSelection(_ a: Row.Run, _ b: Row.Run) -> Bool {
        (a.val, a.train) == (b.val, b.train)
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
            var isDir: ObjCBool = false
            if directory.isEmpty { throw RunFolderError("the folder path is empty") }
            if fm.fileExists(atPath: directory, isDirectory: &isDir), !isDir.boolValue {
                throw RunFolderError("\(directory) is a file; give the folder that holds the runs")
            }
            throw RunFolderError("cannot read \(directory): no such folder, or no permission to list it")
        }
        var groups: [Row] = []
        for entry in entries.sorted() {
            let path = (directory as NSString).appendingPathComponent(entry)
            let results = (path as NSString).appendingPathComponent("results.json")
            guard let data = fm.contents(atPath: results) else { continue }
            let r: Results
            do { r = try JSONDecoder().decode(Results.self, from: data) } catch {
                throw RunFolderError("\(results): not a results file: \(JSONCoding.describe(error, in: data))")
            }
            guard let splits = r.discrete ?? r.best else {
                throw RunFolderError("\(results): no scores (neither \"discrete\" nor \"best\")")
            }
            let useF1 = r.task == "ner"
            func score(_ split: String) -> Double? { useF1 ? splits[split]?.f1 : splits[split]?.accuracy }
            guard let val = score("val"), let test = score("test") else {
                throw RunFolderError("\(results): no \(useF1 ? "F1" : "accuracy") for the val and test splits")
            }
            guard r.trainSeconds.isFinite && r.trainSeconds >= 0 else {
                throw RunFolderError("\(results): train_seconds is \(r.trainSeconds), not a duration")
            }
            for split in splits.keys.sorted() {
                for value in [splits[split]?.accuracy, splits[split]?.f1].compactMap({ $0 }) where !(0...1).contains(value) {
                    throw RunFolderError("\(results): a \(split) score of \(value), outside [0, 1] (scores are fractions)")
                }
            }
            let standard = r.standard == true
            let name = standard ? "\(r.task) (standard)" : r.task
            let config = RunReport.configuration(
                fm.contents(atPath: (path as NSString).appendingPathComponent("config.json")))
            let index = groups.firstIndex { $0.task == name && RunReport.agree($0.configuration, config) }
                ?? { groups.append(Row(task: name, baseTask: r.task, standard: standard, runs: [])); return groups.count - 1 }()
            // The row keeps every option its runs record, so a later run is compared with all of
            // them (not only with what the first run's file happened to hold).
            groups[index].configuration.merge(config) { recorded, _ in recorded }
            groups[index].metric = useF1 ? "F1" : "accuracy"
            groups[index].runs.append((r.seed, score("train") ?? 0, val, test, r.trainSeconds, score("test_unfiltered")))
        }
        // Name the rows of a task that differ in configuration by their options that differ from
        // the most common value among the rows (a tie shows every value): among the rows of one
        // kind (programs or standard runs) every option, and across both kinds the preparation of
        // the data (`nlp.options`), which they share.
        var shown: [Int: [String]] = [:]
        func name(_ indices: [Int], keys: (String) -> Bool) {
            guard indices.count > 1 else { return }
            for key in Set(indices.flatMap { groups[$0].configuration.keys }).sorted() where keys(key) {
                let values = indices.map { groups[$0].configuration[key] }
                guard !values.contains(nil), Set(values).count > 1 else { continue }
                let counts = Dictionary(values.map { ($0!, 1) }, uniquingKeysWith: +)
                let top = counts.values.max()!
                let tops = counts.filter { $0.value == top }.map(\.key)
                let modal = tops.count == 1 ? tops[0] : nil
                for (i, value) in zip(indices, values) where value != modal {
                    let option = "\(key.split(separator: ".").last ?? "")=\(value!)"
                    if !(shown[i]?.contains(option) ?? false) { shown[i, default: []].append(option) }
                }
            }
        }
        for task in Set(groups.map(\.task)) { name(groups.indices.filter { groups[$0].task == task }) { _ in true } }
        for task in Set(groups.map(\.baseTask)) {
            name(groups.indices.filter { groups[$0].baseTask == task }) { $0.hasPrefix("nlp.options.") }
        }
        for (i, options) in shown {
            let all = (groups[i].standard ? ["standard"] : []) + options
            groups[i].task = "\(groups[i].baseTask) (\(all.joined(separator: ", ")))"
        }
        let order = ["reverse", "hist", "double_hist", "sort", "most_freq", "dyck1", "dyck2", "induction",
                     "ner", "trec", "mr", "subj", "sst2"]
        func rank(_ row: Row) -> Int { (order.firstIndex(of: row.baseTask) ?? 99) * 2 + (row.standard ? 0 : 1) }
        rows = groups.map { row in
            var r = row
            r.runs.sort { $0.seed < $1.seed }
            return r
        }.sorted { (rank($0), $0.task) < (rank($1), $1.task) }
    }

    /// A run's `config.json` as this version reads it, flattened to `path.to.option → value`,
    /// without what does not make two runs different experiments: seeds, the version, the data
    /// folder, the task (compared already), the `program` block (derived from the model and the
    /// data) and the ``executionOptions``.
    ///
    /// The file is decoded (``RunConfig``, or ``StandardRunConfig`` for a standard run) and
    /// encoded again, so an option a file written before it existed lacks takes the value the
    /// decoder gives it, the value that run had (`unknownShapes` false, …), and a run with the
    /// option set is another experiment. A file neither type decodes is
    /// read as it is.
    static func configuration(_ data: Data?) -> [String: String] {
        guard let data, var object = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else { return [:] }
        let decoder = JSONDecoder(), encoder = JSONEncoder()
        let normalised = object["standard"] as? Bool == true
            ? (try? decoder.decode(StandardRunConfig.self, from: data)).flatMap { try? encoder.encode($0) }
            : (try? decoder.decode(RunConfig.self, from: data)).flatMap { try? encoder.encode($0) }
        if let normalised, let decoded = try? JSONSerialization.jsonObject(with: normalised) as? [String: Any] {
            object = decoded
        }
        return flatten(object)
    }

    /// A decoded JSON object flattened to `path.to.option → value` (see ``configuration(_:)``).
    static func flatten(_ object: Any, prefix: String = "") -> [String: String] {
        var flat: [String: String] = [:]
        func walk(_ value: Any, _ path: String) {
            if let dict = value as? [String: Any] {
                for (key, child) in dict { walk(child, path.isEmpty ? key : "\(path).\(key)") }
                return
            }
            let last = path.split(separator: ".").last.map(String.init) ?? path
            if last.lowercased().contains("seed") || ["version", "dataDirectory", "dataFingerprint", "task", "standard"].contains(last)
                || executionOptions.contains(last) || path.hasPrefix("program.") { return }
            if let text = value as? String {
                flat[path] = (text as NSString).lastPathComponent
            } else if let data = try? JSONSerialization.data(withJSONObject: [value], options: [.sortedKeys]) {
                // A number, a Boolean or an array as JSON text (wrapped: a bare scalar is not a document).
                flat[path] = String(decoding: data.dropFirst().dropLast(), as: UTF8.self)
            }
        }
        walk(object, prefix)
        return flat
    }

    /// A synthetic task's paper configuration (Table 1's model options, the default training
    /// options), flattened as a run's `config.json` is.
    static func paperConfiguration(_ task: TaskName) -> [String: String] {
        func flat(_ value: some Encodable, _ prefix: String) -> [String: String] {
            guard let data = try? JSONEncoder().encode(value),
                  let object = try? JSONSerialization.jsonObject(with: data) else { return [:] }
            return flatten(object, prefix: prefix)
        }
        return flat(ModelOptions.paper(task), "model").merging(flat(TrainingOptions(), "training")) { a, _ in a }
    }

    /// Options that change how a run is carried out or watched, not what it learns: the
    /// per-epoch evaluations, and flushing subnormals (bit-identical in every run compared; see
    /// ``TrainingOptions/flushSubnormals``).
    static let executionOptions: Set<String> = ["evaluateEveryEpoch", "evaluateTrainEveryEpoch", "flushSubnormals"]

    /// Whether two configurations agree on every option both record.
    static func agree(_ a: [String: String], _ b: [String: String]) -> Bool {
        a.allSatisfy { key, value in b[key].map { $0 == value } ?? true }
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

    /// A Markdown table: seeds' test scores, the best-on-validation seed's validation and test scores, the target
    /// (synthetic tasks) or the unfiltered test score (NLP tasks), and the median training time.
    public func markdown(searches showSearches: Bool = false) -> String {
        func pct(_ x: Double) -> String { String(format: "%.2f", x * 100) }
        let nlp = rows.contains { $0.runs.contains { $0.unfiltered != nil } || $0.metric == "F1" }
        var lines = nlp
            ? ["| task | metric | test by seed (%) | best on val: seed → val / test (%) | unfiltered test (%) | train s (median) |",
               "|---|---|---|---|---|---|"]
            : ["| task | test accuracy by seed (%) | best on val: seed → val / test (%) | target (%) | met | train s (median) |",
               "|---|---|---|---|---|---|"]
        for row in rows {
            let seeds = row.runs.map { "\($0.seed): \(pct($0.test))" }.joined(separator: ", ")
            let target = row.task == row.baseTask && row.isPaperConfiguration ? RunReport.targets[row.baseTask] : nil
            var best = "–", met = "–", unfiltered = "–"
            if let b = row.best {
                best = "\(b.seed) → \(pct(b.val)) / \(pct(b.test))"
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
        var text = lines.joined(separator: "\n") + "\n"
        for s in showSearches ? searches : [] {
            let b = s.best
            var line = "\n\(s.baseTask)\(s.standard ? " (standard)" : ""): best on validation of all \(s.runs) runs "
                + "(\(s.rows) configurations): \(b.task), seed \(b.seed) → \(pct(b.val)) / \(pct(b.test))"
            if !s.standard, let target = RunReport.targets[s.baseTask] {
                line += "; target \(String(format: "%.1f", target)): \(b.test * 100 >= target - 1e-9 ? "met" : "not met")"
            }
            if s.tied > 0 {
                line += "\n  (\(s.tied) other run\(s.tied == 1 ? "" : "s") tie with it on validation and training, "
                    + "so the lower seed, then the first row, chose it; test across the tie: "
                    + "\(pct(s.tiedTest.lowerBound))–\(pct(s.tiedTest.upperBound)))"
            }
            text += line + "\n"
        }
        return text
    }

    /// A search: the runs of one task (and kind) over several configurations, and the one the
    /// paper's protocol selects among all of them (best validation score, then training score,
    /// then the lower seed; the test score is never looked at).
    public struct Search: Sendable {
        public var baseTask: String
        public var standard: Bool
        public var rows: Int
        public var runs: Int
        public var best: (task: String, seed: UInt64, val: Double, test: Double)
        /// The other runs whose validation and training scores equal the selected run's: the
        /// seed (and then the order of the rows) chose among them, not the scores.
        public var tied: Int
        /// The lowest and highest test score among the selected run and the runs tied with it.
        public var tiedTest: ClosedRange<Double>
    }

    /// Every task (and kind) whose runs span more than one configuration, with the run selected
    /// on validation across all of them: what the paper reports for a grid (reference §3.5).
    public var searches: [Search] {
        var result: [Search] = []
        var seen = Set<String>()
        for row in rows where seen.insert("\(row.baseTask)|\(row.standard)").inserted {
            let group = rows.filter { $0.baseTask == row.baseTask && $0.standard == row.standard && !$0.runs.isEmpty }
            guard group.count > 1 else { continue }
            let candidates = group.flatMap { r in r.runs.map { (r.task, $0) } }
            let (task, run) = candidates.max { RunReport.selectedBefore($0.1, $1.1) }!
            let tiedTests = candidates.filter { RunReport.tiedForSelection($0.1, run) }.map(\.1.test)
            result.append(Search(baseTask: row.baseTask, standard: row.standard, rows: group.count,
                                 runs: candidates.count, best: (task, run.seed, run.val, run.test),
                                 tied: tiedTests.count - 1, tiedTest: tiedTests.min()!...tiedTests.max()!))
        }
        return result
    }
}
