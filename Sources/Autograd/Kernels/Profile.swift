import Dispatch
#if canImport(Darwin)
import Darwin
#elseif canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// Exclusive wall time per kind of work, for the breakdown of `tprog bench train`.
///
/// Code marks what it is doing with ``measure(_:_:)`` (or ``enter(_:)``/``exit(_:)``); nested marks take over until they end, so
/// each nanosecond goes to exactly one kind (the innermost). Everything unmarked is ``Kind/other``.
/// Off by default, at the cost of one branch per mark. Only the thread that called ``start(clock:)``
/// is profiled: marks made on any other thread (a worker, or a test running beside) are ignored, so
/// run the model on that one thread (`Parallel.threads = 1`) to see all of its time.
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
    nonisolated(unsafe) private static var owner: pthread_t?
    nonisolated(unsafe) private static var now: @Sendable () -> UInt64 = Profile.uptime

    /// Monotonic nanoseconds: the default clock.
    @Sendable public static func uptime() -> UInt64 { DispatchTime.now().uptimeNanoseconds }

    /// Clears the totals and starts attributing the calling thread's time (to ``Kind/other`` until a
    /// mark). `clock` returns nanoseconds; tests pass a counter they advance by hand.
    public static func start(clock: @escaping @Sendable () -> UInt64 = Profile.uptime) {
        totals = [UInt64](repeating: 0, count: Kind.allCases.count)
        current = .other
        now = clock
        since = clock()
        owner = pthread_self()
        enabled = true
    }

    /// Stops attributing time; the totals stay readable.
    public static func stop() {
        if isOwner { _ = switchTo(.other) }
        enabled = false
        owner = nil
    }

    /// True when profiling is on and this is the thread that started it.
    @inline(__always)
    private static var isOwner: Bool {
        guard enabled, let owner else { return false }
        return pthread_equal(owner, pthread_self()) != 0
    }

    /// Runs `body`, attributing its time (less that of nested marks) to `kind`.
    @inline(__always)
    public static func measure<T>(_ kind: Kind, _ body: () throws -> T) rethrows -> T {
        guard isOwner else { return try body() }
        let previous = switchTo(kind)
        defer { _ = switchTo(previous) }
        return try body()
    }

    /// Starts attributing time to `kind`; pass the result to ``exit(_:)`` when done:
    /// `let mark = Profile.enter(.mlp); defer { Profile.exit(mark) }`.
    @inline(__always)
    public static func enter(_ kind: Kind) -> Kind {
        isOwner ? switchTo(kind) : kind
    }

    /// Returns to the kind that ``enter(_:)`` replaced.
    @inline(__always)
    public static func exit(_ previous: Kind) {
        if isOwner { _ = switchTo(previous) }
    }

    private static func switchTo(_ kind: Kind) -> Kind {
        let t = now()
        totals[current.rawValue] += t &- since
        since = t
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
