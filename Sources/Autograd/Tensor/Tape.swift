/// The reverse-mode automatic-differentiation tape.
///
/// Every operation (`tape.matmul(a, b)`, `tape.relu(x)`, …) computes its output at once and,
/// when the tape is recording and an input needs a gradient, appends a closure that carries the
/// output's gradient back to its inputs. ``backward(_:)`` seeds `∂L/∂L = 1` and runs the closures
/// in reverse order:
///
/// ```swift
/// let tape = Tape()
/// let w = Tensor([2], values: [3, 4], requiresGrad: true)
/// let y = tape.sum(tape.mul(w, w))    // y = Σ w²
/// tape.backward(y)
/// w.gradient                          // [6, 8] = 2w
/// ```
///
/// Output tensors come from an arena owned by the tape. ``reset()`` rewinds the arena, so the
/// next step, which records the same operations, gets the same buffers back and allocates
/// nothing. Tensors handed out by a tape are valid until its next `reset()`.
public final class Tape {
    private var arena: [Tensor] = []
    private var cursor = 0
    private var aliases: [Tensor] = []
    private var aliasCursor = 0
    private var closures: [() -> Void] = []
    private var indexArena: [IndexBuffer] = []
    private var indexCursor = 0

    /// Whether operations record their backward pass (turn off for evaluation).
    public var isRecording: Bool

    public init(recording: Bool = true) {
        self.isRecording = recording
    }

    /// Rewinds the arena and forgets the recorded operations.
    public func reset() {
        cursor = 0
        aliasCursor = 0
        indexCursor = 0
        closures.removeAll(keepingCapacity: true)
    }

    /// A tensor of `shape` from the arena. Its gradient buffer is present and zeroed when
    /// `grad` is set and the tape is recording.
    public func tensor(_ shape: [Int], zero: Bool = false, grad: Bool = false) -> Tensor {
        take(grad: grad, reuse: { $0.reuse(shape: shape, zero: zero) }, make: { Tensor(shape) })
    }

    /// ``tensor(_:zero:grad:)`` for a `rows × cols` matrix. It builds no shape array, so
    /// the steady state of a step (every tensor gets the shape it had last step) allocates
    /// nothing at all.
    public func tensor(rows: Int, cols: Int, zero: Bool = false, grad: Bool = false) -> Tensor {
        take(grad: grad, reuse: { $0.reuse(rows: rows, cols: cols, zero: zero) }, make: { Tensor([rows, cols]) })
    }

    /// ``tensor(_:zero:grad:)`` for a vector of `count` values, building no shape array.
    public func tensor(count: Int, zero: Bool = false, grad: Bool = false) -> Tensor {
        take(grad: grad, reuse: { $0.reuse(count: count, zero: zero) }, make: { Tensor([count]) })
    }

    /// The arena's next tensor, reshaped by `reuse`, or a new one from `make` when the arena has
    /// none left; with a zeroed gradient when `grad` is set and the tape is recording.
    @inline(__always)
    private func take(grad: Bool, reuse: (Tensor) -> Void, make: () -> Tensor) -> Tensor {
        let t: Tensor
        if cursor < arena.count {
            t = arena[cursor]
            reuse(t)
        } else {
            t = make()
            arena.append(t)
        }
        cursor += 1
        if grad && isRecording { t.enableGrad() } else if t.grad != nil { t.disableGrad() }
        return t
    }

    /// Scratch room for `count` row indices from the arena (contents unspecified), valid, like
    /// the tensors, until the next ``reset()``.
    public func indices(_ count: Int) -> UnsafeMutablePointer<Int32> {
        if indexCursor == indexArena.count { indexArena.append(IndexBuffer()) }
        let buffer = indexArena[indexCursor]
        indexCursor += 1
        return buffer.reserve(count)
    }

    /// A leaf tensor whose values are `source`'s and whose gradient (zeroed) is its own.
    public func leaf(sharing source: Tensor, grad: Bool = true) -> Tensor {
        let t: Tensor
        if aliasCursor < aliases.count {
            t = aliases[aliasCursor]
            t.realias(source)
        } else {
            t = Tensor(aliasing: source)
            aliases.append(t)
        }
        aliasCursor += 1
        if grad && isRecording { t.enableGrad() } else if t.grad != nil { t.disableGrad() }
        return t
    }

    /// Whether an operation over `inputs` must record a backward pass.
    @inlinable
    public func needsGrad(_ inputs: Tensor...) -> Bool {
        isRecording && inputs.contains { $0.grad != nil }
    }

    /// ``needsGrad(_:)-(Tensor...)`` for one input, without the variadic call's array.
    @inlinable
    public func needsGrad(_ a: Tensor) -> Bool {
        isRecording && a.grad != nil
    }

    /// ``needsGrad(_:)-(Tensor...)`` for two inputs, without the variadic call's array.
    @inlinable
    public func needsGrad(_ a: Tensor, _ b: Tensor) -> Bool {
        isRecording && (a.grad != nil || b.grad != nil)
    }

    /// Appends a backward closure.
    public func record(_ backward: @escaping () -> Void) {
        closures.append(backward)
    }

    /// Runs the recorded backward closures in reverse order, starting from `∂loss = 1`
    /// (`loss` must hold one element) or from the gradient already in `loss.grad` when
    /// `seeded` is set.
    public func backward(_ loss: Tensor, seeded: Bool = false) {
        precondition(loss.grad != nil, "backward from a tensor that needs no gradient")
        if !seeded {
            precondition(loss.count == 1, "backward needs a scalar loss, got shape \(loss.shape)")
            loss.grad![0] = 1
        }
        runBackward()
    }

    /// Runs the recorded backward closures in reverse order, with whatever gradients the
    /// outputs already hold (used when the gradients arrive from elsewhere, e.g. summed over
    /// batch chunks).
    public func runBackward() {
        for c in closures.reversed() { c() }
    }
}

/// A growable block of `Int32` for ``Tape/indices(_:)``.
private final class IndexBuffer {
    private var pointer = UnsafeMutablePointer<Int32>.allocate(capacity: 1)
    private var capacity = 1

    func reserve(_ count: Int) -> UnsafeMutablePointer<Int32> {
        if count > capacity {
            pointer.deallocate()
            capacity = count
            pointer = .allocate(capacity: count)
        }
        return pointer
    }

    deinit { pointer.deallocate() }
}
