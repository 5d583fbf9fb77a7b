/// The real-data tasks of the paper (SPEC §4; reference §5.4–5.5), named as on the command line,
/// with the files each reads under a data folder (the layout of `../shared/data`).
///
/// | task | kind | files | splits |
/// |---|---|---|---|
/// | `ner` | tagging (WNUT-17 for CoNLL-2003) | `wnut17/{train,dev,test}.conll` | official |
/// | `trec` | 6 coarse question classes | `trec/{train,test}.txt` | val: 10 % of train, seeded |
/// | `mr` | movie-review polarity | `mr/{positive,negative}.txt` | 80/10/10, seeded |
/// | `subj` | subjectivity | `subj/{subjective,objective}.txt` | 80/10/10, seeded |
/// | `sst2` | binary sentiment | `sst2/{train,dev,test}.txt` | official |
///
/// ```swift
/// try NLPTask(parsing: "trec")   // .trec
/// NLPTask.ner.isTagging          // true: one tag per word, scored by entity F1
/// NLPTask.mr.files               // ["mr/positive.txt", "mr/negative.txt"]
/// ```
public enum NLPTask: String, CaseIterable, Sendable, Codable {
    case ner, trec, mr, subj, sst2

    /// Parses a task name as typed on the command line, throwing a ``TaskError`` that lists the
    /// valid names when it is unknown.
    public init(parsing name: String) throws {
        guard let task = NLPTask(rawValue: name) else {
            let names = NLPTask.allCases.map(\.rawValue).joined(separator: ", ")
            throw TaskError("unknown NLP task '\(name)'; expected one of \(names)")
        }
        self = task
    }

    /// Whether the task tags every word (NER) rather than classifying the sentence (pooled).
    public var isTagging: Bool { self == .ner }

    /// The files the task reads, relative to the data folder, in the order they are read (for MR
    /// and Subj this is the order of the pool that the seeded split shuffles).
    public var files: [String] {
        switch self {
        case .ner: return ["wnut17/train.conll", "wnut17/dev.conll", "wnut17/test.conll"]
        case .trec: return ["trec/train.txt", "trec/test.txt"]
        case .mr: return ["mr/positive.txt", "mr/negative.txt"]
        case .subj: return ["subj/subjective.txt", "subj/objective.txt"]
        case .sst2: return ["sst2/train.txt", "sst2/dev.txt", "sst2/test.txt"]
        }
    }
}
