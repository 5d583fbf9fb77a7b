/// The whole input space of a task: every token sequence the generator can produce.
///
/// | task | inputs | count at the paper's settings |
/// |---|---|---|
/// | reverse, sort | `<s>` + 1…6 symbols of 5 + `</s>` | 19,530 |
/// | hist, double_hist, most_freq | `<s>` + 1…7 symbols of 6 | 335,922 |
/// | dyck1 | `<s>` + 15 brackets of `()` | 32,768 |
/// | dyck2 | `<s>` + 15 brackets of `(){}` | 1,073,741,824 (too many) |
/// | induction | structured (a letter → number map per sequence) | not enumerated |
extension TaskDataset {
    /// The number of inputs in the task's input space (`nil` when it is not enumerated).
    public static func inputSpaceSize(_ task: TaskName, options: TaskOptions) throws -> Int? {
        guard let (bos, symbols, lengths, eos) = try inputShape(task, options) else { return nil }
        _ = (bos, eos)
        var total = 0
        for n in lengths {
            let (c, overflow) = power(symbols.count, n)
            if overflow || total > Int.max - c { return Int.max }
            total += c
        }
        return total
    }

    /// Every input of the task's space, shortest first, then in lexicographic order of symbol
    /// indices; `nil` when the task's inputs are not enumerated or there are more than `limit`.
    public static func inputSpace(_ task: TaskName, options: TaskOptions, limit: Int = 1_000_000) throws -> [[String]]? {
        guard let size = try inputSpaceSize(task, options: options), size <= limit,
              let (bos, symbols, lengths, eos) = try inputShape(task, options) else { return nil }
        var all: [[String]] = []
        all.reserveCapacity(size)
        for n in lengths {
            var digits = [Int](repeating: 0, count: n)
            while true {
                all.append([bos] + digits.map { symbols[$0] } + (eos.map { [$0] } ?? []))
                var i = n - 1
                while i >= 0 {
                    digits[i] += 1
                    if digits[i] < symbols.count { break }
                    digits[i] = 0
                    i -= 1
                }
                if i < 0 { break }
            }
        }
        return all
    }

    private static func inputShape(_ task: TaskName, _ options: TaskOptions) throws
        -> (String, [String], ClosedRange<Int>, String?)? {
        try options.validate(for: task)
        switch task {
        case .reverse, .sort:
            let (symbols, lengths) = try delimitedBody(task, options)
            return (Special.bos, symbols, lengths, Special.eos)
        case .hist, .doubleHist, .mostFreq:
            let (symbols, lengths) = try openBody(task, options)
            return (Special.bos, symbols, lengths, nil)
        case .dyck1, .dyck2:
            let symbols = Array(["(", ")", "{", "}"].prefix(task == .dyck1 ? 2 : 4))
            return (Special.bos, symbols, (options.maxLength - 1)...(options.maxLength - 1), nil)
        case .induction:
            return nil
        }
    }

    private static func power(_ base: Int, _ exponent: Int) -> (Int, Bool) {
        var result = 1
        for _ in 0..<exponent {
            let (r, o) = result.multipliedReportingOverflow(by: base)
            if o { return (0, true) }
            result = r
        }
        return (result, false)
    }
}
