import Dispatch

/// Work splitting over the machine's cores.
///
/// `Parallel.for(n) { i in … }` runs the body for every `i` in `0..<n`, spread over up to
/// ``Parallel/threads`` workers with `DispatchQueue.concurrentPerform`; with one thread (or one
/// item) it runs inline, so small work never pays for a dispatch.
public enum Parallel {
    /// The number of worker threads (defaults to the number of active cores; `TPROG_THREADS`
    /// overrides it). Results never depend on it: callers split work into fixed chunks.
    nonisolated(unsafe) public static var threads: Int = {
        if let s = getenvString("TPROG_THREADS"), let n = Int(s), n > 0 { return n }
        return max(1, ProcessInfoCores.active)
    }()

    /// Runs `body(i)` for `i` in `0..<count`, in parallel when there are several threads.
    @inlinable
    public static func `for`(_ count: Int, _ body: (Int) -> Void) {
        if count <= 0 { return }
        if count == 1 || threads == 1 || WorkerFlag.isWorker {
            for i in 0..<count { body(i) }
            return
        }
        withoutActuallyEscaping(body) { escapable in
            let box = UncheckedSendable(escapable)
            DispatchQueue.concurrentPerform(iterations: count) { i in
                // Nested parallel loops run inline on the worker: the outer loop already
                // occupies every core.
                let nested = WorkerFlag.isWorker
                if !nested { WorkerFlag.isWorker = true }
                box.value(i)
                if !nested { WorkerFlag.isWorker = false }
            }
        }
    }

    /// Splits `0..<count` into at most `threads` contiguous ranges and runs them in parallel.
    @inlinable
    public static func forRanges(_ count: Int, minimumPerThread: Int = 1, _ body: (Range<Int>) -> Void) {
        let parts = max(1, min(threads, count / max(1, minimumPerThread)))
        if parts == 1 { body(0..<count); return }
        Parallel.for(parts) { p in
            let lo = count * p / parts, hi = count * (p + 1) / parts
            if lo < hi { body(lo..<hi) }
        }
    }
}

/// Wraps a value that is safe to share for the duration of a parallel loop (each worker touches
/// disjoint memory), so it can cross into `concurrentPerform`'s sendable closure.
public struct UncheckedSendable<T>: @unchecked Sendable {
    public let value: T
    @inlinable public init(_ value: T) { self.value = value }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A per-thread flag marking the workers of a running parallel loop.
@usableFromInline
enum WorkerFlag {
    @usableFromInline static let key: pthread_key_t = {
        var k = pthread_key_t()
        pthread_key_create(&k, nil)
        return k
    }()
    @usableFromInline static var isWorker: Bool {
        get { pthread_getspecific(key) != nil }
        set { pthread_setspecific(key, newValue ? UnsafeRawPointer(bitPattern: 1) : nil) }
    }
}

@usableFromInline
func getenvString(_ name: String) -> String? {
    guard let p = getenv(name) else { return nil }
    return String(cString: p)
}

@usableFromInline
enum ProcessInfoCores {
    @usableFromInline static var active: Int {
        Int(sysconf(Int32(_SC_NPROCESSORS_ONLN)))
    }
}
