/// The three parts of a task dataset: the model is fit on `train`, selected on `val` and
/// reported on `test` (SPEC §4: 16,200 / 1,800 / 2,000 for 20,000 examples).
public enum Split: String, CaseIterable, Sendable, Codable {
    case train, val, test
}
