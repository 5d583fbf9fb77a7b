import Foundation
import Testing
@testable import Autograd

/// A value read at run time, so that no product below is folded at compile time.
nonisolated(unsafe) private var smallestNormal: Float = Float.leastNormalMagnitude

@Suite("Flushing subnormals to zero")
struct SubnormalsTests {
    @inline(never) static func half(_ x: Float) -> Float { x * 0.5 }

    @Test("flushingToZero(true) makes subnormal results 0 on the caller and in Parallel's workers, false keeps them, and the thread's setting is restored")
    func flushing() {
        #expect(Subnormals.canFlush, "x86-64 and arm64 can flush; this build's target cannot")
        let tiny = smallestNormal
        #expect(Self.half(tiny) != 0, "before: a subnormal result is kept")
        let saved = Parallel.threads
        defer { Parallel.threads = saved }
        Parallel.threads = 2
        let caller = pthread_self()
        /// Runs 64 items on the pool until a worker has taken some (other tests' parallel loops may
        /// hold the pool, and the loop then runs on the caller alone); returns every item's
        /// `half(tiny)` and whether a worker ran it.
        func itemsOnThePool() -> (results: [Float], onWorkers: [Bool]) {
            var results = [Float](repeating: 1, count: 64), onWorkers = [Bool](repeating: false, count: 64)
            for attempt in 0..<200 where !onWorkers.contains(true) {
                if attempt > 0 { usleep(5_000) }
                results.withUnsafeMutableBufferPointer { r in
                    onWorkers.withUnsafeMutableBufferPointer { w in
                        let out = UncheckedSendable(r), where_ = UncheckedSendable(w)
                        Parallel.for(64) { i in
                            var spin: Float = 0
                            for k in 0..<20_000 { spin += Float(k & 7) }   // long enough for the worker to take items
                            out.value[i] = Self.half(tiny) + spin * 0
                            where_.value[i] = pthread_equal(pthread_self(), caller) == 0
                        }
                    }
                }
            }
            return (results, onWorkers)
        }
        // Both directions: a worker that merely inherited one setting when it was spawned fails one.
        let flushed = Subnormals.flushingToZero(true) {
            #expect(Self.half(tiny) == 0, "the caller flushes")
            let items = itemsOnThePool()
            Subnormals.flushingToZero(false) { #expect(Self.half(tiny) != 0, "nested: kept") }
            #expect(Self.half(tiny) == 0, "nested setting restored")
            return items
        }
        #expect(flushed.onWorkers.contains(true), "a worker thread ran some items (200 tries)")
        #expect(flushed.results.allSatisfy { $0 == 0 }, "flushing: \(flushed.results.filter { $0 != 0 }.count) items kept a subnormal")
        #expect(Self.half(tiny) != 0, "after: the thread keeps subnormals again")
        let kept = itemsOnThePool()
        #expect(kept.onWorkers.contains(true), "a worker thread ran some items (200 tries)")
        #expect(kept.results.allSatisfy { $0 != 0 }, "keeping: \(kept.results.filter { $0 == 0 }.count) items flushed")
    }
}
