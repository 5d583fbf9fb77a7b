import Autograd
import Foundation

/// The linear classifier over the whole residual stream, and the training loss.
///
/// ```
/// logits = [x_cat ; x_num] · W_U          (no bias; W_U = [U_cat ; U_num])
/// ```
/// so each class score is a sum of one weight per (categorical variable, value) plus
/// `value × weight` per numerical variable. Masked classes (`<pad>`, and `<unk>` unless it is a
/// label) never win. Discrete, the program's classifier is exactly this table of weights.
public struct Classifier {
    /// Weights of the categorical variables, `[M_cat·k, C]`.
    public let catWeight: Tensor
    /// Weights of the numerical variables, `[M_num, C]`.
    public let numWeight: Tensor
    /// Class ids that are never predicted.
    public let masked: [Int]

    public init(catDimension: Int, numDimension: Int, classes: Int, masked: [Int], rng: inout RandomStream) {
        let scale = 1 / Float(classes).squareRoot()
        catWeight = Tensor([catDimension, classes],
                           values: (0..<catDimension * classes).map { _ in rng.normal() * scale }, requiresGrad: true)
        numWeight = Tensor([numDimension, classes],
                           values: (0..<numDimension * classes).map { _ in rng.normal() * scale }, requiresGrad: true)
        self.masked = masked
    }
}

/// How token losses are combined into a sequence loss.
public enum LossAggregation: String, Sendable, Codable, CaseIterable {
    /// Mean over the sequence's scored tokens, then mean over sequences.
    case perToken = "per_token"
    /// Sum over the sequence's scored tokens, then mean over sequences.
    case perSequence = "per_seq"
}

extension Tape {
    /// Class logits `[rows, C]` for every position: `x_cat · U_cat + x_num · U_num`, with masked
    /// classes at `−∞`.
    public func classifierLogits(catStream: Tensor, numStream: Tensor, catWeight: Tensor, numWeight: Tensor,
                                 masked: [Int]) -> Tensor {
        let mark = Profile.enter(.classifier)
        defer { Profile.exit(mark) }
        let rows = catStream.shape[0], c = catWeight.shape[1]
        let dc = catWeight.shape[0], dn = numWeight.shape[0]
        let logits = tensor(rows: rows, cols: c, grad: needsGrad(catStream, numStream, catWeight, numWeight))
        Gemm.multiply(m: rows, n: c, k: dc, catStream.data, lda: catStream.shape[1], catWeight.data, ldb: c,
                      into: logits.data, ldc: c)
        Gemm.multiply(m: rows, n: c, k: dn, numStream.data, lda: numStream.shape[1], numWeight.data, ldb: c,
                      into: logits.data, ldc: c, accumulate: true)
        for r in 0..<rows { for m in masked { logits.data[r * c + m] = -.infinity } }
        guard let g = logits.grad else { return logits }
        record {
            let mark = Profile.enter(.classifier)
            defer { Profile.exit(mark) }
            for r in 0..<rows { for m in masked { g[r * c + m] = 0 } }
            if let gc = catWeight.grad {
                Gemm.multiply(m: dc, n: c, k: rows, catStream.data, lda: catStream.shape[1], transposeA: true,
                              g, ldb: c, into: gc, ldc: c, accumulate: true)
            }
            if let gn = numWeight.grad {
                Gemm.multiply(m: dn, n: c, k: rows, numStream.data, lda: numStream.shape[1], transposeA: true,
                              g, ldb: c, into: gn, ldc: c, accumulate: true)
            }
            if let gs = catStream.grad {
                Gemm.multiply(m: rows, n: dc, k: c, g, lda: c, catWeight.data, ldb: c, transposeB: true,
                              into: gs, ldc: catStream.shape[1], accumulate: true)
            }
            if let gs = numStream.grad {
                Gemm.multiply(m: rows, n: dn, k: c, g, lda: c, numWeight.data, ldb: c, transposeB: true,
                              into: gs, ldc: numStream.shape[1], accumulate: true)
            }
        }
        return logits
    }

    /// Cross-entropy of `logits` (`[sequences·length, C]`) against `targets` (id 0 = `<pad>`,
    /// ignored), aggregated per sequence (``LossAggregation``) and weighted by `weight` per
    /// sequence (`1/B` for the mean over a batch of `B` sequences). Returns a one-element tensor
    /// (the weighted sum, accumulated in `Double`).
    public func crossEntropy(_ logits: Tensor, targets: UnsafePointer<Int32>, sequences: Int, length: Int,
                             aggregation: LossAggregation, weight: Float) -> Tensor {
        let c = logits.shape[1]
        let loss = tensor(count: 1, grad: needsGrad(logits))
        var total: Double = 0
        var coef = [Float](repeating: 0, count: sequences)
        for s in 0..<sequences {
            var count = 0
            var nll: Double = 0
            for i in 0..<length {
                let row = s * length + i, t = Int(targets[row])
                if t == 0 { continue }
                let x = logits.data + row * c
                var m = -Float.infinity
                for j in 0..<c where x[j] > m { m = x[j] }
                var z: Float = 0
                for j in 0..<c { z += expf(x[j] - m) }
                nll += Double(m + logf(z) - x[t])
                count += 1
            }
            if count == 0 { continue }
            coef[s] = aggregation == .perToken ? 1 / Float(count) : 1
            total += nll * Double(coef[s])
        }
        loss.data[0] = Float(total * Double(weight))
        guard let gl = loss.grad else { return loss }
        record {
            let g = logits.grad!, seed = gl[0] * weight
            for s in 0..<sequences where coef[s] != 0 {
                for i in 0..<length {
                    let row = s * length + i, t = Int(targets[row])
                    if t == 0 { continue }
                    let x = logits.data + row * c, gx = g + row * c
                    var m = -Float.infinity
                    for j in 0..<c where x[j] > m { m = x[j] }
                    var z: Float = 0
                    for j in 0..<c { z += expf(x[j] - m) }
                    let f = seed * coef[s]
                    for j in 0..<c { gx[j] += f * (expf(x[j] - m) / z - (j == t ? 1 : 0)) }
                }
            }
        }
        return loss
    }

    /// The batch loss of one chunk, and (with `backward`) its backward pass: cross-entropy of
    /// `scored` against `targets` (`[sequences × length]`), per position, or — `pooled`, where
    /// `scored` holds one row per sequence — against each sequence's label at position 0.
    /// The backward pass runs here because it reads the pooled targets' temporary buffer.
    public func sequenceLoss(_ scored: Tensor, targets: UnsafePointer<Int32>, sequences n: Int, length: Int,
                             pooled: Bool, aggregation: LossAggregation, weight: Float, backward: Bool) -> Tensor {
        let sequenceTargets = pooled ? (0..<n).map { targets[$0 * length] } : []
        return sequenceTargets.withUnsafeBufferPointer { pooledTargets in
            let loss = Profile.measure(.classifier) {
                crossEntropy(scored, targets: pooled ? pooledTargets.baseAddress! : targets, sequences: n,
                             length: pooled ? 1 : length, aggregation: aggregation, weight: weight)
            }
            if backward { self.backward(loss) }
            return loss
        }
    }
}
