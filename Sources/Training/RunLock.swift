import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Marks a run folder as being trained by this process: an exclusive `flock` on the file
/// `.tprog-lock` inside it, which holds the process id. The operating system drops the lock when
/// the process ends, however it ends, so a run whose lock is free and that has no
/// `results.json` was interrupted (and `tprog resume` may continue it); one whose lock is held is
/// still training, and neither `resume` nor `train --force` touches it.
///
/// ```swift
/// let lock = try RunLock(folder: url)    // throws while another process trains the run
/// … train …
/// lock.release(in: url)
/// ```
public final class RunLock: @unchecked Sendable {
    public static let fileName = ".tprog-lock"
    private var descriptor: Int32

    /// Takes the lock of the run folder at `url`; throws, naming the process, when another holds it.
    public init(folder url: URL) throws(RunFolderError) {
        let path = url.appendingPathComponent(Self.fileName).path
        descriptor = open(path, O_RDWR | O_CREAT, 0o644)
        guard descriptor >= 0 else {
            throw RunFolderError("cannot create \(path): \(String(cString: strerror(errno)))")
        }
        guard flock(descriptor, LOCK_EX | LOCK_NB) == 0 else {
            let holder = Self.readProcessID(descriptor)
            close(descriptor)
            throw RunFolderError("\(url.path) is being trained by another tprog process\(holder.map { " (pid \($0))" } ?? "")")
        }
        let id = Array("\(getpid())\n".utf8)
        _ = ftruncate(descriptor, 0)
        _ = id.withUnsafeBytes { pwrite(descriptor, $0.baseAddress, $0.count, 0) }
    }

    /// Removes the lock file from the folder (now) at `url` and lets the lock go.
    public func release(in url: URL) {
        guard descriptor >= 0 else { return }
        unlink(url.appendingPathComponent(Self.fileName).path)
        close(descriptor)
        descriptor = -1
    }

    /// The id of the process that trains the run at `url`, if one does (`-1` when it cannot be read).
    public static func holder(of url: URL) -> Int32? {
        let fd = open(url.appendingPathComponent(fileName).path, O_RDONLY)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        if flock(fd, LOCK_SH | LOCK_NB) == 0 {
            flock(fd, LOCK_UN)
            return nil
        }
        return readProcessID(fd) ?? -1
    }

    private static func readProcessID(_ fd: Int32) -> Int32? {
        var buffer = [UInt8](repeating: 0, count: 32)
        let n = buffer.withUnsafeMutableBytes { pread(fd, $0.baseAddress, $0.count, 0) }
        guard n > 0 else { return nil }
        return Int32(String(decoding: buffer[..<n], as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines))
    }
}
