import Network
import Tasks

/// The architecture knobs of a Transformer Program (per layer), before the task fixes the
/// vocabulary, labels and length.
public struct ModelOptions: Codable, Sendable, Equatable {
    public var layers: Int
    public var catHeads: Int
    public var numHeads: Int
    public var catMLPs: Int
    public var numMLPs: Int
    /// `k`; `nil` picks `max(vocabulary size, sequence length)`.
    public var varWidth: Int?
    public var mlpWidth: Int = 64
    /// Force causal attention (tasks that need it are causal anyway).
    public var causal: Bool = false
    /// `m` factored embedding variables (NLP); 0 for one one-hot `tokens` variable.
    public var embeddingVariables: Int = 0
    /// Whether the classifier masks `<pad>`, and `<unk>` when it is not a label (`true`, the
    /// default), or no class at all (`false`, the original's `--unembed_mask 0`, which its
    /// induction script uses). Unmasked, `<pad>` keeps a logit that is never a target, so the
    /// loss pushes it down everywhere; the discrete program may then predict `<pad>`.
    public var unembedMask: Bool = true

    enum CodingKeys: String, CodingKey {
        case layers, catHeads, numHeads, catMLPs, numMLPs, varWidth, mlpWidth, causal, embeddingVariables, unembedMask
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        layers = try c.decode(Int.self, forKey: .layers)
        catHeads = try c.decode(Int.self, forKey: .catHeads)
        numHeads = try c.decode(Int.self, forKey: .numHeads)
        catMLPs = try c.decode(Int.self, forKey: .catMLPs)
        numMLPs = try c.decode(Int.self, forKey: .numMLPs)
        varWidth = try c.decodeIfPresent(Int.self, forKey: .varWidth)
        mlpWidth = try c.decodeIfPresent(Int.self, forKey: .mlpWidth) ?? 64
        causal = try c.decodeIfPresent(Bool.self, forKey: .causal) ?? false
        embeddingVariables = try c.decodeIfPresent(Int.self, forKey: .embeddingVariables) ?? 0
        unembedMask = try c.decodeIfPresent(Bool.self, forKey: .unembedMask) ?? true
    }

    public init(layers: Int, catHeads: Int, numHeads: Int, catMLPs: Int, numMLPs: Int,
                varWidth: Int? = nil, mlpWidth: Int = 64) {
        self.layers = layers
        self.catHeads = catHeads
        self.numHeads = numHeads
        self.catMLPs = catMLPs
        self.numMLPs = numMLPs
        self.varWidth = varWidth
        self.mlpWidth = mlpWidth
    }

    /// The paper's configuration for `task` (SPEC §5; heads and MLPs split evenly).
    ///
    /// | task | L | heads (cat+num) | MLPs (cat+num) |
    /// |---|---|---|---|
    /// | reverse | 3 | 4+4 | 1+1 |  hist 1, 2+2, 1+1 · double_hist 3, 2+2, 1+1 · sort 3, 4+4, 2+2
    /// most_freq 3, 4+4, 2+2 · dyck1 3, 4+4, 1+1 · dyck2 3, 2+2, 2+2 · induction 2, 1+0, 0+0
    public static func paper(_ task: TaskName) -> ModelOptions {
        switch task {
        case .reverse: return ModelOptions(layers: 3, catHeads: 4, numHeads: 4, catMLPs: 1, numMLPs: 1)
        case .hist: return ModelOptions(layers: 1, catHeads: 2, numHeads: 2, catMLPs: 1, numMLPs: 1)
        case .doubleHist: return ModelOptions(layers: 3, catHeads: 2, numHeads: 2, catMLPs: 1, numMLPs: 1)
        case .sort: return ModelOptions(layers: 3, catHeads: 4, numHeads: 4, catMLPs: 2, numMLPs: 2)
        case .mostFreq: return ModelOptions(layers: 3, catHeads: 4, numHeads: 4, catMLPs: 2, numMLPs: 2)
        case .dyck1: return ModelOptions(layers: 3, catHeads: 4, numHeads: 4, catMLPs: 1, numMLPs: 1)
        case .dyck2: return ModelOptions(layers: 3, catHeads: 2, numHeads: 2, catMLPs: 2, numMLPs: 2)
        case .induction: return ModelOptions(layers: 2, catHeads: 1, numHeads: 0, catMLPs: 0, numMLPs: 0)
        }
    }

    /// The paper's configuration for an NLP task: 4 embedding variables, 2 layers of categorical
    /// heads and one categorical MLP; NER: `k` 32 and 8 heads; classification: `k` 64, 4 heads.
    public static func paper(_ task: NLPTask) -> ModelOptions {
        var m = task.isTagging
            ? ModelOptions(layers: 2, catHeads: 8, numHeads: 0, catMLPs: 1, numMLPs: 0, varWidth: 32)
            : ModelOptions(layers: 2, catHeads: 4, numHeads: 0, catMLPs: 1, numMLPs: 0, varWidth: 64)
        m.embeddingVariables = 4
        return m
    }

    /// The full model configuration for a data set.
    public func config(for dataset: any LabeledDataset) -> ProgramConfig {
        let n = dataset.maxLength
        let k = varWidth ?? (embeddingVariables > 0 ? n : max(dataset.vocabulary.count, n))
        var masked: [Int] = []
        if unembedMask {
            masked = [0]
            if let unk = dataset.labels.id("<unk>"), unk != 0, !dataset.labelsInclude("<unk>") { masked.append(unk) }
        }
        return ProgramConfig(varWidth: k, layers: layers, catHeads: catHeads, numHeads: numHeads, catMLPs: catMLPs,
                             numMLPs: numMLPs, mlpWidth: mlpWidth, causal: dataset.causal || causal,
                             vocabularySize: dataset.vocabulary.count, classCount: dataset.labels.count,
                             maskedClasses: masked, maxLength: n, embeddingVariables: embeddingVariables,
                             pooled: dataset.pooled)
    }
}

extension LabeledDataset {
    /// Whether `label` is a real training target.
    func labelsInclude(_ label: String) -> Bool {
        examples(.train).contains { $0.labels.contains(label) }
    }
}
