/// A dense, row-major Float32 array with a shape and, when it takes part in differentiation,
/// a gradient buffer of the same size.
///
/// Memory is allocated once (64-byte aligned) and reused: a ``Tape`` hands out tensors from an
/// arena and reshapes them in place on the next step, so a training step allocates next to
/// nothing. A tensor may also *alias* another tensor's values (``Tape/leaf(sharing:)``) while
/// keeping a gradient of its own: that is how batch chunks running on different cores share
/// the parameters but accumulate their gradients separately.
///
/// ```swift
/// let x = Tensor([2, 3], values: [1, 2, 3, 4, 5, 6])
/// x[1, 2]        // 6
/// ```
public final class Tensor {
    /// The extent of every axis, outermost first.
    public private(set) var shape: [Int]
    /// The number of elements, `shape.reduce(1, *)`.
    public private(set) var count: Int
    /// The values.
    public private(set) var data: UnsafeMutablePointer<Float>
    /// The gradient of the loss with respect to the values, or `nil` when not differentiated.
    public private(set) var grad: UnsafeMutablePointer<Float>?

    private var capacity: Int
    private var ownsData: Bool
    private var gradCapacity: Int = 0

    /// A zero-filled tensor of `shape`.
    public init(_ shape: [Int], requiresGrad: Bool = false) {
        let n = shape.reduce(1, *)
        precondition(shape.allSatisfy { $0 >= 0 }, "negative extent in shape \(shape)")
        self.shape = shape
        self.count = n
        self.capacity = max(n, 1)
        self.data = Tensor.allocate(capacity)
        self.ownsData = true
        data.initialize(repeating: 0, count: capacity)
        if requiresGrad { enableGrad() }
    }

    /// A tensor of `shape` holding `values` (row-major).
    public convenience init(_ shape: [Int], values: [Float], requiresGrad: Bool = false) {
        self.init(shape, requiresGrad: requiresGrad)
        precondition(values.count == count, "\(values.count) values for shape \(shape)")
        values.withUnsafeBufferPointer { data.update(from: $0.baseAddress!, count: count) }
    }

    /// A tensor whose values are `source`'s (not copied) and whose gradient is its own.
    init(aliasing source: Tensor) {
        shape = source.shape
        count = source.count
        capacity = source.count
        data = source.data
        ownsData = false
    }

    deinit {
        if ownsData { data.deallocate() }
        grad?.deallocate()
    }

    static func allocate(_ n: Int) -> UnsafeMutablePointer<Float> {
        UnsafeMutableRawPointer.allocate(byteCount: max(n, 1) * 4, alignment: 64)
            .bindMemory(to: Float.self, capacity: max(n, 1))
    }

    /// Gives the tensor a zeroed gradient buffer (kept if one is already there).
    public func enableGrad() {
        if grad == nil || gradCapacity < count {
            grad?.deallocate()
            gradCapacity = max(capacity, count, 1)
            grad = Tensor.allocate(gradCapacity)
        }
        grad!.initialize(repeating: 0, count: count)
    }

    /// Drops the gradient buffer's role: the tensor is treated as a constant.
    func disableGrad() {
        grad?.deallocate()
        grad = nil
        gradCapacity = 0
    }

    /// Sets the gradient to zero.
    public func zeroGrad() {
        grad?.initialize(repeating: 0, count: count)
    }

    /// Changes the shape, reusing the memory when it is large enough. Values are unspecified
    /// afterwards unless `zero` is set.
    func reuse(shape newShape: [Int], zero: Bool) {
        resize(newShape.reduce(1, *), zero: zero, hasShape: shape == newShape) { newShape }
    }

    /// ``reuse(shape:zero:)`` for a matrix of `rows × cols`, without building a shape array
    /// when the tensor already has that shape (the steady state of a training step).
    func reuse(rows: Int, cols: Int, zero: Bool) {
        resize(rows * cols, zero: zero, hasShape: shape.count == 2 && shape[0] == rows && shape[1] == cols) {
            [rows, cols]
        }
    }

    /// ``reuse(shape:zero:)`` for a vector of `count` values, without building a shape array
    /// when the tensor already has that shape.
    func reuse(count n: Int, zero: Bool) {
        resize(n, zero: zero, hasShape: shape.count == 1 && shape[0] == n) { [n] }
    }

    /// Makes room for `n` values and takes the shape `newShape()` unless `hasShape`. Steady-state
    /// steps ask for the shape the tensor already has: keeping the stored array (rather than
    /// replacing it) spares a retain and a release per tensor per step.
    @inline(__always)
    private func resize(_ n: Int, zero: Bool, hasShape: Bool, _ newShape: () -> [Int]) {
        if n > capacity {
            precondition(ownsData, "cannot grow an aliasing tensor")
            data.deallocate()
            capacity = n
            data = Tensor.allocate(n)
        }
        if !hasShape { shape = newShape() }
        count = n
        if zero { data.initialize(repeating: 0, count: n) }
    }

    /// Re-points an aliasing tensor at `source`'s values.
    func realias(_ source: Tensor) {
        precondition(!ownsData)
        data = source.data
        shape = source.shape
        count = source.count
        capacity = source.count
    }

    /// Whether every value is a finite number (no NaN, no infinity).
    public var isFinite: Bool { (0..<count).allSatisfy { data[$0].isFinite } }

    /// The values as an array (a copy).
    public var values: [Float] { Array(UnsafeBufferPointer(start: data, count: count)) }

    /// The gradient as an array (a copy), or zeros when there is none.
    public var gradient: [Float] {
        guard let g = grad else { return [Float](repeating: 0, count: count) }
        return Array(UnsafeBufferPointer(start: g, count: count))
    }

    /// Overwrites the values.
    public func assign(_ values: [Float]) {
        precondition(values.count == count, "\(values.count) values for shape \(shape)")
        values.withUnsafeBufferPointer { data.update(from: $0.baseAddress!, count: count) }
    }

    /// Fills the values with `value`.
    public func fill(_ value: Float) { data.update(repeating: value, count: count) }

    /// The element at a multi-index.
    public subscript(_ index: Int...) -> Float {
        get { data[offset(index)] }
        set { data[offset(index)] = newValue }
    }

    private func offset(_ index: [Int]) -> Int {
        precondition(index.count == shape.count, "index \(index) for shape \(shape)")
        var o = 0
        for (i, d) in zip(index, shape) {
            precondition(i >= 0 && i < d, "index \(index) out of range for shape \(shape)")
            o = o * d + i
        }
        return o
    }
}
