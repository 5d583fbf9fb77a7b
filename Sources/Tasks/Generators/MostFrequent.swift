import Autograd

/// `most_freq`: inputs as for `hist`; the labels list the distinct body symbols ordered by
/// (−count, first position), then `<s>` as filler up to the body length (the filler is scored):
/// `<s> 2 0 0 1` → `<pad> 0 2 1 <s>`.
struct MostFrequentGenerator: TaskGenerator {
    let symbols: [String]
    let lengths: ClosedRange<Int>

    init(_ options: TaskOptions) throws {
        (symbols, lengths) = try openBody(.mostFreq, options)
    }

    func sample(_ rng: inout RandomStream) -> Example {
        let length = rng.int(in: lengths)
        let body = drawBody(&rng, length: length, symbolCount: symbols.count)
        var counts = [Int](repeating: 0, count: symbols.count)
        var first = [Int](repeating: -1, count: symbols.count)
        for (i, s) in body.enumerated() {
            counts[s] += 1
            if first[s] < 0 { first[s] = i }
        }
        let distinct = symbols.indices.filter { counts[$0] > 0 }
            .sorted { (-counts[$0], first[$0]) < (-counts[$1], first[$1]) }
        var labels = [Special.pad] + distinct.map { symbols[$0] }
        labels += repeatElement(Special.bos, count: length - distinct.count)
        return Example(tokens: [Special.bos] + body.map { symbols[$0] }, labels: labels)
    }
}
