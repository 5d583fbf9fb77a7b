/// Value-range analysis: the set of values each variable can take on any input of at most
/// `maxLength` tokens.
///
/// The sets are propagated forward through the discrete program, and are exact for the inputs
/// (`tokens`: every symbol but `<pad>`; `positions`: `0 ..< maxLength`; `ones`: `{1}`) and
/// sound (never missing a value) for what follows:
///
/// | variable | values |
/// |---|---|
/// | categorical head output | the value variable's values |
/// | numerical head output | every sum of at most `maxLength` values of the value variable |
/// | MLP output | the table's outputs over all reachable input pairs |
///
/// Example: with value `ones` and sequences of at most 8 tokens, a numerical head counts
/// 0 … 8 matches; a second-layer head summing those counts gives 0 … 64. The original code
/// enumerated `0 ..< n_ctx·(layer+1)` instead, which misses the count 8 and most layer-2 sums;
/// a numerical MLP's table built from these sets covers every input the network can meet.
public enum ValueRanges {
    /// All sums of at most `count` elements (with repetition) of `values`, ascending.
    ///
    /// ```swift
    /// ValueRanges.sums(of: [1], atMost: 3)       // [0, 1, 2, 3]
    /// ValueRanges.sums(of: [0, 2, 5], atMost: 2) // [0, 2, 4, 5, 7, 10]
    /// ```
    public static func sums(of values: [Int], atMost count: Int) -> [Int] {
        // Layer t holds the sums of exactly t terms; the answer is the union of layers 0 … count.
        let terms = Set(values)
        var layer: Set<Int> = [0]
        var all = layer
        for _ in 0..<count {
            var next = Set<Int>()
            for s in layer { for v in terms { next.insert(s + v) } }
            if next == layer { break }
            layer = next
            all.formUnion(next)
        }
        return all.sorted()
    }
}
