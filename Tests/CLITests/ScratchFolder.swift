import Foundation

/// A fresh folder under the temporary directory (`<prefix>-<UUID>`) for one test; pair it with
/// `defer { removeScratchFolder(root) }`.
func makeScratchFolder(_ prefix: String) throws -> URL {
    let root = FileManager.default.temporaryDirectory.appendingPathComponent("\(prefix)-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
    return root
}

/// Removes a folder made by ``makeScratchFolder(_:)``, whatever it holds.
func removeScratchFolder(_ root: URL) { try? FileManager.default.removeItem(at: root) }
