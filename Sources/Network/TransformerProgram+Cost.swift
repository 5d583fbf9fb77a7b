extension TransformerProgram {
    /// The floating-point operations of one training step on sequences of the given real lengths
    /// (forward and backward, dense: every gate and sample a full distribution, as early in training).
    ///
    /// Counted as 2 × the multiply-adds of the forward pass's products, times 3 for the backward
    /// pass (one product for the inputs' gradient and one for the weights' per forward product).
    /// With `R` real positions, `P` visible (query, key) pairs, `k` the variable width and `d` the
    /// MLP width, the forward multiply-adds are, per layer:
    /// ```
    /// reads       R · k · (3 m_cat · heads_cat + 2 m_cat · heads_num + 2 m'_cat · mlps_cat)
    ///             + R · (m_num · heads_num + 2 m'_num · mlps_num)
    /// attention   heads_cat · (R k² + 2 P k) + heads_num · (R k² + P k + P)
    /// MLPs        mlps_cat · R (2k·d + d·k) + mlps_num · R (2d + d·k)
    /// ```
    /// plus the classifier, `R · (M_cat·k + M_num) · C`. Sampling (exp, log, noise) is not counted.
    /// Example: sort's paper configuration on a batch of 512 training sequences is about 1.4 GFLOP.
    public func stepFLOPs(lengths: [Int]) -> Double {
        let c = config, k = Double(c.varWidth), d = Double(c.mlpWidth)
        let rows = Double(lengths.reduce(0, +))
        let pairs = Double(lengths.reduce(0) { $0 + (c.causal ? $1 * ($1 + 1) / 2 : $1 * $1) })
        var macs = 0.0
        for l in 0..<c.layers {
            let mCat = Double(layout.catInput(layer: l)), mNum = Double(layout.numInput(layer: l))
            let mCatMLP = Double(layout.catMLPInput(layer: l)), mNumMLP = Double(layout.numMLPInput(layer: l))
            let hc = Double(c.catHeads), hn = Double(c.numHeads), mc = Double(c.catMLPs), mn = Double(c.numMLPs)
            macs += rows * k * (3 * mCat * hc + 2 * mCat * hn + 2 * mCatMLP * mc) + rows * (mNum * hn + 2 * mNumMLP * mn)
            macs += hc * (rows * k * k + 2 * pairs * k) + hn * (rows * k * k + pairs * k + pairs)
            macs += mc * rows * (2 * k * d + d * k) + mn * rows * (2 * d + d * k)
        }
        macs += rows * (Double(layout.catCount) * k + Double(layout.numCount)) * Double(c.classCount)
        return 2 * 3 * macs
    }
}
