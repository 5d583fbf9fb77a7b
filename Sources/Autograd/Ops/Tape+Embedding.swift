extension Tape {
    /// Looks up rows of `table` (`[V, D]`): `y[i, :] = table[ids[i], :]`, shape `[ids.count, D]`.
    ///
    /// The backward pass adds each output row's gradient into the table row it came from
    /// (`∂table[ids[i], :] += ∂y[i, :]`), so repeated ids accumulate. For example, with
    /// `table = [[1, 2], [3, 4], [5, 6]]`, `embedding(ids: [2, 0, 2], table:)` is
    /// `[[5, 6], [1, 2], [5, 6]]`.
    public func embedding(ids: [Int32], table: Tensor) -> Tensor {
        precondition(table.shape.count == 2, "embedding: table must be [V, D], got \(table.shape)")
        let vocabulary = table.shape[0], d = table.shape[1]
        let y = tensor(rows: ids.count, cols: d, grad: needsGrad(table))
        let t = table.data, yd = y.data
        ids.withUnsafeBufferPointer { ids in
            for (i, id) in ids.enumerated() {
                precondition(id >= 0 && Int(id) < vocabulary, "embedding: id \(id) outside 0..<\(vocabulary)")
                (yd + i * d).update(from: t + Int(id) * d, count: d)
            }
        }
        if let gy = y.grad {
            record {
                let gt = table.grad!
                ids.withUnsafeBufferPointer { ids in
                    for (i, id) in ids.enumerated() {
                        let row = gt + Int(id) * d, gyr = gy + i * d
                        for j in 0..<d { row[j] += gyr[j] }
                    }
                }
            }
        }
        return y
    }
}
