/// Loss and accuracy of one split.
public struct SplitMetrics: Codable, Sendable, Equatable {
    /// Mean sequence loss.
    public var loss: Double
    /// Fraction of scored positions (targets other than `<pad>`) predicted correctly.
    public var accuracy: Double
    public init(loss: Double, accuracy: Double) {
        self.loss = loss
        self.accuracy = accuracy
    }
}

/// One line of `metrics.jsonl`: an epoch's training loss and its evaluation at the current τ.
public struct EpochMetrics: Codable, Sendable, Equatable {
    public var epoch: Int
    /// τ of the epoch's last step.
    public var tau: Double
    /// Mean training-batch loss over the epoch.
    public var trainLoss: Double
    public var train: SplitMetrics?
    public var val: SplitMetrics?
    public var test: SplitMetrics?
    /// Seconds since training started.
    public var elapsed: Double

    enum CodingKeys: String, CodingKey {
        case epoch, tau, trainLoss = "train_loss", train, val, test, elapsed
    }
}
