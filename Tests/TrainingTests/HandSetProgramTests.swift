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
}
