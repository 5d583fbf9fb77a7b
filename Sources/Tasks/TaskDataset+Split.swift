import Autograd

extension TaskDataset {
    /// Draws the example pool of a task (reference §5.1).
    ///
    /// Without `unique`, the first `datasetSize` samples of the seed. With it, the original
    /// draws `n·datasetSize` samples for n = 2, 3, 4, 5 (re-seeding each round), removes repeated
    /// inputs and keeps the first `datasetSize` distinct ones, stopping at the first n that
    /// yields enough, and otherwise keeps the whole n = 5 pool. Every round starts from the
    /// same seed, so each is a prefix of the next: this is exactly "take distinct samples until
    /// `datasetSize` of them, or until `5·datasetSize` have been drawn", which is what we do.
    /// Inputs are compared token by token (the original compares the joined string, which is
    /// the same for one-character symbols, i.e. up to vocab 13).
    static func drawPool(_ generator: any TaskGenerator, options: TaskOptions) -> [Example] {
        var rng = RandomStream(seed: options.seed, stream: 0)
        var pool: [Example] = []
        pool.reserveCapacity(options.datasetSize)
        guard options.unique else {
            for _ in 0..<options.datasetSize { pool.append(generator.sample(&rng)) }
            return pool
        }
        var seen = Set<[String]>(minimumCapacity: options.datasetSize)
        var draws = 0
        while pool.count < options.datasetSize && draws < 5 * options.datasetSize {
            let example = generator.sample(&rng)
            draws += 1
            if seen.insert(example.tokens).inserted { pool.append(example) }
        }
        return pool
    }

    /// The sizes of a split of `count` examples, as scikit-learn's `train_test_split` computes
    /// them twice with `test_size = 0.1`: test = ⌈0.1·n⌉, then val = ⌈0.1·(n − test)⌉, the
    /// rest train (20,000 → 16,200 / 1,800 / 2,000). In integers: `ceil(0.1 * n)` in `Double`
    /// equals `(n + 9) / 10` for every n up to 10⁷ (checked).
    public static func splitSizes(_ count: Int) -> (train: Int, val: Int, test: Int) {
        let test = (count + 9) / 10
        let val = (count - test + 9) / 10
        return (count - test - val, val, test)
    }

    /// Shuffles `pool` with `seed` (its own stream, independent of the generator's) and cuts it
    /// into test, val and train, in that order, by ``splitSizes(_:)``. Throws when the training
    /// split would be empty (fewer than 3 examples).
    static func split(_ pool: [Example], seed: UInt64, task: TaskName) throws
        -> (train: [Example], val: [Example], test: [Example]) {
        let sizes = splitSizes(pool.count)
        guard sizes.train > 0 else {
            throw optionError(task, "only \(pool.count) distinct example(s) could be drawn; a train/val/test split needs at least 3")
        }
        var order = Array(pool.indices)
        var rng = RandomStream(seed: seed, stream: 1)
        rng.shuffle(&order)
        let test = order[..<sizes.test].map { pool[$0] }
        let val = order[sizes.test..<(sizes.test + sizes.val)].map { pool[$0] }
        let train = order[(sizes.test + sizes.val)...].map { pool[$0] }
        return (train, val, test)
    }
}
