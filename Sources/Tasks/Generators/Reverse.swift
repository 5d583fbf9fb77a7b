import Autograd

/// `reverse`: `<s> 3 1 2 </s>` → `<pad> 2 1 3 <pad>`.
///
/// The body has `minLength … maxLength − 2` symbols drawn uniformly from the `vocabSize − 3`
/// symbols `0 … vocabSize − 4` (the original's `randint(min, max − 1)`), so the whole sequence
/// is at most `maxLength` tokens.
struct ReverseGenerator: TaskGenerator {
    let symbols: [String]
    let lengths: ClosedRange<Int>

    init(_ options: TaskOptions) throws {
        (symbols, lengths) = try delimitedBody(.reverse, options)
    }

    func sample(_ rng: inout RandomStream) -> Example {
        let length = rng.int(in: lengths)
        let body = drawBody(&rng, length: length, symbolCount: symbols.count).map { symbols[$0] }
        return Example(tokens: [Special.bos] + body + [Special.eos],
                       labels: [Special.pad] + body.reversed() + [Special.pad])
    }
}

/// The symbols and body lengths of a task whose body sits between `<s>` and `</s>` (reverse,
/// sort): `vocabSize − 3` symbols (the specials `<pad>`, `<s>`, `</s>` are counted) and
/// `minLength … maxLength − 2` of them.
func delimitedBody(_ task: TaskName, _ options: TaskOptions) throws
    -> (symbols: [String], lengths: ClosedRange<Int>) {
    guard options.vocabSize >= 4 else {
        throw optionError(task, "vocabSize must be at least 4 (3 special tokens and one symbol), got \(options.vocabSize)")
    }
    guard options.maxLength - 2 >= options.minLength else {
        throw optionError(task, "maxLength (\(options.maxLength)) must be at least minLength + 2 = \(options.minLength + 2): the body of minLength…maxLength−2 symbols sits between <s> and </s>")
    }
    return (digitSymbols(options.vocabSize - 3), options.minLength...(options.maxLength - 2))
}
