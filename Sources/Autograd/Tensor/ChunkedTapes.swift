/// Data-parallel execution of one batch over fixed chunks.
///
/// The chunks run in parallel over the cores, each on its thread's tape, against *views* of the
/// shared tensors (the parameters, or a step's samples of them): a view reads the shared values
/// and accumulates a gradient of its own. A chunk's view gradients are copied aside when it ends;
/// after all chunks have run they are added into the shared tensors in chunk order. The chunks
/// are fixed by the caller, never by the thread count, so results are bit-identical on any
/// number of cores.
///
/// One tape per thread rather than per chunk: a thread's next chunk overwrites the buffers its
/// last chunk used, which are still in that core's caches. A sort step (16 chunks) with a tape
/// per chunk cycled 16 arenas through the caches: the default sort run took 70 s, against 52 s
/// with a tape per thread (docs/performance.md).
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
    /// A thread slot's tape and views: every chunk that slot runs reuses them, so a step's
    /// activations stay in the memory (and the caches) of the core that last wrote them, and a
    /// batch of many chunks needs only one arena per thread.
    private final class Slot {
        let tape = Tape()
        var views: [Tensor] = []
    }
    private var slots: [Slot] = []
    /// Each chunk's gradients of the shared tensors (those that have one), kept from its run
    /// until the chunk-order sum: `[chunk][tensor]`, with room for `shared[t].count` values.
    private var chunkGradients: [[UnsafeMutablePointer<Float>?]] = []
    private var gradientCapacity: [Int] = []

    public init() {}

    deinit {
        for row in chunkGradients { for g in row { g?.deallocate() } }
    }

    /// Runs `body(c, tape, views)` for every chunk `c` in `0..<count`, in parallel, on a rewound
    /// tape (recording when `train`); `views[i]` shares `shared[i]`'s values. With `train`, the
    /// views' gradients are then summed, in chunk order, into the gradients of the shared tensors
    /// that have one. Returns the bodies' results in chunk order.
    ///
    /// The tapes belong to thread slots (``Parallel/slot``), not to chunks: what a body leaves on
    /// its tape is gone when the next chunk runs there, except the views' gradients, which are
    /// copied out for the sum.
    public func run<R>(_ count: Int, sharing shared: [Tensor], train: Bool,
                       _ body: (Int, Tape, [Tensor]) -> R) -> [R] {
        while slots.count < Parallel.threads { slots.append(Slot()) }
        if train { reserveGradients(count, shared) }
        var results = [R?](repeating: nil, count: count)
        let slots = self.slots, gradients = UncheckedSendable(chunkGradients)
        results.withUnsafeMutableBufferPointer { out in
            let box = UncheckedSendable(out)
            Parallel.for(count) { c in
                let slot = slots[Parallel.slot], tape = slot.tape
                tape.reset()
                tape.isRecording = train
                slot.views = shared.map { tape.leaf(sharing: $0, grad: train) }
                box.value[c] = body(c, tape, slot.views)
                guard train else { return }
                for (t, view) in slot.views.enumerated() {
                    if let gc = view.grad, let keep = gradients.value[c][t] { keep.update(from: gc, count: view.count) }
                }
            }
        }
        if train {
            for (t, s) in shared.enumerated() {
                guard let g = s.grad else { continue }
                for c in 0..<count {
                    if let gc = chunkGradients[c][t] { Vector.add(s.count, gc, g) }
                }
            }
        }
        return results.map { $0! }
    }

    /// Makes room for `count` chunks' gradients of the `shared` tensors that have one.
    private func reserveGradients(_ count: Int, _ shared: [Tensor]) {
        if gradientCapacity.count != shared.count
            || zip(gradientCapacity, shared).contains(where: { $0 < $1.count && $1.grad != nil }) {
            for row in chunkGradients { for g in row { g?.deallocate() } }
            chunkGradients = []
            gradientCapacity = shared.map { $0.grad != nil ? $0.count : 0 }
        }
        while chunkGradients.count < count {
            chunkGradients.append(gradientCapacity.map { $0 > 0 ? .allocate(capacity: $0) : nil })
        }
    }
}
