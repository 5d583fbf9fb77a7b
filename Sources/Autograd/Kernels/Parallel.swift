import Foundation

/// Work splitting over the machine's cores.
///
/// `Parallel.for(n) { i in … }` runs the body for every `i` in `0..<n`, spread over
/// ``Parallel/threads`` threads: the caller and a pool of persistent workers that take items
/// from a shared counter. With one thread or one item it runs inline, and a parallel loop
/// started inside another (or while another runs) runs inline too, so nesting is safe.
///
/// The pool is ours rather than `DispatchQueue.concurrentPerform`, which on Linux often leaves
/// short loops (a training step's ~16 chunks of a millisecond) on the calling thread alone.
/// Items run under the caller's floating-point control word (see ``Subnormals``).
public enum Parallel {
    /// The number of threads (defaults to the number of active cores; `TPROG_THREADS`
    /// overrides it). Results never depend on it: callers split work into fixed chunks.
    nonisolated(unsafe) public static var threads: Int = {
        if let s = getenvString("TPROG_THREADS"), let n = Int(s), n > 0 { return min(n, maxThreads) }
        return max(1, ProcessInfo.processInfo.activeProcessorCount)
    }()

    /// The most threads accepted (`TPROG_THREADS`, `--threads`).
    public static let maxThreads = 256

    /// Runs `body(i)` for `i` in `0..<count`, in parallel when there are several threads.
    public static func `for`(_ count: Int, _ body: (Int) -> Void) {
        if count <= 0 { return }
        if count == 1 || threads == 1 || WorkerFlag.isWorker {
            for i in 0..<count { body(i) }
            return
        }
        withoutActuallyEscaping(body) { escapable in
            if !WorkerPool.shared.run(count: count, workers: threads - 1, escapable) {
                for i in 0..<count { body(i) }
            }
        }
    }

    /// The calling thread's slot in the running parallel loop, in `0..<threads`: 0 for the
    /// thread that started the loop (and outside any loop), `1 + i` for the pool's worker `i`.
    /// Two items running at the same time always have different slots, so per-slot scratch
    /// memory (``ChunkedTapes``' tapes) needs no lock.
    public static var slot: Int { WorkerFlag.slot }

    /// Splits `0..<count` into at most `threads` contiguous ranges and runs them in parallel.
    public static func forRanges(_ count: Int, minimumPerThread: Int = 1, _ body: (Range<Int>) -> Void) {
        let parts = max(1, min(threads, count / max(1, minimumPerThread)))
        if parts == 1 { body(0..<count); return }
        Parallel.for(parts) { p in
            let lo = count * p / parts, hi = count * (p + 1) / parts
            if lo < hi { body(lo..<hi) }
        }
    }
}

/// Persistent worker threads sharing one loop at a time.
final class WorkerPool: @unchecked Sendable {
    static let shared = WorkerPool()

    private let condition = NSCondition()
    private var body: ((Int) -> Void)?
    /// The caller's floating-point control word, under which every item runs (``Subnormals``).
    private var control: UInt64 = 0
    private var count = 0
    private var next = 0
    private var unfinished = 0
    private var generation = 0
    private var spawned = 0
    private var active = 0
    private var busy = false

    /// Runs `body` over `0..<count` with up to `workers` pool threads plus the caller; returns
    /// `false` (doing nothing) when the pool is already running another loop.
    func run(count: Int, workers: Int, _ body: @escaping (Int) -> Void) -> Bool {
        condition.lock()
        if busy { condition.unlock(); return false }
        busy = true
        while spawned < workers { spawn() }
        self.body = body
        control = Subnormals.control
        self.count = count
        next = 0
        unfinished = count
        active = workers
        generation += 1
        condition.broadcast()
        condition.unlock()

        WorkerFlag.isWorker = true
        work()
        WorkerFlag.isWorker = false

        condition.lock()
        while unfinished > 0 { condition.wait() }
        self.body = nil
        busy = false
        condition.unlock()
        return true
    }

    /// Takes items until none are left.
    private func work() {
        while true {
            condition.lock()
            let i = next
            next += 1
            let count = self.count
            condition.unlock()
            if i >= count { return }
            invoke(i)
            condition.lock()
            unfinished -= 1
            if unfinished == 0 { condition.broadcast() }
            condition.unlock()
        }
    }

    /// Calls the body; every reference to it is released before this returns, so the caller's
    /// `withoutActuallyEscaping` sees none left once all items are done.
    @inline(never)
    private func invoke(_ i: Int) {
        Subnormals.withControl(control) { body!(i) }
    }

    private func spawn() {
        let index = spawned
        spawned += 1
        let thread = Thread { [unowned self] in
            WorkerFlag.slot = index + 1
            var seen = 0
            while true {
                self.condition.lock()
                while self.generation == seen || index >= self.active {
                    if self.generation != seen { seen = self.generation }
                    self.condition.wait()
                }
                seen = self.generation
                self.condition.unlock()
                self.work()
            }
        }
        thread.stackSize = 1 << 22
        thread.start()
    }
}

/// Wraps a value that is safe to share for the duration of a parallel loop (each worker touches
/// disjoint memory), so it can cross into a sendable closure.
public struct UncheckedSendable<T>: @unchecked Sendable {
    public let value: T
    @inlinable public init(_ value: T) { self.value = value }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A per-thread mark on the threads of a running parallel loop, with each one's slot: 0 for the
/// loop's caller, `1 + i` for the pool's worker `i`.
enum WorkerFlag {
    static let key: pthread_key_t = {
        var k = pthread_key_t()
        pthread_key_create(&k, nil)
        return k
    }()
    /// The thread's slot plus one, or 0 when it is not running a parallel loop's items.
    private static var mark: Int {
        get { Int(bitPattern: pthread_getspecific(key)) }
        set { pthread_setspecific(key, UnsafeRawPointer(bitPattern: newValue)) }
    }
    static var isWorker: Bool {
        get { mark != 0 }
        set { mark = newValue ? 1 : 0 }
    }
    /// The thread's slot (0 outside parallel loops).
    static var slot: Int {
        get { max(mark - 1, 0) }
        set { mark = newValue + 1 }
    }
}

func getenvString(_ name: String) -> String? {
    guard let p = getenv(name) else { return nil }
    return String(cString: p)
}
