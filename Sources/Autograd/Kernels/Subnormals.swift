import FloatEnvironment

/// Subnormal floats (|x| < 2⁻¹²⁶ ≈ 1.2e−38) as the kernels meet them.
///
/// As τ falls, soft samples hold ever smaller probabilities, and products of them fall below the
/// normal range; arithmetic on subnormals takes a slow path on most CPUs (a trained sort model's
/// epoch at τ = 0.3 took 1.16 s here, 0.90 s with subnormals flushed). ``flushingToZero(_:_:)``
/// runs work with the thread set to treat subnormal inputs and results as 0 (x86-64: MXCSR's FTZ
/// and DAZ; arm64: FPCR's FZ), and ``Parallel`` carries the caller's setting into its workers for
/// each item. Values that would have been subnormal become 0, so results differ (slightly) from a
/// run that keeps them.
///
/// ```swift
/// Subnormals.flushingToZero(true) { Float(1e-38) * 0.5 }   // 0
/// Subnormals.flushingToZero(false) { Float(1e-38) * 0.5 }  // 5e-39
/// ```
public enum Subnormals {
    /// Whether this platform can flush subnormals at all.
    public static var canFlush: Bool { tprog_fp_flush_bits() != 0 }

    /// Runs `body` with the calling thread flushing subnormals to zero (`flush`) or keeping them,
    /// then restores the thread's previous setting.
    public static func flushingToZero<R, E: Error>(_ flush: Bool, _ body: () throws(E) -> R) throws(E) -> R {
        let current = control, bits = UInt64(tprog_fp_flush_bits())
        return try withControl(flush ? current | bits : current & ~bits, body)
    }

    /// The calling thread's control word, to hand to workers.
    static var control: UInt64 { UInt64(tprog_fp_control()) }

    /// Runs `body` under control word `word`, then restores the thread's own.
    @inline(__always)
    static func withControl<R, E: Error>(_ word: UInt64, _ body: () throws(E) -> R) throws(E) -> R {
        let saved = control
        if saved == word { return try body() }
        tprog_fp_set_control(word)
        defer { tprog_fp_set_control(saved) }
        return try body()
    }
}
