import Testing
@testable import Autograd
@testable import Network
@testable import Tasks
@testable import Training

/// Hand-set logits: the discrete model expresses the known solution of a task exactly.
@Suite("Hand-set programs")
struct HandSetProgramTests {
    /// Sets one-hot-ish logits: +10 at `choice`, −10 elsewhere, in row `row` of `t`.
    func choose(_ t: Tensor, row: Int, _ choice: Int) {
        for j in 0..<t.shape[1] { t[row, j] = j == choice ? 10 : -10 }
    }

    /// The paper's induction circuit (§6.1): layer 0 copies the previous token (query and key
    /// positions, predicate p → p − 1, value tokens); layer 1 looks for the position whose previous
    /// token is the current letter (query tokens, key layer-0 output, value tokens); the classifier
    /// reads the copied number, or `<s>` (no earlier occurrence) as `<unk>`.
    @Test("the induction circuit, set by hand, is 100% accurate on the test split")
    func induction() throws {
        let data = try TaskDataset.generate(.induction, options: .defaults(for: .induction))
        let model = ModelOptions.paper(.induction)
        var options = TrainingOptions()
        options.epochs = 1
        let trainer = try Trainer(dataset: data, model: model, options: options)
        let net = trainer.model, vocab = data.vocabulary, labels = data.labels, k = net.config.varWidth
        #expect(net.layout.catNames == ["tokens", "positions", "attn_0_0_outputs", "attn_1_0_outputs"])
        // Layer 0: query positions, key positions, value tokens; p → p − 1.
        let h0 = net.catHeads[0][0]
        choose(h0.read.logits, row: 0, 1)
        choose(h0.read.logits, row: 1, 1)
        choose(h0.read.logits, row: 2, 0)
        for p in 0..<k { choose(h0.predicate, row: p, max(p - 1, 0)) }
        // Layer 1: query tokens, key attn_0_0_outputs, value tokens; a letter looks for itself,
        // anything else for <pad> (which never occurs, so it falls back to <s>).
        let h1 = net.catHeads[1][0]
        choose(h1.read.logits, row: 0, 0)
        choose(h1.read.logits, row: 1, 2)
        choose(h1.read.logits, row: 2, 0)
        let letters = Set(["a", "b", "c", "d"].compactMap { vocab.id($0) })
        for q in 0..<k { choose(h1.predicate, row: q, letters.contains(q) ? q : 0) }
        // Classifier: only attn_1_0_outputs matters: number n → label n, <s> → <unk>.
        let w = net.classifier.catWeight
        for i in 0..<w.count { w.data[i] = 0 }
        for i in 0..<net.classifier.numWeight.count { net.classifier.numWeight.data[i] = 0 }
        let slot = 3
        for number in ["0", "1", "2", "3"] {
            w[slot * k + vocab.id(number)!, labels.id(number)!] = 10
        }
        w[slot * k + vocab.id("<s>")!, labels.id("<unk>")!] = 10
        let accuracy = trainer.evaluate(.test, mode: .argmax, tau: 1).accuracy
        #expect(accuracy == 1, "discrete test accuracy of the hand-set induction circuit: \(accuracy)")
    }

    /// double_hist by hand with the paper's configuration (3 layers, 2 + 2 heads, 1 + 1 MLPs):
    /// layer 0 counts each token (`c`) and a numerical MLP turns the count into a category
    /// (`argmax_v 2v·c − v²` = `c`); layer 1 counts the positions whose count category is the same
    /// (`s = d·c`, with `d` distinct tokens of count `c`) and a numerical MLP divides
    /// (`argmax_v 2v·s − v²·c` = `d`); the classifier reads `d`.
    @Test("double_hist, set by hand, is 100% accurate on the test split")
    func doubleHistogram() throws {
        let data = try TaskDataset.generate(.doubleHist, options: .defaults(for: .doubleHist))
        var options = TrainingOptions()
        options.epochs = 1
        let trainer = try Trainer(dataset: data, model: .paper(.doubleHist), options: options)
        let net = trainer.model, vocab = data.vocabulary, labels = data.labels, k = net.config.varWidth
        let layout = net.layout
        #expect(layout.catNames[5] == "num_mlp_0_0_outputs" && layout.catNames[9] == "num_mlp_1_0_outputs")
        #expect(layout.numNames[1] == "num_attn_0_0_outputs" && layout.numNames[3] == "num_attn_1_0_outputs")
        // Layer 0, numerical head 0: query tokens, key tokens, value ones; a body token counts
        // itself, <s> matches nothing (count 0).
        let count = net.numHeads[0][0]
        choose(count.read.logits, row: 0, 0)
        choose(count.read.logits, row: 1, 0)
        choose(count.valueRead.logits, row: 0, 0)
        let bos = vocab.id("<s>")!
        for q in 0..<k { choose(count.predicate, row: q, q == bos ? 0 : q) }
        // Layer 0, numerical MLP: c → category c.
        let toCategory = net.numMLPs[0][0]
        choose(toCategory.read.logits, row: 0, 1)
        choose(toCategory.read.logits, row: 1, 1)
        setMLP(toCategory, hidden: [[1, 0]], out: { v in [2 * Float(v)] }, outBias: { v in -Float(v * v) })
        // Layer 1, numerical head 0: query and key the count category (identity), value ones.
        let same = net.numHeads[1][0]
        choose(same.read.logits, row: 0, 5)
        choose(same.read.logits, row: 1, 5)
        choose(same.valueRead.logits, row: 0, 0)
        for q in 0..<k { choose(same.predicate, row: q, q) }
        // Layer 1, numerical MLP: (s, c) → d = s / c.
        let divide = net.numMLPs[1][0]
        choose(divide.read.logits, row: 0, 3)
        choose(divide.read.logits, row: 1, 1)
        setMLP(divide, hidden: [[1, 0], [0, 1]], out: { v in [2 * Float(v), -Float(v * v)] }, outBias: { _ in 0 })
        // Classifier: num_mlp_1_0_outputs = d → label "d".
        for i in 0..<net.classifier.catWeight.count { net.classifier.catWeight.data[i] = 0 }
        for i in 0..<net.classifier.numWeight.count { net.classifier.numWeight.data[i] = 0 }
        for d in 1..<k { if let label = labels.id(String(d)) { net.classifier.catWeight[9 * k + d, label] = 10 } }
        let accuracy = trainer.evaluate(.test, mode: .argmax, tau: 1).accuracy
        #expect(accuracy == 1, "discrete test accuracy of the hand-set double_hist program: \(accuracy)")
    }

    /// Sets a numerical MLP: hidden unit `j` computes `relu(hidden[j] · (a, b))` (the others 0),
    /// and output `v` is `out(v) · h + outBias(v)`.
    func setMLP(_ mlp: ProgramMLP, hidden: [[Float]], out: (Int) -> [Float], outBias: (Int) -> Float) {
        let d = mlp.inWeight.shape[0], k = mlp.outWeight.shape[0]
        for i in 0..<mlp.inWeight.count { mlp.inWeight.data[i] = 0 }
        for i in 0..<d { mlp.inBias.data[i] = 0 }
        for (j, row) in hidden.enumerated() { mlp.inWeight[j, 0] = row[0]; mlp.inWeight[j, 1] = row[1] }
        for v in 0..<k {
            for j in 0..<d { mlp.outWeight[v, j] = 0 }
            for (j, w) in out(v).enumerated() { mlp.outWeight[v, j] = w }
            mlp.outBias[v] = outBias(v)
        }
    }
}
