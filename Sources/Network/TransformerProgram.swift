import Autograd

/// A Transformer Program (Friedman, Wettig & Chen, 2023): a Transformer whose residual stream is
/// a list of named categorical and numerical variables and whose every choice — which variables a
/// module reads, each head's predicate, each MLP's output — is a categorical distribution,
/// trained by Gumbel-softmax and fixed by argmax into a program.
///
/// Layer `l` appends, in order: its categorical heads (reading the layer input), its numerical
/// heads (idem), its categorical MLPs (reading the categorical stream including this layer's
/// heads) and its numerical MLPs (reading numerical variables including this layer's numerical
/// heads). The classifier reads everything. See ``StreamLayout`` for the variable names.
///
/// ```swift
/// let model = try TransformerProgram(config: config, seed: 0)
/// let step = Tape()
/// var rng = RandomStream(seed: 0, stream: 1)
/// let weights = model.sampleWeights(step, tau: 1, mode: .gumbelSoft, rng: &rng)
/// let out = model.forward(step, weights: weights, batch: batch, rng: &rng)   // logits [B·N, C]
/// ```
public final class TransformerProgram {
    public let config: ProgramConfig
    public let layout: StreamLayout
    /// `catHeads[l][h]`: categorical head `h` of layer `l`.
    public let catHeads: [[CategoricalAttention]]
    /// `numHeads[l][h]`: numerical head `h` of layer `l`.
    public let numHeads: [[NumericalAttention]]
    /// `catMLPs[l][m]`: categorical MLP `m` of layer `l`.
    public let catMLPs: [[ProgramMLP]]
    /// `numMLPs[l][m]`: numerical MLP `m` of layer `l`.
    public let numMLPs: [[ProgramMLP]]
    public let classifier: Classifier
    /// The factored token embeddings (`nil`: one-hot `tokens`).
    public let embedding: FactoredEmbedding?

    /// A freshly initialised model; `seed` fixes every initial value. `embeddingInitial`
    /// (`|V|·m·k` values) replaces the random initialisation of factored embeddings.
    public init(config: ProgramConfig, seed: UInt64, embeddingInitial: [Float]? = nil) throws(ConfigError) {
        try config.validate()
        self.config = config
        let layout = StreamLayout(config)
        self.layout = layout
        var rng = RandomStream(seed: seed, stream: 0x1_417)
        let k = config.varWidth
        embedding = config.embeddingVariables > 0
            ? FactoredEmbedding(vocabulary: config.vocabularySize, variables: config.embeddingVariables, width: k,
                                rng: &rng, initial: embeddingInitial)
            : nil
        var ch: [[CategoricalAttention]] = [], nh: [[NumericalAttention]] = []
        var cm: [[ProgramMLP]] = [], nm: [[ProgramMLP]] = []
        for l in 0..<config.layers {
            ch.append((0..<config.catHeads).map { _ in
                CategoricalAttention(variables: layout.catInput(layer: l), width: k, rng: &rng) })
            nh.append((0..<config.numHeads).map { _ in
                NumericalAttention(catVariables: layout.catInput(layer: l), numVariables: layout.numInput(layer: l),
                                   width: k, rng: &rng) })
            cm.append((0..<config.catMLPs).map { _ in
                ProgramMLP(numerical: false, variables: layout.catMLPInput(layer: l), width: k,
                           hidden: config.mlpWidth, rng: &rng) })
            nm.append((0..<config.numMLPs).map { _ in
                ProgramMLP(numerical: true, variables: layout.numMLPInput(layer: l), width: k,
                           hidden: config.mlpWidth, rng: &rng) })
        }
        catHeads = ch
        numHeads = nh
        catMLPs = cm
        numMLPs = nm
        classifier = Classifier(catDimension: layout.catCount * k, numDimension: layout.numCount,
                                classes: config.classCount, masked: config.maskedClasses, rng: &rng)
    }

