import Autograd

extension StandardTransformer {
    /// An affine map of the last axis, `y = x · Wᵀ + b`, with `W` `[out, in]` and `b` `[out]`
    /// (PyTorch's `nn.Linear` layout and initialisation: both uniform in `±1/√in`).
    public struct Linear {
        public let weight: Tensor
        public let bias: Tensor

        public init(weight: Tensor, bias: Tensor) {
            precondition(weight.shape.count == 2 && bias.shape == [weight.shape[0]],
                         "Linear: weight \(weight.shape) and bias \(bias.shape)")
            self.weight = weight
            self.bias = bias
        }

        /// PyTorch's default initialisation: `W, b ~ U(−1/√in, 1/√in)`.
        init(inputs: Int, outputs: Int, rng: inout RandomStream) {
            let bound = 1 / Float(inputs).squareRoot()
            self.init(weight: uniformTensor([outputs, inputs], bound: bound, rng: &rng),
                      bias: uniformTensor([outputs], bound: bound, rng: &rng))
        }

        /// `x` `[..., in]` → `[..., out]`.
        public func callAsFunction(_ tape: Tape, _ x: Tensor) -> Tensor {
            tape.linear(x, weight: weight, bias: bias)
        }

        public var parameters: [Tensor] { [weight, bias] }

        /// The same layer with every parameter replaced by `replace(parameter)`.
        public func mapParameters(_ replace: (Tensor) -> Tensor) -> Linear {
            Linear(weight: replace(weight), bias: replace(bias))
        }
    }

    /// Layer normalisation of the last axis with a learned gain (initially 1) and bias (0),
    /// `ε = 1e-5` (``Autograd/Tape/layerNorm(_:gain:bias:epsilon:)``).
    public struct LayerNorm {
        public let gain: Tensor
        public let bias: Tensor

        public init(gain: Tensor, bias: Tensor) {
            self.gain = gain
            self.bias = bias
        }

        init(width: Int) {
            self.init(gain: Tensor([width], values: [Float](repeating: 1, count: width), requiresGrad: true),
                      bias: Tensor([width], requiresGrad: true))
        }

        public func callAsFunction(_ tape: Tape, _ x: Tensor) -> Tensor {
            tape.layerNorm(x, gain: gain, bias: bias)
        }

        public var parameters: [Tensor] { [gain, bias] }

        public func mapParameters(_ replace: (Tensor) -> Tensor) -> LayerNorm {
            LayerNorm(gain: replace(gain), bias: replace(bias))
        }
    }

    /// The position-wise MLP `d_model → d_mlp → d_model`:
    ///
    /// ```
    /// y = W₂ · dropout(act(W₁ x + b₁)) + b₂          act = ReLU or GeLU
    /// ```
    public struct FeedForward {
        public let up: Linear
        public let down: Linear
        public let activation: StandardConfig.Activation

        public init(up: Linear, down: Linear, activation: StandardConfig.Activation) {
            self.up = up
            self.down = down
            self.activation = activation
        }

        public func callAsFunction(_ tape: Tape, _ x: Tensor, dropout: Float, batch: StandardBatch,
                                   rng: inout RandomStream) -> Tensor {
            let u = up(tape, x)
            let h = activation == .relu ? tape.relu(u) : tape.gelu(u)
            return down(tape, tape.dropout(h, rate: dropout, rng: &rng, training: batch.training))
        }

        public var parameters: [Tensor] { up.parameters + down.parameters }

        public func mapParameters(_ replace: (Tensor) -> Tensor) -> FeedForward {
            FeedForward(up: up.mapParameters(replace), down: down.mapParameters(replace), activation: activation)
        }
    }

    /// Learned token and absolute position embeddings, as the original baseline:
    ///
    /// ```
    /// x[s, i] = √d_model · E_tok[token(s, i)] + E_pos[i]      E_tok, E_pos ~ N(0, 1/d_model)
    /// ```
    public struct Embedding {
        /// `[vocabulary, d_model]`.
        public let tokens: Tensor
        /// `[maxLength, d_model]`.
        public let positions: Tensor

        public init(tokens: Tensor, positions: Tensor) {
            self.tokens = tokens
            self.positions = positions
        }

        init(vocabulary: Int, maxLength: Int, width: Int, rng: inout RandomStream) {
            let scale = 1 / Float(width).squareRoot()
            self.init(tokens: normalTensor([vocabulary, width], scale: scale, rng: &rng),
                      positions: normalTensor([maxLength, width], scale: scale, rng: &rng))
        }

        /// The embedded batch, `[S, N, d_model]`.
        public func callAsFunction(_ tape: Tape, _ batch: StandardBatch) -> Tensor {
            let d = tokens.shape[1], n = batch.length
            precondition(n <= positions.shape[0], "sequences of \(n) tokens, the model has \(positions.shape[0]) positions")
            let positionIDs = (0..<batch.rows).map { Int32($0 % n) }
            let t = tape.scale(tape.embedding(ids: batch.tokens, table: tokens), Float(d).squareRoot())
            let x = tape.add(t, tape.embedding(ids: positionIDs, table: positions))
            return tape.reshape(x, [batch.sequences, n, d])
        }

        public var parameters: [Tensor] { [tokens, positions] }

        public func mapParameters(_ replace: (Tensor) -> Tensor) -> Embedding {
            Embedding(tokens: replace(tokens), positions: replace(positions))
        }
    }

    /// The linear classifier (no bias), `logits = x · W_U`, `W_U ~ N(0, 1/C)` `[d_model, C]`, with
    /// the masked classes at −∞: the same classifier as the program model's.
    public struct Unembedding {
        /// `[d_model, C]`.
        public let weight: Tensor
        /// Class ids that are never predicted.
        public let masked: [Int]
        private let classMask: [Bool]

        public init(weight: Tensor, masked: [Int]) {
            self.weight = weight
            self.masked = masked
            var m = [Bool](repeating: false, count: weight.shape[1])
            for c in masked { m[c] = true }
            classMask = m
        }

        init(width: Int, classes: Int, masked: [Int], rng: inout RandomStream) {
            self.init(weight: normalTensor([width, classes], scale: 1 / Float(classes).squareRoot(), rng: &rng),
                      masked: masked)
        }

        /// `x` `[..., d_model]` → logits `[rows, C]` (the leading axes flattened).
        public func callAsFunction(_ tape: Tape, _ x: Tensor) -> Tensor {
            let c = weight.shape[1]
            let y = tape.matmul(x, weight)
            let logits = tape.reshape(y, [y.count / c, c])
            return classMask.contains(true) ? tape.maskedFill(logits, mask: classMask, value: -.infinity) : logits
        }

        public var parameters: [Tensor] { [weight] }

        public func mapParameters(_ replace: (Tensor) -> Tensor) -> Unembedding {
            Unembedding(weight: replace(weight), masked: masked)
        }
    }
}

extension StandardTransformer {
    /// A trainable tensor with values `U(−bound, bound)`.
    static func uniformTensor(_ shape: [Int], bound: Float, rng: inout RandomStream) -> Tensor {
        let n = shape.reduce(1, *)
        return Tensor(shape, values: (0..<n).map { _ in (rng.uniform() * 2 - 1) * bound }, requiresGrad: true)
    }

    /// A trainable tensor with values `N(0, scale²)`.
    static func normalTensor(_ shape: [Int], scale: Float, rng: inout RandomStream) -> Tensor {
        let n = shape.reduce(1, *)
        return Tensor(shape, values: (0..<n).map { _ in rng.normal() * scale }, requiresGrad: true)
    }
}
