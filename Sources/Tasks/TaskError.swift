/// An invalid task request: an unknown task name, options the task cannot satisfy, or an
/// example that does not fit an encoding. The ``description`` is one human-readable line.
///
/// ```swift
/// var options = TaskOptions.defaults(for: .sort)
/// options.minLength = 9
/// do { _ = try TaskDataset.generate(.sort, options: options) }
/// catch { print(error) }   // sort: minLength (9) is greater than maxLength (8)
/// ```
public struct TaskError: Error, CustomStringConvertible, Sendable, Equatable {
    /// The message, one line.
    public let description: String

    /// Creates an error with a one-line message.
    public init(_ description: String) {
        self.description = description
    }
}
