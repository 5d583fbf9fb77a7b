import Autograd

/// `sort`: `<s> 3 1 2 </s>` → `<pad> 1 2 3 <pad>`.
///
/// Inputs are drawn as for `reverse` (`vocabSize − 3` symbols, bodies of `minLength …
/// maxLength − 2`); the body is sorted in Python's string order, as the original's `sorted`
/// does (which differs from numeric order only from 10 symbols on: `"10" < "2"`).
struct SortGenerator: TaskGenerator {
    let symbols: [String]
    let lengths: ClosedRange<Int>
    /// The rank of each symbol index in string order.
    let rank: [Int]

    init(_ options: TaskOptions) throws {
        let (symbols, lengths) = try delimitedBody(.sort, options)
        let order = symbols.indices.sorted { Vocabulary.pythonOrder(symbols[$0], symbols[$1]) }
        var rank = [Int](repeating: 0, count: symbols.count)
        for (r, i) in order.enumerated() { rank[i] = r }
        self.symbols = symbols
        self.lengths = lengths
        self.rank = rank
    }

    func sample(_ rng: inout RandomStream) -> Example {
        let length = rng.int(in: lengths)
        let body = drawBody(&rng, length: length, symbolCount: symbols.count)
        let sorted = body.sorted { rank[$0] < rank[$1] }
        return Example(tokens: [Special.bos] + body.map { symbols[$0] } + [Special.eos],
                       labels: [Special.pad] + sorted.map { symbols[$0] } + [Special.pad])
    }
}
