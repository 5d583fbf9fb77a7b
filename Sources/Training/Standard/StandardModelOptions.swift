import Network
import Tasks

/// The architecture knobs of the standard Transformer baseline, before a data set fixes the
/// vocabulary, labels, length, causality and pooling (``config(for:)``).
///
/// The original's command-line defaults are `--d_model 64 --n_layers … --n_heads 2 --d_mlp 64
/// --dropout 0`; the paper's settings (reference §3.6) are the ``paperRASP(layers:heads:)``,
/// ``paperNER`` and ``paperClassification`` presets.
public struct StandardModelOptions: Codable, Sendable, Equatable {
    /// Width of the residual stream.
    public var dModel: Int
    /// Number of encoder layers.
    public var layers: Int
    /// Heads per layer (`dModel` must be a multiple).
    public var heads: Int
    /// Hidden width of the MLPs (PyTorch's `dim_feedforward`).
    public var dMLP: Int
    /// Dropout rate while training.
    public var dropout: Float
    /// The MLP non-linearity.
    public var activation: StandardConfig.Activation
    /// Force causal attention (tasks that need it are causal anyway).
    public var causal: Bool

    public init(dModel: Int = 64, layers: Int = 2, heads: Int = 2, dMLP: Int, dropout: Float = 0,
                activation: StandardConfig.Activation = .relu, causal: Bool = false) {
        self.dModel = dModel
        self.layers = layers
        self.heads = heads
        self.dMLP = dMLP
        self.dropout = dropout
        self.activation = activation
        self.causal = causal
    }

    /// The paper's RASP grid point: hidden size 256, `layers` ∈ {2, 3}, `heads` ∈ {4, 8}. The
    /// paper does not give `d_mlp`; the original's default, 64, is what its runs used.
    public static func paperRASP(layers: Int, heads: Int) -> StandardModelOptions {
        StandardModelOptions(dModel: 256, layers: layers, heads: heads, dMLP: 64)
    }

    /// The original's NER script: `d_model` 128, 3 layers, 4 heads, `d_mlp` 64, dropout 0.5.
    public static let paperNER = StandardModelOptions(dModel: 128, layers: 3, heads: 4, dMLP: 64, dropout: 0.5)

    /// The original's classification script: `d_model` 64, 2 layers, 4 heads, `d_mlp` 64,
    /// dropout 0.5.
    public static let paperClassification = StandardModelOptions(dModel: 64, layers: 2, heads: 4, dMLP: 64,
                                                                 dropout: 0.5)

    /// The full configuration for a data set, synthetic or real (pooled for sentence
    /// classification, causal when the task needs it).
    public func config(for dataset: any LabeledDataset) -> StandardConfig {
        config(vocabulary: dataset.vocabulary, labels: dataset.labels, train: dataset.examples(.train),
               maxLength: dataset.maxLength, causal: dataset.causal, pooled: dataset.pooled)
    }

    /// The full configuration from a data set's parts: `<pad>` is masked, and `<unk>` too
    /// unless some training example has it as a label (induction's "not seen yet").
    public func config(vocabulary: Vocabulary, labels: Vocabulary, train: [Example], maxLength: Int,
                       causal: Bool, pooled: Bool) -> StandardConfig {
        var masked = [0]
        if let unk = labels.id(Special.unk), unk != 0, !train.contains(where: { $0.labels.contains(Special.unk) }) {
            masked.append(unk)
        }
        return StandardConfig(dModel: dModel, layers: layers, heads: heads, dMLP: dMLP, dropout: dropout,
                              activation: activation, causal: causal || self.causal, pooled: pooled,
                              vocabularySize: vocabulary.count, classCount: labels.count, maskedClasses: masked,
                              maxLength: maxLength)
    }
}
