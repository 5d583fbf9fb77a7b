import Foundation

/// The Gumbel-softmax temperature at every training step.
///
/// Per-epoch anchors `τ_e = geomspace(τ_init, τ_end, E)[e]`; within epoch `e < E − 1`, step `s`
/// of `n` uses `geomspace(τ_e, τ_{e+1}, n)[s]`, so τ falls on every step; the last epoch is held
/// at `τ_end`. Example, 3 epochs of 2 steps from 3 to 0.03: anchors 3, 0.3, 0.03; steps
/// 3, 0.3 | 0.3, 0.03 | 0.03, 0.03.
public struct TemperatureSchedule: Sendable {
    /// Interpolation between anchors.
    public enum Kind: String, Codable, Sendable, CaseIterable {
        case geometric = "geomspace"
        case linear = "linspace"
    }

    public let kind: Kind
    public let anchors: [Double]
    public let end: Double

    public init(kind: Kind, initial: Float, end: Float, epochs: Int) {
        self.kind = kind
        self.end = Double(end)
        anchors = TemperatureSchedule.space(kind, Double(initial), Double(end), epochs)
    }

    /// τ at step `step` of `steps` in epoch `epoch`.
    public func tau(epoch: Int, step: Int, steps: Int) -> Float {
        if epoch >= anchors.count - 1 { return Float(end) }
        return Float(TemperatureSchedule.space(kind, anchors[epoch], anchors[epoch + 1], steps)[step])
    }

    /// `n` values from `a` to `b` (both included), evenly spaced on a log or linear scale.
    static func space(_ kind: Kind, _ a: Double, _ b: Double, _ n: Int) -> [Double] {
        if n <= 1 { return [a] }
        return (0..<n).map { i in
            let t = Double(i) / Double(n - 1)
            return kind == .geometric ? exp(log(a) + t * (log(b) - log(a))) : a + t * (b - a)
        }
    }
}
