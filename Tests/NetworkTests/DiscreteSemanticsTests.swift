import Testing
@testable import Autograd
@testable import Network

/// The reference rule of SPEC §1, written independently of the kernels: among visible keys whose
/// value the predicate accepts, the nearest, the left one on a tie, the query itself only when it
/// is the sole match; with no match, position 0.
func selectClosest(query i: Int, keyValues: [Int], queryValue: Int, predicate: [[Bool]], visible: Int) -> Int {
    let matches = (0..<visible).filter { predicate[queryValue][keyValues[$0]] }
    if matches.isEmpty { return 0 }
    if matches == [i] { return i }
    return matches.filter { $0 != i }.min { (abs($0 - i), $0) < (abs($1 - i), $1) }!
}

func oneHot(_ values: [Int], width k: Int) -> Tensor {
    let t = Tensor([values.count, k])
    for (r, v) in values.enumerated() { t[r, v] = 1 }
    return t
}

@Suite("Discrete semantics of the modules")
struct DiscreteSemanticsTests {
    @Test("categorical attention selects exactly the key SPEC §1 names", arguments: [false, true])
    func selection(causal: Bool) {
        var rng = RandomStream(seed: causal ? 7 : 8)
        let k = 10
        var checkedRows = 0
        for trial in 0..<300 {
            let n = 2 + trial % 9                       // padded length 2…10
            let length = 1 + rng.int(below: n)          // real tokens, then padding
            let tokens = (0..<n).map { Int32($0 < length ? 1 : 0) }
            let keyValues = (0..<n).map { _ in rng.int(below: 4) }
            let queryValues = (0..<n).map { _ in rng.int(below: 4) }
            // A 0/1 predicate: each query value accepts one key value (or, sometimes, a value no key has).
            let target = (0..<k).map { _ in rng.int(below: 5) }
            let predicate = (0..<k).map { q in (0..<k).map { $0 == target[q] } }
            let w = Tensor([k, k])
            for q in 0..<k { w[q, target[q]] = 1 }
            let stream = Tensor([n, k])
            tokens.withUnsafeBufferPointer { tok in
                let batch = SequenceBatch(sequences: 1, length: n, tokens: tok.baseAddress!, causal: causal, tau: 1,
                                          mode: .argmax)
                let tape = Tape(recording: false)
                var noise = RandomStream(seed: 0)
                tape.categoricalAttention(query: oneHot(queryValues, width: k), key: oneHot(keyValues, width: k),
                                          value: oneHot(Array(0..<n), width: k), predicate: w, batch: batch,
                                          into: stream, slot: 0, rng: &noise)
            }
            for i in 0..<length {
                let visible = causal ? i + 1 : length
                let expected = selectClosest(query: i, keyValues: keyValues, queryValue: queryValues[i],
                                             predicate: predicate, visible: visible)
                let row = (0..<k).map { stream[i, $0] }
                #expect(row == (0..<k).map { $0 == expected ? 1 : 0 },
                        "n \(n) length \(length) query \(i): expected key \(expected), got \(row)")
                checkedRows += 1
            }
            for i in length..<n { #expect((0..<k).allSatisfy { stream[i, $0] == 0 }, "pad query \(i) must be empty") }
        }
        #expect(checkedRows > 1000)
    }

    @Test("numerical attention counts the matching visible keys", arguments: [false, true])
    func counting(causal: Bool) {
        var rng = RandomStream(seed: 21)
        let k = 6, n = 6
        for _ in 0..<100 {
            let length = 1 + rng.int(below: n)
            let tokens = (0..<n).map { Int32($0 < length ? 1 : 0) }
            let keyValues = (0..<n).map { _ in rng.int(below: 3) }
            let queryValues = (0..<n).map { _ in rng.int(below: 3) }
            let target = (0..<k).map { _ in rng.int(below: 3) }
            let w = Tensor([k, k])
            for q in 0..<k { w[q, target[q]] = 1 }
            let stream = Tensor([n, 2])
            let ones = Tensor([n, 1], values: [Float](repeating: 1, count: n))
            tokens.withUnsafeBufferPointer { tok in
                let batch = SequenceBatch(sequences: 1, length: n, tokens: tok.baseAddress!, causal: causal, tau: 1,
                                          mode: .argmax)
                Tape(recording: false).numericalAttention(
                    query: oneHot(queryValues, width: k), key: oneHot(keyValues, width: k), value: ones,
                    predicate: w, batch: batch, into: stream, slot: 1)
            }
            for i in 0..<n {
                let visible = i < length ? (causal ? i + 1 : length) : 0
                let count = (0..<visible).filter { keyValues[$0] == target[queryValues[i]] }.count
                #expect(stream[i, 1] == Float(count), "query \(i)")
            }
        }
    }

    @Test("a discrete MLP is a lookup table: one-hot output at the argmax of its logits")
    func mlpTable() {
        var rng = RandomStream(seed: 5)
        let k = 5, d = 7
        let mlp = ProgramMLP(numerical: false, variables: 2, width: k, hidden: d, rng: &rng)
        // Every pair of input values, one per row.
        let pairs = (0..<k * k).map { ($0 / k, $0 % k) }
        let a = oneHot(pairs.map(\.0), width: k), b = oneHot(pairs.map(\.1), width: k)
        let stream = Tensor([pairs.count, k])
        let tokens = [Int32](repeating: 1, count: pairs.count)
        tokens.withUnsafeBufferPointer { tok in
            let batch = SequenceBatch(sequences: pairs.count, length: 1, tokens: tok.baseAddress!, causal: false,
                                      tau: 1, mode: .argmax)
            var noise = RandomStream(seed: 0)
            Tape(recording: false).programMLP(a, b, inWeight: mlp.inWeight, inBias: mlp.inBias,
                                              outWeight: mlp.outWeight, outBias: mlp.outBias, batch: batch,
                                              into: stream, slot: 0, rng: &noise)
        }
        for (r, (x, y)) in pairs.enumerated() {
            // Independent evaluation in Double: h = relu(W_in[:, x] + W_in[:, k + y] + b_in), o = W_out h + b_out.
            let h = (0..<d).map { j in max(0, Double(mlp.inWeight[j, x]) + Double(mlp.inWeight[j, k + y]) + Double(mlp.inBias[j])) }
            let o = (0..<k).map { c in (0..<d).reduce(Double(mlp.outBias[c])) { $0 + Double(mlp.outWeight[c, $1]) * h[$1] } }
            let best = o.indices.max { o[$0] < o[$1] }!
            #expect((0..<k).map { stream[r, $0] } == (0..<k).map { $0 == best ? 1 : 0 }, "input (\(x), \(y))")
        }
    }
}
