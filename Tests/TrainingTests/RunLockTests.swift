import Foundation
import Testing
@testable import Training

/// A run folder being trained is locked: a second `train --force` or `resume` on it is refused,
/// naming the process, and the lock goes with the process (``RunLock``).
@Suite("Run folder lock")
struct RunLockTests {
    @Test("a held lock refuses a second holder and a --force replacement; released, it is gone")
    func lockLifecycle() throws {
        try inScratchFolder("tprog-lock") { dir in try lockLifecycle(in: dir) }
    }

    private func lockLifecycle(in dir: URL) throws {
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
        // Free again: a --force replacement may stage beside it, and holds the replaced run's
        // lock until the new run replaces it or is dropped.
        try folder.create(force: true)
        #expect(folder.isReplacing)
        #expect(RunLock.holder(of: dir) == getpid())
        #expect(throws: RunFolderError.self) { _ = try RunLock(folder: dir) }
        folder.discard()
        #expect(RunLock.holder(of: dir) == nil)
    }

    @Test("a --force replacement releases the replaced run's lock when it takes its place")
    func commitReleases() throws {
        try inScratchFolder("tprog-lock") { parent in
            let dir = parent.appendingPathComponent("run")
            try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: false)
            try Data("{}".utf8).write(to: dir.appendingPathComponent("config.json"))
            var folder = RunFolder(dir.path)
            try folder.create(force: true)
            #expect(RunLock.holder(of: dir) == getpid())
            let lock = try folder.lock()   // the staging folder's, as train takes it
            try folder.write("results.json", data: Data("{}".utf8))
            try folder.commit()
            // The new run is in place and still held (its own lock moved in with it) …
            #expect(RunLock.holder(of: dir) == getpid())
            lock.release(in: dir)
            // … and once released, nothing holds it, and no lock file is left.
            #expect(RunLock.holder(of: dir) == nil)
            #expect(!FileManager.default.fileExists(atPath: dir.appendingPathComponent(RunLock.fileName).path))
            #expect(FileManager.default.fileExists(atPath: dir.appendingPathComponent("results.json").path))
        }
    }

    @Test("releasing removes only this lock's own file, never one that replaced it")
    func releaseKeepsOthersFile() throws {
        try inScratchFolder("tprog-lock") { dir in
            let lock = try RunLock(folder: dir)
            let path = dir.appendingPathComponent(RunLock.fileName)
            try FileManager.default.removeItem(at: path)
            try Data("4242\n".utf8).write(to: path)   // another process's lock file now
            lock.release(in: dir)
            #expect(try Data(contentsOf: path) == Data("4242\n".utf8))
        }
    }

    @Test("a lock file that is a symbolic link is refused, and what it points to left alone")
    func symbolicLink() throws {
        try inScratchFolder("tprog-lock") { dir in
            let victim = dir.appendingPathComponent("victim.txt")
            try Data("keep me".utf8).write(to: victim)
            try FileManager.default.createSymbolicLink(at: dir.appendingPathComponent(RunLock.fileName), withDestinationURL: victim)
            #expect(throws: RunFolderError.self) { _ = try RunLock(folder: dir) }
            #expect(try Data(contentsOf: victim) == Data("keep me".utf8))
        }
    }
}
