extension NLPDataset {
    /// The 64-bit FNV-1a hash (``FNV1a``), in hex, of every example of every split (the unfiltered test set
    /// included), tokens and labels, as loaded and preprocessed: two loads give the same
    /// fingerprint exactly when they give the same examples.
    ///
    /// A run records it, so that reading the data again for `eval`, `verify`, `ablate` or
    /// `resume` can tell when the files found are not those it was trained on (another folder
    /// reached through a relative `--data-dir`, or edited files) instead of scoring the wrong
    /// data in silence.
    public var fingerprint: String {
        var hash = FNV1a()
        func mix(_ byte: UInt8) { hash.mix(byte) }
        func mix(_ text: String) { for byte in text.utf8 { mix(byte) }; mix(0) }
        for (name, examples) in [("train", train), ("val", val), ("test", test), ("test_unfiltered", testUnfiltered)] {
            mix(name)
            for example in examples {
                for token in example.tokens { mix(token) }
                mix(1)
                for label in example.labels { mix(label) }
                mix(2)
            }
        }
        return hash.hex
    }
}
