import Autograd
import Foundation

extension NLPDataset {
    /// `../shared/data` (relative to the current folder) when that folder exists, else nil.
    public static var defaultDataDirectory: String? {
        var isDirectory: ObjCBool = false
        let path = "../shared/data"
        return FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) && isDirectory.boolValue
            ? path : nil
    }

    /// Loads `task` from the files ``NLPTask/files`` names under `dataDirectory` (by default
    /// ``defaultDataDirectory``) and builds the dataset with `options` (by default
    /// ``NLPOptions/defaults(for:)``).
    ///
    /// Splits (before the length filter; numbers at the default seed 0):
    /// - `ner`, `sst2`: the official train / dev / test files.
    /// - `trec`: the official test file; ⌈10 %⌉ of the training file, drawn by a seeded shuffle,
    ///   is the validation set (5,452 → 4,906 train / 546 val).
    /// - `mr`, `subj`: the two files (first file's lines, then the second's) pooled, shuffled
    ///   and cut into ⌈10 %⌉ test, ⌈10 %⌉ val and the rest train (MR 10,662 → 8,528 / 1,067 /
    ///   1,067; Subj 10,000 → 8,000 / 1,000 / 1,000). Labels: `positive`/`negative`,
    ///   `subjective`/`objective`.
    ///
    /// The shuffle is ``heldOut(_:parts:seed:)``'s: `RandomStream(seed: options.seed, stream: 1)`,
    /// so a split never depends on the length filter or the other options.
    ///
    /// ```swift
    /// let ner = try NLPDataset.load(.ner)                        // ../shared/data/wnut17/…
    /// let mr = try NLPDataset.load(.mr, dataDirectory: "/data/nlp")
    /// ```
    ///
    /// Throws a ``TaskError`` naming the missing file (`ner: missing data file
    /// /data/nlp/wnut17/train.conll`), or the file and line of malformed input.
    public static func load(_ task: NLPTask, options: NLPOptions? = nil,
                            dataDirectory: String? = nil) throws -> NLPDataset {
        guard let directory = dataDirectory ?? defaultDataDirectory else {
            throw TaskError("\(task.rawValue): no data folder given, and ../shared/data does not exist; pass the folder holding \(task.files[0].split(separator: "/")[0])/")
        }
        let paths = task.files.map { directory.hasSuffix("/") ? directory + $0 : directory + "/" + $0 }
        for path in paths where !FileManager.default.fileExists(atPath: path) {
            throw TaskError("\(task.rawValue): missing data file \(path)")
        }
        let options = options ?? .defaults(for: task)
        let name = task.rawValue
        switch task {
        case .ner:
            let parts = try paths.map { try TaggedSentence.readCoNLL($0) }
            return try NLPDataset(name: name, train: parts[0], val: parts[1], test: parts[2], options: options)
        case .trec:
            let split = heldOut(try LabeledSentence.readTREC(paths[0]), parts: 1, seed: options.seed)
            return try NLPDataset(name: name, train: split.rest, val: split.heldOut[0],
                                  test: try LabeledSentence.readTREC(paths[1]), options: options)
        case .mr, .subj:
            let labels = task == .mr ? ["positive", "negative"] : ["subjective", "objective"]
            let pool = try zip(paths, labels).flatMap {
                try LabeledSentence.readLines($0, label: $1, encoding: .latin1)
            }
            let split = heldOut(pool, parts: 2, seed: options.seed)
            return try NLPDataset(name: name, train: split.rest, val: split.heldOut[1],
                                  test: split.heldOut[0], options: options)
        case .sst2:
            let parts = try paths.map { try LabeledSentence.readLabelFirst($0) }
            for (path, part) in zip(paths, parts) {
                if let bad = part.first(where: { $0.label != "0" && $0.label != "1" }) {
                    throw TaskError("\(path): SST-2 labels are 0 or 1, found '\(TextFile.excerpt(bad.label))'")
                }
            }
            return try NLPDataset(name: name, train: parts[0], val: parts[1], test: parts[2], options: options)
        }
    }

    /// Shuffles `items` with `RandomStream(seed: seed, stream: 1)` (Fisher–Yates) and cuts
    /// `parts` held-out sets of ⌈n / 10⌉ items each from the front, in order; the rest follows
    /// in shuffled order.
    ///
    /// ```swift
    /// let s = NLPDataset.heldOut(Array(0..<10_662), parts: 2, seed: 0)
    /// s.heldOut.map(\.count), s.rest.count   // [1067, 1067], 8528
    /// ```
    public static func heldOut<T>(_ items: [T], parts: Int, seed: UInt64) -> (rest: [T], heldOut: [[T]]) {
        let parts = max(parts, 0)
        var order = Array(items.indices)
        var rng = RandomStream(seed: seed, stream: 1)
        rng.shuffle(&order)
        let size = min((items.count + 9) / 10, items.count / max(parts, 1))
        var heldOut: [[T]] = []
        for part in 0..<parts {
            heldOut.append(order[(part * size)..<((part + 1) * size)].map { items[$0] })
        }
        return (order[(parts * size)...].map { items[$0] }, heldOut)
    }
}
