import Foundation
import Testing
@testable import Training

/// A run folder being trained is locked: a second `train --force` or `resume` on it is refused,
/// naming the process, and the lock goes with the process (``RunLock``).
@Suite("Run folder lock")
struct RunLockTests {
    @Test("a held lock refuses a second holder and a --force replacement; released, it is gone")
    func lockLifecycle() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("tprog-lock-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        try Data("{}".utf8).write(to: dir.appendingPathComponent("config.json"))
        #expect(RunLock.holder(of: dir) == nil)

        let lock = try RunLock(folder: dir)
        #expect(RunLock.holder(of: dir) == getpid())
        #expect(throws: RunFolderError("\(dir.path) is being trained by another tprog process (pid \(getpid()))")) {
            _ = try RunLock(folder: dir)
        }
        var folder = RunFolder(dir.path)
        #expect(throws: RunFolderError("\(dir.path) is being trained by another tprog process (pid \(getpid())); wait for it, or use --out to pick another folder")) {
            try folder.create(force: true)
        }

        lock.release(in: dir)
        #expect(RunLock.holder(of: dir) == nil)
        #expect(!FileManager.default.fileExists(atPath: dir.appendingPathComponent(RunLock.fileName).path))
        // Free again: a --force replacement may stage beside it.
        try folder.create(force: true)
        #expect(folder.isReplacing)
        folder.discard()
    }
}
