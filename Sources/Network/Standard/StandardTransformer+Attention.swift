import Autograd
import Foundation

extension StandardTransformer {
    /// Multi-head softmax self-attention (PyTorch's `nn.MultiheadAttention` as the encoder layer
    /// uses it): one fused input projection gives the queries, keys and values of every head,
    /// each head attends within its own sequence, and the heads' outputs are concatenated and
    /// projected back.
    ///
    /// ```
    /// [Q K V] = x · W_inᵀ + b_in                        W_in [3d, d]: Q, K, V stacked
    /// A_h = dropout(softmax(Q_h K_hᵀ / √d_h + M))       M = −∞ where the key is hidden (StandardBatch)
    /// y   = [A_1 V_1, …, A_H V_H] · W_outᵀ + b_out       d_h = d / H
    /// ```
    /// The mask `M` is the batch's per-sequence mask: each head of sequence `s` uses sequence
    /// `s`'s own padding (the original's baseline mixed them up; reference §3.6).
    public struct SelfAttention {
        /// `W_in` `[3d, d]` and `b_in` `[3d]`: rows `0..<d` give the queries, `d..<2d` the keys,
        /// `2d..<3d` the values; head `h` uses columns `h·d_h ..< (h+1)·d_h` of each.
        public let input: Linear
        /// `W_out` `[d, d]` and `b_out` `[d]`.
        public let output: Linear
        /// Number of heads `H`.
        public let heads: Int

        public init(input: Linear, output: Linear, heads: Int) {
            precondition(input.weight.shape[0] == 3 * output.weight.shape[0], "SelfAttention: \(input.weight.shape)")
            self.input = input
            self.output = output
            self.heads = heads
        }

        /// PyTorch's initialisation: `W_in` Xavier-uniform (`±√(6 / 4d)`), `b_in = 0`; `W_out`
        /// as ``Linear`` (`±1/√d`), `b_out = 0`.
        init(width d: Int, heads: Int, rng: inout RandomStream) {
            let inWeight = StandardTransformer.uniformTensor([3 * d, d], bound: (6 / Float(4 * d)).squareRoot(), rng: &rng)
            let outWeight = StandardTransformer.uniformTensor([d, d], bound: 1 / Float(d).squareRoot(), rng: &rng)
            self.init(input: Linear(weight: inWeight, bias: Tensor([3 * d], requiresGrad: true)),
                      output: Linear(weight: outWeight, bias: Tensor([d], requiresGrad: true)), heads: heads)
        }

        /// `x` `[S, N, d]` → `[S, N, d]`; `dropout` applies to the attention weights.
        public func callAsFunction(_ tape: Tape, _ x: Tensor, batch: StandardBatch, dropout: Float,
                                   rng: inout RandomStream) -> Tensor {
            let d = output.weight.shape[0], dh = d / heads
            let qkv = input(tape, x)
            let scale = 1 / Float(dh).squareRoot()
            var outputs: [Tensor] = []
            outputs.reserveCapacity(heads)
            for h in 0..<heads {
                let q = tape.slice(qkv, (h * dh)..<((h + 1) * dh))
                let k = tape.slice(qkv, (d + h * dh)..<(d + (h + 1) * dh))
                let v = tape.slice(qkv, (2 * d + h * dh)..<(2 * d + (h + 1) * dh))
                let scores = tape.scale(tape.matmul(q, k, transposeB: true), scale)
                let weights = tape.softmax(tape.maskedFill(scores, mask: batch.hidden, value: -.infinity))
                let dropped = tape.dropout(weights, rate: dropout, rng: &rng, training: batch.training)
                outputs.append(tape.matmul(dropped, v))
            }
            return output(tape, heads == 1 ? outputs[0] : tape.concat(outputs))
        }

        public var parameters: [Tensor] { input.parameters + output.parameters }

        public func mapParameters(_ replace: (Tensor) -> Tensor) -> SelfAttention {
            SelfAttention(input: input.mapParameters(replace), output: output.mapParameters(replace), heads: heads)
        }
    }

    /// A pre-LayerNorm encoder layer (PyTorch's `TransformerEncoderLayer(norm_first: true)`):
    ///
    /// ```
    /// x ← x + dropout(SelfAttention(LayerNorm₁(x)))
    /// x ← x + dropout(FeedForward(LayerNorm₂(x)))
    /// ```
    public struct EncoderLayer {
        public let norm1: LayerNorm
        public let attention: SelfAttention
        public let norm2: LayerNorm
        public let feedForward: FeedForward

        public init(norm1: LayerNorm, attention: SelfAttention, norm2: LayerNorm, feedForward: FeedForward) {
            self.norm1 = norm1
            self.attention = attention
            self.norm2 = norm2
            self.feedForward = feedForward
        }

        init(config: StandardConfig, rng: inout RandomStream) {
            let d = config.dModel
            self.init(norm1: LayerNorm(width: d),
                      attention: SelfAttention(width: d, heads: config.heads, rng: &rng),
                      norm2: LayerNorm(width: d),
                      feedForward: FeedForward(up: Linear(inputs: d, outputs: config.dMLP, rng: &rng),
                                               down: Linear(inputs: config.dMLP, outputs: d, rng: &rng),
                                               activation: config.activation))
        }

        /// `x` `[S, N, d]` → `[S, N, d]`.
        public func callAsFunction(_ tape: Tape, _ x: Tensor, batch: StandardBatch, dropout: Float,
                                   rng: inout RandomStream) -> Tensor {
            let a = attention(tape, norm1(tape, x), batch: batch, dropout: dropout, rng: &rng)
            let x1 = tape.add(x, tape.dropout(a, rate: dropout, rng: &rng, training: batch.training))
            let f = feedForward(tape, norm2(tape, x1), dropout: dropout, batch: batch, rng: &rng)
            return tape.add(x1, tape.dropout(f, rate: dropout, rng: &rng, training: batch.training))
        }

        public var parameters: [Tensor] { norm1.parameters + attention.parameters + norm2.parameters + feedForward.parameters }

        public func mapParameters(_ replace: (Tensor) -> Tensor) -> EncoderLayer {
            EncoderLayer(norm1: norm1.mapParameters(replace), attention: attention.mapParameters(replace),
                         norm2: norm2.mapParameters(replace), feedForward: feedForward.mapParameters(replace))
        }
    }
}
