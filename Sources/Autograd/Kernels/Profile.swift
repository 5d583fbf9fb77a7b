import Dispatch

/// Exclusive wall time per kind of work, for the breakdown of `tprog bench train`.
///
/// Code marks what it is doing with ``measure(_:_:)`` (or ``enter(_:)``/``exit(_:)``); nested marks take over until they end, so
/// each nanosecond goes to exactly one kind (the innermost). Everything unmarked is ``Kind/other``.
/// Off by default, at the cost of one branch per mark. The totals are plain globals: turn it on
/// only while a single thread runs the model (`Parallel.threads = 1`).
///
/// ```swift
/// Profile.start()
/// runner.run(…)                           // one training step
/// let f = Profile.fractions()             // [.reads: 0.21, .mlp: 0.30, …]
/// Profile.stop()
/// ```
public enum Profile {
    public enum Kind: Int, CaseIterable, Sendable {
        case reads, attention, mlp, sampling, classifier, optimiser, other

        public var name: String {
            switch self {
            case .reads: "reads"
            case .attention: "attention"
            case .mlp: "MLPs"
            case .sampling: "sampling"
            case .classifier: "classifier+loss"
            case .optimiser: "optimiser"
            case .other: "other"
            }
        }
    }

    nonisolated(unsafe) public private(set) static var enabled = false
    nonisolated(unsafe) private static var totals = [UInt64](repeating: 0, count: Kind.allCases.count)
    nonisolated(unsafe) private static var current = Kind.other
    nonisolated(unsafe) private static var since: UInt64 = 0

    /// Clears the totals and starts attributing time (to ``Kind/other`` until a mark).
    public static func start() {
        totals = [UInt64](repeating: 0, count: Kind.allCases.count)
        current = .other
        since = DispatchTime.now().uptimeNanoseconds
        enabled = true
    }

    /// Stops attributing time; the totals stay readable.
    public static func stop() {
        if enabled { _ = switchTo(.other) }
        enabled = false
    }

    /// Runs `body`, attributing its time (less that of nested marks) to `kind`.
    @inline(__always)
    public static func measure<T>(_ kind: Kind, _ body: () throws -> T) rethrows -> T {
        guard enabled else { return try body() }
        let previous = switchTo(kind)
        defer { _ = switchTo(previous) }
        return try body()
    }

    /// Starts attributing time to `kind`; pass the result to ``exit(_:)`` when done:
    /// `let mark = Profile.enter(.mlp); defer { Profile.exit(mark) }`.
    @inline(__always)
    public static func enter(_ kind: Kind) -> Kind {
        enabled ? switchTo(kind) : kind
    }

    /// Returns to the kind that ``enter(_:)`` replaced.
    @inline(__always)
    public static func exit(_ previous: Kind) {
        if enabled { _ = switchTo(previous) }
    }

    private static func switchTo(_ kind: Kind) -> Kind {
        let now = DispatchTime.now().uptimeNanoseconds
        totals[current.rawValue] += now &- since
        since = now
        let previous = current
        current = kind
        return previous
    }

    /// Seconds per kind so far.
    public static func seconds() -> [Kind: Double] {
        Dictionary(uniqueKeysWithValues: Kind.allCases.map { ($0, Double(totals[$0.rawValue]) / 1e9) })
    }

    /// Each kind's share of the total so far.
    public static func fractions() -> [Kind: Double] {
        let s = seconds(), total = max(s.values.reduce(0, +), 1e-12)
        return s.mapValues { $0 / total }
    }
}
