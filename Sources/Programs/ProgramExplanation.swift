/// Ranks the classifier's features — `variable = value` for categorical variables, `variable`
/// (per unit) for numerical ones — by their weight for a class, or by the difference between two
/// classes (the paper's B-LOC vs B-ORG analysis, Fig. 7), and names the words behind embedding
/// values.
///
/// ```swift
/// let ranking = ProgramExplanation(program: program, classes: ("B-LOC", "B-ORG"))
/// ranking.features.prefix(3)   // var3_embeddings = 3 (+2.1: "at", "in", "near", …), …
/// ```
public struct ProgramExplanation: Sendable {
    /// One ranked feature.
    public struct Feature: Sendable {
        public var variable: String
        /// The value (categorical), or `nil` for a numerical variable (weight per unit).
        public var value: Int?
        /// The value as the program shows it (a token symbol, a number).
        public var shown: String
        /// The score: the weight for the class, or the difference of the two classes' weights.
        public var score: Double
        /// The class with the largest weight (single-class ranking without `classes`).
        public var favours: String
        /// Words whose embedding has this value (embedding variables, and heads copying one).
        public var words: [String]
    }

    public var features: [Feature]

    /// All features, highest score first. With `classes`, the score is `w[first] − w[second]`;
    /// without, each feature's largest weight over the classes.
    public init(program: Program, classes: (String, String)? = nil, wordsPerValue: Int = 8) throws {
        let labels = program.classifier.classes.map { program.labels[$0] }
        var pair: (Int, Int)? = nil
        if let (a, b) = classes {
            guard let i = labels.firstIndex(of: a) else { throw ProgramError("no class \"\(a)\"; classes are \(labels.joined(separator: ", "))") }
            guard let j = labels.firstIndex(of: b) else { throw ProgramError("no class \"\(b)\"; classes are \(labels.joined(separator: ", "))") }
            pair = (i, j)
        }
        // The embedding variable whose values each variable carries (embeddings, and categorical
        // heads copying them, transitively).
        var source: [String: Program.Embedding] = [:]
        for e in program.embeddings ?? [] { source[e.variable] = e }
        for head in program.layers.flatMap(\.heads) where head.kind == .categorical {
            if let e = source[head.value] { source[head.output] = e }
        }
        let types = Dictionary(program.variables.map { ($0.name, $0.type) }, uniquingKeysWith: { a, _ in a })
        func score(_ w: [Float]) -> (Double, String) {
            if let (i, j) = pair { return (Double(w[i]) - Double(w[j]), labels[i]) }
            let best = w.indices.max { w[$0] < w[$1] } ?? 0
            return (Double(w[best]), labels[best])
        }
        var all: [Feature] = []
        for table in program.classifier.categorical {
            for row in table.rows {
                let (s, favours) = score(row.weights)
                let words = source[table.variable].map { e in
                    Array(e.values.indices.filter { e.values[$0] == row.value }.prefix(wordsPerValue).map { program.vocabulary[$0] })
                } ?? []
                let shown = types[table.variable] == .token && program.vocabulary.indices.contains(row.value)
                    ? program.vocabulary[row.value] : String(row.value)
                all.append(Feature(variable: table.variable, value: row.value, shown: shown, score: s, favours: favours,
                                   words: words))
            }
        }
        for table in program.classifier.numerical {
            let (s, favours) = score(table.weights)
            all.append(Feature(variable: table.variable, value: nil, shown: "(per unit)", score: s, favours: favours,
                               words: []))
        }
        features = all.sorted { ($0.score, $1.variable) > ($1.score, $0.variable) }
    }
}
