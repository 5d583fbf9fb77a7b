import Autograd

/// `dyck1` / `dyck2`: `<s>` then `maxLength − 1` brackets of `()` (dyck1) or `(){}` (dyck2),
/// labelled per prefix: `T` balanced, `P` a valid unfinished prefix, `F` from the first invalid
/// bracket on. `<s> ( ) ) (` → `<pad> P T F F`.
///
/// With probability ½ the brackets are uniform random. Otherwise a valid string is built from
/// `minLength/2 … maxLength/2` operations, each appending a random pair or wrapping the whole
/// string in one, then padded with random brackets or truncated to `maxLength − 1` (at the
/// paper's length 16: always 8 operations, 16 brackets, truncated to 15). `vocabSize` is the
/// number of bracket types and must match the task.
struct DyckGenerator: TaskGenerator {
    let pairs: [(open: String, close: String)]
    let symbols: [String]
    let operations: ClosedRange<Int>
    let bodyLength: Int

    init(_ options: TaskOptions, types: Int) throws {
        let task: TaskName = types == 1 ? .dyck1 : .dyck2
        guard options.vocabSize == types else {
            throw optionError(task, "vocabSize is the number of bracket types and must be \(types), got \(options.vocabSize)")
        }
        guard options.maxLength >= 2 else {
            throw optionError(task, "maxLength must be at least 2 (<s> and one bracket), got \(options.maxLength)")
        }
        pairs = Array([(open: "(", close: ")"), (open: "{", close: "}")].prefix(types))
        symbols = pairs.flatMap { [$0.open, $0.close] }
        operations = (options.minLength / 2)...(options.maxLength / 2)
        bodyLength = options.maxLength - 1
    }

    func sample(_ rng: inout RandomStream) -> Example {
        var body: [String] = []
        body.reserveCapacity(2 * operations.upperBound + bodyLength)
        if rng.int(below: 2) == 1 {
            let count = rng.int(in: operations)
            for _ in 0..<count {
                let pair = pairs[rng.int(below: pairs.count)]
                if rng.int(below: 2) == 0 {
                    body += [pair.open, pair.close]
                } else {
                    body = [pair.open] + body + [pair.close]
                }
            }
            if body.count > bodyLength { body.removeLast(body.count - bodyLength) }
        }
        while body.count < bodyLength { body.append(symbols[rng.int(below: symbols.count)]) }
        return Example(tokens: [Special.bos] + body, labels: [Special.pad] + Self.labels(body))
    }

    /// The per-prefix `T`/`P`/`F` labels of a bracket string: an opening bracket is `P`; a
    /// closing one pops a matching opener (`T` if the stack is then empty, else `P`), and one
    /// with an empty stack or a mismatched top makes it and every later position `F`.
    static func labels(_ brackets: [String]) -> [String] {
        var stack: [String] = []
        var labels: [String] = []
        labels.reserveCapacity(brackets.count)
        for b in brackets {
            let opener: String
            switch b {
            case "(", "{":
                stack.append(b)
                labels.append("P")
                continue
            case ")": opener = "("
            default: opener = "{"
            }
            guard stack.last == opener else {
                labels += repeatElement("F", count: brackets.count - labels.count)
                return labels
            }
            stack.removeLast()
            labels.append(stack.isEmpty ? "T" : "P")
        }
        return labels
    }
}
