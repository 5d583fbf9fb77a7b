/// A one-line description of a task and its defaults, for `tprog tasks`.
///
/// ```swift
/// TaskInfo(.sort).summary   // "sort the body: <s> 3 1 2 </s> → <pad> 1 2 3 <pad>"
/// TaskInfo.all.count        // 8
/// ```
public struct TaskInfo: Sendable {
    /// The task.
    public let name: TaskName
    /// What the task asks, with a worked example, in one line.
    public let summary: String
    /// The paper's options (``TaskOptions/defaults(for:)``).
    public let defaults: TaskOptions
    /// Whether the task is causal.
    public var causal: Bool { name.isCausal }

    /// The description of `task`.
    public init(_ task: TaskName) {
        name = task
        defaults = .defaults(for: task)
        switch task {
        case .reverse:
            summary = "reverse the body: <s> 3 1 2 </s> → <pad> 2 1 3 <pad>"
        case .hist:
            summary = "count of each token in the body: <s> 0 1 1 2 → <pad> 1 2 2 1"
        case .doubleHist:
            summary = "number of distinct tokens with the same count: <s> 0 1 1 2 → <pad> 2 1 1 2"
        case .sort:
            summary = "sort the body: <s> 3 1 2 </s> → <pad> 1 2 3 <pad>"
        case .mostFreq:
            summary = "distinct tokens by (−count, first position), <s> filler: <s> 2 0 0 1 → <pad> 0 2 1 <s>"
        case .dyck1:
            summary = "balanced (T) / valid prefix (P) / failed (F) per prefix of ( ): <s> ( ) ) → <pad> P T F"
        case .dyck2:
            summary = "balanced (T) / valid prefix (P) / failed (F) per prefix of ( ) { }: <s> ( { } ) → <pad> P P P T"
        case .induction:
            summary = "recall a letter's number if seen before, else <unk>: <s> a 1 b 2 a → … <unk> … <unk> … 1"
        }
    }

    /// Every task, in ``TaskName`` order.
    public static let all: [TaskInfo] = TaskName.allCases.map(TaskInfo.init)
}