    /// Every trainable tensor, in a fixed order (the checkpoint order).
    public var parameters: [Tensor] {
        var p: [Tensor] = embedding.map { [$0.logits] } ?? []
        for l in 0..<config.layers {
            for h in catHeads[l] { p += [h.read.logits, h.predicate] }
            for h in numHeads[l] { p += [h.read.logits, h.valueRead.logits, h.predicate] }
            for m in catMLPs[l] + numMLPs[l] { p += [m.read.logits, m.inWeight, m.inBias, m.outWeight, m.outBias] }
        }
        return p + [classifier.catWeight, classifier.numWeight]
    }

    /// Samples this step's discrete choices shared by the whole batch — read gates
    /// `π = sample(φ)` and predicates `W = sample(ψ)` — and lists them with the unsampled weights
    /// (MLPs, classifier) in the order ``forward(_:weights:batch:rng:)`` expects.
    public func sampleWeights(_ tape: Tape, tau: Float, mode: SampleMode, rng: inout RandomStream) -> [Tensor] {
        var w: [Tensor] = []
        func s(_ t: Tensor) -> Tensor { tape.sample(t, tau: tau, mode: mode, rng: &rng) }
        // The embedding table is sampled row by row: one row of k logits per (word, variable).
        if let e = embedding { w.append(s(e.logits)) }
        for l in 0..<config.layers {
            for h in catHeads[l] { w += [s(h.read.logits), s(h.predicate)] }
            for h in numHeads[l] { w += [s(h.read.logits), s(h.valueRead.logits), s(h.predicate)] }
            for m in catMLPs[l] + numMLPs[l] { w += [s(m.read.logits), m.inWeight, m.inBias, m.outWeight, m.outBias] }
        }
        return w + [classifier.catWeight, classifier.numWeight]
    }

    /// The residual streams and class logits for one block of sequences.
    public struct Output {
        /// `[rows, M_cat·k]`: every categorical variable at every position.
        public let catStream: Tensor
        /// `[rows, M_num]`: every numerical variable at every position.
        public let numStream: Tensor
        /// `[rows, C]`.
        public let logits: Tensor
    }

    /// Runs the network on `batch` with this step's `weights` (from ``sampleWeights``, or views
    /// of them on another tape). Attention rows and MLP outputs are sampled with `batch.mode`
    /// using noise from `rng`.
    public func forward(_ tape: Tape, weights: [Tensor], batch: SequenceBatch, rng: inout RandomStream) -> Output {
        let k = config.varWidth, rows = batch.rows, n = batch.length
        let grad = tape.isRecording && batch.mode.isDifferentiable
        let cat = tape.tensor(rows: rows, cols: layout.catCount * k, zero: true, grad: grad)
        let num = tape.tensor(rows: rows, cols: layout.numCount, zero: true, grad: grad)
        let cs = cat.shape[1], ns = num.shape[1], positions = layout.positionSlot * k
        for r in 0..<rows {
            let t = Int(batch.tokens[r])
            if embedding == nil && t < k { cat.data[r * cs + t] = 1 }
            cat.data[r * cs + positions + r % n] = 1
            num.data[r * ns] = 1
        }
        var i = 0
        func next() -> Tensor { defer { i += 1 }; return weights[i] }
        if embedding != nil {
            tape.embedTokens(next(), variables: config.embeddingVariables, width: k, batch: batch, into: cat)
        }
        for l in 0..<config.layers {
            for (h, head) in catHeads[l].enumerated() {
                let pi = next(), w = next()
                head(tape, stream: cat, batch: batch, pi: pi, w: w, slot: layout.catHeadSlot(layer: l, h), rng: &rng)
            }
            for (h, head) in numHeads[l].enumerated() {
                let pi = next(), vpi = next(), w = next()
                head(tape, catStream: cat, numStream: num, batch: batch, pi: pi, valuePi: vpi, w: w,
                     slot: layout.numHeadSlot(layer: l, h))
            }
            for (m, mlp) in catMLPs[l].enumerated() {
                let pi = next()
                mlp(tape, catStream: cat, numStream: num, batch: batch, pi: pi, weights: weights[i..<i + 4],
                    slot: layout.catMLPSlot(layer: l, m), rng: &rng)
                i += 4
            }
            for (m, mlp) in numMLPs[l].enumerated() {
                let pi = next()
                mlp(tape, catStream: cat, numStream: num, batch: batch, pi: pi, weights: weights[i..<i + 4],
                    slot: layout.numMLPSlot(layer: l, m), rng: &rng)
                i += 4
            }
        }
        let uc = next(), un = next()
        let logits = tape.classifierLogits(catStream: cat, numStream: num, catWeight: uc, numWeight: un,
                                           masked: classifier.masked)
        return Output(catStream: cat, numStream: num, logits: logits)
    }
}

