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
        var results = [Float](repeating: 1, count: 64)
        var onWorkers = [Bool](repeating: false, count: 64)
        Subnormals.flushingToZero(true) {
            #expect(Self.half(tiny) == 0, "the caller flushes")
            // Other tests' parallel loops may hold the pool (the loop then runs on the caller alone):
            // repeat until a worker has taken some items, checking every item every time.
            for _ in 0..<200 where !onWorkers.contains(true) {
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
                #expect(results.allSatisfy { $0 == 0 }, "every item flushed: \(results.filter { $0 != 0 }.count) did not")
                if !onWorkers.contains(true) { usleep(5_000) }
            }
            Subnormals.flushingToZero(false) { #expect(Self.half(tiny) != 0, "nested: kept") }
            #expect(Self.half(tiny) == 0, "nested setting restored")
        }
        #expect(onWorkers.contains(true), "a worker thread ran some items (200 tries)")
        #expect(Self.half(tiny) != 0, "after: the thread keeps subnormals again")
    }
}
