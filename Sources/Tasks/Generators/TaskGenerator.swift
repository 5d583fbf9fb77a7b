import Autograd

/// Draws one example of a task at a time from a seeded stream.
///
/// A generator is made from validated ``TaskOptions`` (its initialiser throws a ``TaskError``
/// for options its task cannot satisfy) and consumes the stream sample after sample, so the
/// first `n` samples of a seed never depend on how many are drawn in all.
protocol TaskGenerator: Sendable {
    /// The next example from `rng`.
    func sample(_ rng: inout RandomStream) -> Example
}

extension TaskName {
    /// The generator of this task for `options`, after checking the options.
    func generator(_ options: TaskOptions) throws -> any TaskGenerator {
        try options.validate(for: self)
        switch self {
        case .reverse: return try ReverseGenerator(options)
        case .sort: return try SortGenerator(options)
        case .hist: return try HistogramGenerator(options, double: false)
        case .doubleHist: return try HistogramGenerator(options, double: true)
        case .mostFreq: return try MostFrequentGenerator(options)
        case .dyck1: return try DyckGenerator(options, types: 1)
        case .dyck2: return try DyckGenerator(options, types: 2)
        case .induction: return try InductionGenerator(options)
        }
    }
}

/// The symbols `"0"`, `"1"`, … `String(count − 1)`.
func digitSymbols(_ count: Int) -> [String] {
    (0..<count).map { String($0) }
}

/// A body of symbol indices: `length` uniform draws below `symbolCount`.
func drawBody(_ rng: inout RandomStream, length: Int, symbolCount: Int) -> [Int] {
    var body = [Int]()
    body.reserveCapacity(length)
    for _ in 0..<length { body.append(rng.int(below: symbolCount)) }
    return body
}

/// The `TaskError` for a task's option, prefixed with the task name.
func optionError(_ task: TaskName, _ message: String) -> TaskError {
    TaskError("\(task.rawValue): \(message)")
}
