/// Data-parallel execution of one batch over fixed chunks.
///
/// Every chunk runs on a tape of its own, in parallel over the cores, against *views* of the
/// shared tensors (the parameters, or a step's samples of them): a view reads the shared values
/// and accumulates a gradient of its own. After all chunks have run, the views' gradients are
/// added into the shared tensors in chunk order. The chunks are fixed by the caller, never by the
/// thread count, so results are bit-identical on any number of cores.
///
/// ```swift
/// let tapes = ChunkedTapes()
/// let losses = tapes.run(4, sharing: parameters, train: true) { chunk, tape, views in
///     let loss = model.loss(tape, views, batch: batches[chunk])
///     tape.backward(loss)
///     return loss.data[0]
/// }   // parameters' gradients now hold the sum over the 4 chunks
/// ```
public final class ChunkedTapes {
    private final class Chunk {
        let tape = Tape()
        var views: [Tensor] = []
    }
    private var chunks: [Chunk] = []

    public init() {}

    /// Runs `body(c, tape, views)` for every chunk `c` in `0..<count`, in parallel, on a rewound
    /// tape (recording when `train`); `views[i]` shares `shared[i]`'s values. With `train`, the
    /// views' gradients are then summed, in chunk order, into the gradients of the shared tensors
    /// that have one. Returns the bodies' results in chunk order.
    public func run<R>(_ count: Int, sharing shared: [Tensor], train: Bool,
                       _ body: (Int, Tape, [Tensor]) -> R) -> [R] {
        while chunks.count < count { chunks.append(Chunk()) }
        var results = [R?](repeating: nil, count: count)
        results.withUnsafeMutableBufferPointer { out in
            let box = UncheckedSendable(out)
            Parallel.for(count) { c in
                let chunk = self.chunks[c], tape = chunk.tape
                tape.reset()
                tape.isRecording = train
                chunk.views = shared.map { tape.leaf(sharing: $0, grad: train) }
                box.value[c] = body(c, tape, chunk.views)
            }
        }
        if train {
            for (t, s) in shared.enumerated() {
                guard let g = s.grad else { continue }
                for c in 0..<count {
                    if let gc = chunks[c].views[t].grad { Vector.add(s.count, gc, g) }
                }
            }
        }
        return results.map { $0! }
    }
}
