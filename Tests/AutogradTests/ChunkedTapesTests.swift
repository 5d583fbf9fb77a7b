import Testing
@testable import Autograd

@Suite("Chunked tapes: per-thread tapes, gradients summed in chunk order")
struct ChunkedTapesTests {
    /// Chunk `c`'s constant input: five values that differ from chunk to chunk.
    static func input(_ c: Int) -> [Float] { (0..<5).map { Float(c * 5 + $0).squareRoot() - 1.7 } }

    /// Runs 11 chunks (more than any thread count here, so each tape serves several chunks) of
    /// `loss_c = Σ w ⊙ x_c + (c + 1) · Σ u ⊙ u + Σ v ⊙ x_c[0..<3]` on `threads` threads and returns the
    /// results and the shared gradients.
    static func run(threads: Int, tapes: ChunkedTapes, w: Tensor, u: Tensor, v: Tensor,
                    train: Bool = true) -> (results: [Int], w: [Float], u: [Float], v: [Float]) {
        let saved = Parallel.threads
        Parallel.threads = threads
        defer { Parallel.threads = saved }
        w.zeroGrad(); u.zeroGrad(); v.zeroGrad()
        let results = tapes.run(11, sharing: [w, u, v], train: train) { c, tape, views in
            let x = tape.tensor(count: 5)
            x.assign(input(c))
            let x3 = tape.tensor(count: 3)
            x3.assign(Array(input(c)[0..<3]))
            let uu = tape.scale(tape.sum(tape.mul(views[1], views[1])), Float(c + 1))
            let loss = tape.add(tape.add(tape.sum(tape.mul(views[0], x)), uu), tape.sum(tape.mul(views[2], x3)))
            if train { tape.backward(loss) }
            #expect(views[0].values == w.values)
            return c * 100 + Int(x.count)
        }
        return (results, w.gradient, u.gradient, v.gradient)
    }

    @Test("gradients are the chunk-order sums, bit for bit, on any number of threads")
    func chunkOrderSums() {
        let w = Tensor([5], values: [0.3, -1.2, 2.5, 0.7, -0.4], requiresGrad: true)
        let u = Tensor([2], values: [1.1, -0.6], requiresGrad: true)
        let v = Tensor([3], values: [0.2, 0.4, 0.8])   // no gradient at first
        // The expected gradients, added chunk after chunk as the tapes must add them.
        var dw = [Float](repeating: 0, count: 5), du = [Float](repeating: 0, count: 2)
        var dv = [Float](repeating: 0, count: 3)
        for c in 0..<11 {
            let x = Self.input(c)
            for i in 0..<5 { dw[i] += x[i] }
            for i in 0..<2 { du[i] += Float(c + 1) * (u.values[i] + u.values[i]) }
            for i in 0..<3 { dv[i] += x[i] }
        }
        let tapes = ChunkedTapes()
        for threads in [1, 2, 3, 1] {
            let r = Self.run(threads: threads, tapes: tapes, w: w, u: u, v: v)
            #expect(r.results == (0..<11).map { $0 * 100 + 5 })
            #expect(r.w == dw)
            #expect(r.u == du)
            #expect(r.v == [0, 0, 0])
        }
        // A shared tensor that gains a gradient between runs gets its chunks' sum too.
        v.enableGrad()
        for threads in [2, 1] {
            let r = Self.run(threads: threads, tapes: tapes, w: w, u: u, v: v)
            #expect(r.w == dw)
            #expect(r.v == dv)
        }
    }

    @Test("without training, the shared gradients are left alone, even after a training run")
    func evaluationLeavesGradients() {
        let w = Tensor([5], values: [1, 2, 3, 4, 5], requiresGrad: true)
        let u = Tensor([2], values: [1, 1], requiresGrad: true)
        let v = Tensor([3], values: [1, 1, 1], requiresGrad: true)
        let tapes = ChunkedTapes()
        // A training run first, so the tapes hold chunk gradients an evaluation must not add again.
        let trained = Self.run(threads: 2, tapes: tapes, w: w, u: u, v: v)
        #expect(trained.w != [0, 0, 0, 0, 0])
        let results = tapes.run(11, sharing: [w, u, v], train: false) { c, tape, views in
            #expect(!tape.isRecording && views.allSatisfy { $0.grad == nil })
            return c
        }
        #expect(results == Array(0..<11))
        #expect(w.gradient == trained.w && u.gradient == trained.u && v.gradient == trained.v)
    }
}
