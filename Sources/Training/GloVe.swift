import Autograd
import Foundation

/// GloVe word vectors as initial logits of factored embeddings (SPEC §4).
///
/// Each vocabulary word gets its GloVe vector (looked up as written, then lower-cased; a word
/// GloVe lacks gets a standard normal vector), and the vectors are mapped to `m·k` dimensions by
/// a seeded Gaussian random projection `R ∈ R^{D × m·k}`, `R_ij ~ N(0, 1/(m·k))` (scikit-learn's
/// `GaussianRandomProjection`). The projected vector of word `w`, cut into `m` groups of `k`, is
/// its logits in the `m` embedding variables.
///
/// ```swift
/// let glove = try GloVe.read("glove.6B.50d.txt", words: Set(vocabulary))
/// let logits = GloVe.embeddingLogits(vocabulary: vocabulary, glove: glove, variables: 4, width: 32, seed: 0)
/// ```
public struct GloVe: Sendable {
    /// Vector length `D`.
    public let dimension: Int
    /// The vectors of the words that were asked for and found.
    public let vectors: [String: [Float]]

    /// Reads the vectors of `words` (and of their lower-cased forms) from a GloVe text file:
    /// one `word v1 … vD` line per word, separated by spaces or tabs. Lines of other words are
    /// skipped unread (the 840B file has 2.2 million), so only the vocabulary's are checked.
    public static func read(_ path: String, words: Set<String>) throws -> GloVe {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw RunFolderError("the GloVe file: \(FileErrors.unreadable(path))")
        }
        let wanted = words.union(words.map { $0.lowercased() })
        var vectors: [String: [Float]] = [:]
        // Fields are separated by spaces (GloVe's own files) or tabs; a CRLF line end is allowed.
        func isSeparator(_ byte: UInt8) -> Bool { byte == 0x20 || byte == 0x09 || byte == 0x0D }
        let lines = data.split(separator: 0x0A, omittingEmptySubsequences: true)
        // The vectors' length, from the first line (the most frequent word). The 840B file also
        // has entries whose word holds spaces (". . .", "at name@domain.com"): a line with more
        // fields than a word and a vector is one of those, and no vocabulary word (words have no
        // spaces), so it is skipped.
        let first = lines.first.map { $0.split(whereSeparator: isSeparator).count - 1 } ?? 0
        var dimension = 0
        var lineNumber = 0
        for line in lines {
            lineNumber += 1
            guard let space = line.firstIndex(where: isSeparator) else { continue }
            let word = String(decoding: line[line.startIndex..<space], as: UTF8.self)
            guard wanted.contains(word) else { continue }
            let fields = line[line.index(after: space)...].split(whereSeparator: isSeparator)
            if first > 0 && fields.count > first { continue }
            let values = fields.compactMap { Float(String(decoding: $0, as: UTF8.self)) }
            guard values.count == fields.count, !values.isEmpty else {
                throw RunFolderError("\(path):\(lineNumber): not a GloVe line (a word and numbers)")
            }
            guard values.allSatisfy(\.isFinite) else {
                throw RunFolderError("\(path):\(lineNumber): a vector holds a value that is not a finite number")
            }
            if dimension == 0 { dimension = values.count }
            guard values.count == dimension else {
                throw RunFolderError("\(path):\(lineNumber): \(values.count) numbers, the file's vectors have \(dimension)")
            }
            vectors[word] = values
        }
        guard dimension > 0 else { throw RunFolderError("\(path) has no vector for any word of the vocabulary") }
        return GloVe(dimension: dimension, vectors: vectors)
    }

    /// The vector of `word` (as written, else lower-cased), if the file has it.
    public func vector(_ word: String) -> [Float]? { vectors[word] ?? vectors[word.lowercased()] }

    /// Initial embedding logits `[|V|·m, k]` (row `w·m + v`), and how many words had a vector.
    public func embeddingLogits(vocabulary: [String], variables m: Int, width k: Int, seed: UInt64) -> (logits: [Float], found: Int) {
        let out = m * k, d = dimension
        var rng = RandomStream(seed: seed, stream: 0x610_0E)
        let scale = 1 / Float(out).squareRoot()
        let projection = (0..<d * out).map { _ in rng.normal() * scale }
        var logits = [Float](repeating: 0, count: vocabulary.count * out)
        var found = 0
        for (w, word) in vocabulary.enumerated() {
            let v: [Float]
            if let g = vector(word) { v = g; found += 1 } else { v = (0..<d).map { _ in rng.normal() } }
            for j in 0..<out {
                var s: Float = 0
                for i in 0..<d { s += v[i] * projection[i * out + j] }
                logits[w * out + j] = s
            }
        }
        return (logits, found)
    }
}