extension TransformerProgram {
    /// A name for every tensor of ``parameters``, in the same order
    /// (`layer0.attn1.read`, `layer0.attn1.predicate`, `layer2.num_mlp0.in_weight`, `classifier.cat`, …).
    public var parameterNames: [String] {
        var p: [String] = embedding == nil ? [] : ["embedding"]
        for l in 0..<config.layers {
            for h in 0..<config.catHeads { p += ["layer\(l).attn\(h).read", "layer\(l).attn\(h).predicate"] }
            for h in 0..<config.numHeads {
                p += ["layer\(l).num_attn\(h).read", "layer\(l).num_attn\(h).value_read", "layer\(l).num_attn\(h).predicate"]
            }
            let mlps = (0..<config.catMLPs).map { "layer\(l).mlp\($0)" } + (0..<config.numMLPs).map { "layer\(l).num_mlp\($0)" }
            for m in mlps { p += ["\(m).read", "\(m).in_weight", "\(m).in_bias", "\(m).out_weight", "\(m).out_bias"] }
        }
        return p + ["classifier.cat", "classifier.num"]
    }
}

extension TransformerProgram {
    /// The discrete model's label at every row of `output` (computed in argmax mode), by the
    /// canonical classifier sum (``Discrete/label(catValues:catCount:numValues:numCount:width:catWeight:numWeight:classes:masked:logits:)``).
    /// Pooled models write each sequence's label at its position 0 (and 0 elsewhere): the mean
    /// over its tokens of the per-position Float64 logits, summed in position order.
    public func discreteLabels(_ output: Output, batch: SequenceBatch, into labels: UnsafeMutablePointer<Int32>) {
        let k = config.varWidth, rows = output.catStream.shape[0], classes = config.classCount
        let mc = layout.catCount, mn = layout.numCount, n = batch.length
        var masked = [Bool](repeating: false, count: classes)
        for m in classifier.masked { masked[m] = true }
        var values = [Int32](repeating: -1, count: mc)
        var logits = [Double](repeating: 0, count: classes)
        var pooled = [Double](repeating: 0, count: classes)
        for r in 0..<rows {
            let row = output.catStream.data + r * mc * k
            for v in 0..<mc {
                values[v] = -1
                for c in 0..<k where row[v * k + c] == 1 { values[v] = Int32(c); break }
            }
            labels[r] = Int32(Discrete.label(catValues: values, catCount: mc, numValues: output.numStream.data + r * mn,
                                             numCount: mn, width: k, catWeight: classifier.catWeight.data,
                                             numWeight: classifier.numWeight.data, classes: classes, masked: masked,
                                             logits: &logits))
            guard config.pooled else { continue }
            let s = r / n, i = r % n, length = batch.lengths[s]
            if i == 0 { for c in 0..<classes { pooled[c] = 0 } }
            if i < length { for c in 0..<classes { pooled[c] += logits[c] } }
            labels[r] = 0
            if i == n - 1 {
                labels[s * n] = Int32(Discrete.argmax(pooled.map { $0 / Double(max(length, 1)) }, masked: masked))
            }
        }
    }
}
