import Foundation

/// Runs `body` on a fresh folder under the temporary directory (`<prefix>-<UUID>`), removed
/// afterwards whatever `body` does.
func inScratchFolder(_ prefix: String = "tprog-test", _ body: (URL) throws -> Void) throws {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("\(prefix)-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: dir) }
    try body(dir)
}
