import Autograd

/// `hist` and `double_hist`: `<s>` then a body of `minLength … maxLength − 1` symbols drawn
/// uniformly from the `vocabSize − 2` symbols `0 … vocabSize − 3` (the original's
/// `randint(min, max)`).
///
/// - `hist` labels each body position with the count of its symbol in the body:
///   `<s> 0 1 1 2` → `<pad> 1 2 2 1`.
/// - `double_hist` labels it with the number of distinct symbols whose count equals its
///   symbol's count: `<s> 0 1 1 2` → `<pad> 2 1 1 2` (0 and 2 both occur once).
struct HistogramGenerator: TaskGenerator {
    let symbols: [String]
    let lengths: ClosedRange<Int>
    let double: Bool

    init(_ options: TaskOptions, double: Bool) throws {
        let task: TaskName = double ? .doubleHist : .hist
        (symbols, lengths) = try openBody(task, options)
        self.double = double
    }

    func sample(_ rng: inout RandomStream) -> Example {
        let length = rng.int(in: lengths)
        let body = drawBody(&rng, length: length, symbolCount: symbols.count)
        var counts = [Int](repeating: 0, count: symbols.count)
        for s in body { counts[s] += 1 }
        var labels = [Special.pad]
        if double {
            // doubleCounts[c] = how many distinct symbols occur exactly c times.
            var doubleCounts = [Int](repeating: 0, count: length + 1)
            for c in counts where c > 0 { doubleCounts[c] += 1 }
            labels += body.map { String(doubleCounts[counts[$0]]) }
        } else {
            labels += body.map { String(counts[$0]) }
        }
        return Example(tokens: [Special.bos] + body.map { symbols[$0] }, labels: labels)
    }
}

/// The symbols and body lengths of a task whose body follows `<s>` (hist, double_hist,
/// most_freq): `vocabSize − 2` symbols (`<pad>` and `<s>` are counted) and `minLength …
/// maxLength − 1` of them.
func openBody(_ task: TaskName, _ options: TaskOptions) throws
    -> (symbols: [String], lengths: ClosedRange<Int>) {
    guard options.vocabSize >= 3 else {
        throw optionError(task, "vocabSize must be at least 3 (2 special tokens and one symbol), got \(options.vocabSize)")
    }
    guard options.maxLength - 1 >= options.minLength else {
        throw optionError(task, "maxLength (\(options.maxLength)) must be at least minLength + 1 = \(options.minLength + 1): the body of minLength…maxLength−1 symbols follows <s>")
    }
    return (digitSymbols(options.vocabSize - 2), options.minLength...(options.maxLength - 1))
}
