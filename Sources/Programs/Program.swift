/// A discrete Transformer Program: what a trained network computes once every choice is fixed,
/// as data — versioned, serialisable (`program.json`), and the single source for the
/// interpreter, the Python emitter and the analyses.
///
/// Values. A categorical variable holds an integer value in `0 ..< k` (its one-hot index);
/// ``Variable/type`` says how to show it (a token symbol from ``vocabulary``, a position, a
/// number). A numerical variable holds a non-negative integer. ``Variable/values`` is the set of
/// values the variable can take on any input of at most ``maxLength`` tokens of the vocabulary
/// (see ``ValueRanges``); tables and predicates list only those.
///
/// Execution, for tokens `t_0 … t_{n−1}` (`n ≤ maxLength`, no `<pad>`): `tokens[i] = id(t_i)`,
/// `positions[i] = i`, `ones[i] = 1`; then each layer in order: its heads (all reading the
/// layer's input), then its MLPs; then the classifier at every position.
///
/// - Categorical head (`select_closest` + `aggregate`): query `i` looks for visible keys `j`
///   (all `j < n`, or `j ≤ i` when ``causal``) with `key[j] == predicate[query[i]]`; it picks the
///   nearest, the left one on a tie of distance, itself only when it is the only match, and
///   position 0 when there is none; the output is `value[picked]`.
/// - Numerical head (`select` + `aggregate_sum`): `Σ value[j]` over the matching visible keys.
/// - MLP: `table[(a, b)]`, or ``MLP/defaultOutput`` for pairs not listed.
/// - Classifier: see ``Classifier``.
public struct Program: Codable, Sendable, Equatable {
    public static let format = "tprog-program"
    public static let currentVersion = 1

    /// Always ``format``.
    public var format: String
    /// The schema version (``currentVersion`` when written by this `tprog`).
    public var version: Int
    /// The task the program was trained on.
    public var task: String
    /// Whether heads see only keys at or before the query.
    public var causal: Bool
    /// The longest input the program (and its network) accepts.
    public var maxLength: Int
    /// `k`: the cardinality of categorical variables.
    public var varWidth: Int
    /// Token symbols by id; id 0 is `<pad>`.
    public var vocabulary: [String]
    /// Class labels by id; id 0 is `<pad>`.
    public var labels: [String]
    /// Every variable, in stream order: categorical ones first, then numerical ones.
    public var variables: [Variable]
    /// The layers, in order.
    public var layers: [Layer]
    public var classifier: Classifier
    /// Factored token embeddings (NLP): for each embedding variable, its value for every
    /// vocabulary id (`−1` for `<pad>`). `nil` for one-hot `tokens`.
    public var embeddings: [Embedding]?
    /// Sentence classification: the label of a sequence is the argmax of the mean over its
    /// positions of the per-position logits (each summed as ``Classifier`` says, then added in
    /// position order and divided by the length, in Float64).
    public var pooled: Bool

    /// One factored embedding variable as a word → value table.
    public struct Embedding: Codable, Sendable, Equatable {
        public var variable: String
        /// The value of each vocabulary id.
        public var values: [Int]
        public init(variable: String, values: [Int]) {
            self.variable = variable
            self.values = values
        }
    }

    public init(task: String, causal: Bool, maxLength: Int, varWidth: Int, vocabulary: [String], labels: [String],
                variables: [Variable], layers: [Layer], classifier: Classifier, embeddings: [Embedding]? = nil,
                pooled: Bool = false) {
        format = Program.format
        version = Program.currentVersion
        self.task = task
        self.causal = causal
        self.maxLength = maxLength
        self.varWidth = varWidth
        self.vocabulary = vocabulary
        self.labels = labels
        self.variables = variables
        self.layers = layers
        self.classifier = classifier
        self.embeddings = embeddings
        self.pooled = pooled
    }

    enum CodingKeys: String, CodingKey {
        case format, version, task, causal, maxLength, varWidth, vocabulary, labels, variables, layers, classifier,
             embeddings, pooled
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        format = try c.decode(String.self, forKey: .format)
        version = try c.decode(Int.self, forKey: .version)
        task = try c.decode(String.self, forKey: .task)
        causal = try c.decode(Bool.self, forKey: .causal)
        maxLength = try c.decode(Int.self, forKey: .maxLength)
        varWidth = try c.decode(Int.self, forKey: .varWidth)
        vocabulary = try c.decode([String].self, forKey: .vocabulary)
        labels = try c.decode([String].self, forKey: .labels)
        variables = try c.decode([Variable].self, forKey: .variables)
        layers = try c.decode([Layer].self, forKey: .layers)
        classifier = try c.decode(Classifier.self, forKey: .classifier)
        embeddings = try c.decodeIfPresent([Embedding].self, forKey: .embeddings)
        pooled = try c.decodeIfPresent(Bool.self, forKey: .pooled) ?? false
    }
}

