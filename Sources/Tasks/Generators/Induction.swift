import Autograd

/// `induction` (in-context associative recall): each sequence draws a random many-to-one map
/// from `(vocabSize − 2)/2` letters `a, b, …` to as many numbers `0, 1, …`, then writes `<s>`
/// and `minLength/2 … maxLength/2` (letter, number) pairs; with probability ½ a random number
/// is inserted right after `<s>`, otherwise a final query letter is appended. At every letter
/// the label is its number if the letter occurred earlier, else `<unk>`; elsewhere `<pad>`.
/// At the paper's vocab 10 and length 9 every sequence has 10 tokens:
///
/// ```
/// tokens: <s>   a     1     b     2     b  2     a  1     a
/// labels: <pad> <unk> <pad> <unk> <pad> 2  <pad> 1  <pad> 1
/// ```
struct InductionGenerator: TaskGenerator {
    let letters: [String]
    let numbers: [String]
    let pairs: ClosedRange<Int>

    init(_ options: TaskOptions) throws {
        let size = (options.vocabSize - 2) / 2
        guard (1...26).contains(size) else {
            throw optionError(.induction, "vocabSize must be between 4 and 55 ((vocabSize − 2)/2 letters a–z and as many numbers), got \(options.vocabSize)")
        }
        letters = "abcdefghijklmnopqrstuvwxyz".prefix(size).map { String($0) }
        numbers = digitSymbols(size)
        pairs = (options.minLength / 2)...(options.maxLength / 2)
    }

    func sample(_ rng: inout RandomStream) -> Example {
        let size = letters.count
        let count = rng.int(in: pairs)
        let map = drawBody(&rng, length: size, symbolCount: size)
        let keys = drawBody(&rng, length: count, symbolCount: size)
        var seen = [Bool](repeating: false, count: size)
        var tokens = [Special.bos], labels = [Special.pad]
        for c in keys {
            tokens += [letters[c], numbers[map[c]]]
            labels += [seen[c] ? numbers[map[c]] : Special.unk, Special.pad]
            seen[c] = true
        }
        if rng.int(below: 2) == 1 {
            tokens.insert(numbers[rng.int(below: size)], at: 1)
            labels.insert(Special.pad, at: 1)
        } else {
            let c = rng.int(below: size)
            tokens.append(letters[c])
            labels.append(seen[c] ? numbers[map[c]] : Special.unk)
        }
        return Example(tokens: tokens, labels: labels)
    }
}
