/// The synthetic tasks of the paper (SPEC §4), named as on the original command line.
///
/// ```swift
/// TaskName(rawValue: "double_hist")   // .doubleHist
/// try TaskName(parsing: "sorting")    // throws "unknown task 'sorting'; expected one of reverse, hist, …"
/// TaskName.dyck1.isCausal             // true
/// ```
public enum TaskName: String, CaseIterable, Sendable, Codable {
    case reverse, hist
    case doubleHist = "double_hist"
    case sort
    case mostFreq = "most_freq"
    case dyck1, dyck2, induction

    /// Parses a task name as typed on the command line, throwing a ``TaskError`` that lists the
    /// valid names when it is unknown.
    public init(parsing name: String) throws {
        guard let task = TaskName(rawValue: name) else {
            let names = TaskName.allCases.map(\.rawValue).joined(separator: ", ")
            throw TaskError("unknown task '\(name)'; expected one of \(names)")
        }
        self = task
    }

    /// Whether the model must use a causal (left-to-right) attention mask: the Dyck tasks and
    /// induction label each position from its prefix only.
    public var isCausal: Bool {
        switch self {
        case .dyck1, .dyck2, .induction: return true
        case .reverse, .hist, .doubleHist, .sort, .mostFreq: return false
        }
    }
}