/// A named variable of the residual stream.
public struct Variable: Codable, Sendable, Equatable {
    /// A one-hot block of width `k`, or one number per position.
    public enum Kind: String, Codable, Sendable { case categorical, numerical }
    /// How a categorical value is shown: a token symbol, a position, or a plain number.
    public enum ValueType: String, Codable, Sendable { case token, position, number }

    /// `tokens`, `positions`, `ones`, `attn_0_1_outputs`, `mlp_2_0_outputs`, …
    public var name: String
    public var kind: Kind
    public var type: ValueType
    /// The values the variable can take, ascending.
    public var values: [Int]

    public init(name: String, kind: Kind, type: ValueType, values: [Int]) {
        self.name = name
        self.kind = kind
        self.type = type
        self.values = values
    }
}

/// One layer: its heads, then its MLPs.
public struct Layer: Codable, Sendable, Equatable {
    public var heads: [Head]
    public var mlps: [MLP]
    public init(heads: [Head], mlps: [MLP]) {
        self.heads = heads
        self.mlps = mlps
    }
}

/// An attention head.
public struct Head: Codable, Sendable, Equatable {
    /// `select_closest` + `aggregate` (categorical) or `select` + `aggregate_sum` (numerical).
    public enum Kind: String, Codable, Sendable { case categorical, numerical }
    /// `attn_0_1` or `num_attn_0_1`; the output variable is `<name>_outputs`.
    public var name: String
    public var kind: Kind
    /// The query variable (categorical).
    public var query: String
    /// The key variable (categorical).
    public var key: String
    /// The value variable: categorical for a categorical head, numerical for a numerical one.
    public var value: String
    /// The output variable.
    public var output: String
    /// For each query value `q` (index), the key value it accepts; `nil` for query values the
    /// query variable never takes.
    public var predicate: [Int?]

    public init(name: String, kind: Kind, query: String, key: String, value: String, output: String,
                predicate: [Int?]) {
        self.name = name
        self.kind = kind
        self.query = query
        self.key = key
        self.value = value
        self.output = output
        self.predicate = predicate
    }
}

/// An MLP as a lookup table from two input values to an output value.
public struct MLP: Codable, Sendable, Equatable {
    /// One row of the table.
    public struct Entry: Codable, Sendable, Equatable {
        public var inputs: [Int]
        public var output: Int
        public init(inputs: [Int], output: Int) {
            self.inputs = inputs
            self.output = output
        }
    }
    /// `mlp_0_1` or `num_mlp_0_1`; the output variable is `<name>_outputs`.
    public var name: String
    /// Whether the inputs are numerical variables.
    public var numerical: Bool
    /// The two input variables (possibly the same one twice).
    public var inputs: [String]
    /// The output variable (categorical).
    public var output: String
    /// Every reachable input pair whose output is not ``defaultOutput``, sorted by inputs.
    public var table: [Entry]
    /// The output of every pair not in ``table`` (the most frequent output).
    public var defaultOutput: Int

    public init(name: String, numerical: Bool, inputs: [String], output: String, table: [Entry], defaultOutput: Int) {
        self.name = name
        self.numerical = numerical
        self.inputs = inputs
        self.output = output
        self.table = table
        self.defaultOutput = defaultOutput
    }
}

/// The linear classifier, as tables of weights.
///
/// At each position, for every class `c` of ``classes`` (the unmasked class ids, ascending):
/// ```
/// logit_c = 0
///         + Σ over categorical tables, in order:  weights[value of the variable][c]
///         + Σ over numerical tables, in order:     value · weights[c]
/// ```
/// summed in Float64 in exactly this order (weights are Float32 values); the label is the first
/// class with the largest logit.
public struct Classifier: Codable, Sendable, Equatable {
    /// The weights of one categorical variable: one row per value it can take.
    public struct CategoricalTable: Codable, Sendable, Equatable {
        /// The weights (one per class) of one value.
        public struct Row: Codable, Sendable, Equatable {
            public var value: Int
            public var weights: [Float]
            public init(value: Int, weights: [Float]) {
                self.value = value
                self.weights = weights
            }
        }
        public var variable: String
        public var rows: [Row]
        public init(variable: String, rows: [Row]) {
            self.variable = variable
            self.rows = rows
        }
    }
    /// The weights of one numerical variable.
    public struct NumericalTable: Codable, Sendable, Equatable {
        public var variable: String
        public var weights: [Float]
        public init(variable: String, weights: [Float]) {
            self.variable = variable
            self.weights = weights
        }
    }
    /// Class ids that can be predicted, ascending (masked classes are left out).
    public var classes: [Int]
    public var categorical: [CategoricalTable]
    public var numerical: [NumericalTable]

    public init(classes: [Int], categorical: [CategoricalTable], numerical: [NumericalTable]) {
        self.classes = classes
        self.categorical = categorical
        self.numerical = numerical
    }
}
