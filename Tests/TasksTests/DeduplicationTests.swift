import Autograd
import Testing
@testable import Tasks

/// The streaming de-duplication equals the original's rounds: draw n·size samples from a fresh
/// seed for n = 2, 3, 4, 5, keep the first `size` distinct inputs (compared as joined strings),
/// stopping at the first n that yields enough; otherwise keep the n = 5 pool.
@Suite("De-duplication rounds")
struct DeduplicationTests {
    static func rounds(_ task: TaskName, _ options: TaskOptions) throws -> [Example] {
        let generator = try task.generator(options)
        var pool: [Example] = []
        for n in 2...5 {
            var rng = RandomStream(seed: options.seed, stream: 0)
            var seen = Set<String>()
            pool = []
            for _ in 0..<(n * options.datasetSize) {
                let e = generator.sample(&rng)
                if seen.insert(e.tokens.joined()).inserted { pool.append(e) }
            }
            if pool.count >= options.datasetSize { return Array(pool.prefix(options.datasetSize)) }
        }
        return pool
    }

    @Test("same pool as the rounds, whether or not the space is large enough", arguments: [
        (TaskName.sort, 5, 6, 25), (.sort, 5, 6, 40), (.hist, 4, 5, 10), (.reverse, 8, 8, 3_000),
        (.dyck1, 1, 8, 50), (.induction, 6, 5, 60),
    ])
    func matchesRounds(task: TaskName, vocabSize: Int, maxLength: Int, size: Int) throws {
        var options = TaskOptions.defaults(for: task)
        options.vocabSize = vocabSize
        options.minLength = min(options.minLength, maxLength)
        options.maxLength = maxLength
        options.datasetSize = size
        let data = try TaskDataset.generate(task, options: options)
        let expected = try Self.rounds(task, options)
        let got = data.train + data.val + data.test
        #expect(got.count == expected.count)
        #expect(Set(got) == Set(expected))
        #expect(got.count <= size)
    }
}
