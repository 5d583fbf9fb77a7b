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
    /// Guards ``release(in:)``, which a signal handler's thread may call too.
    private let releasing = NSLock()

    /// Takes the lock of the run folder at `url`; throws, naming the process, when another holds it
    /// (``busy(_:holder:)``, with `advice` after it). A refusal is retried for a moment first,
    /// since ``holder(of:)`` (e.g. `tprog report`) holds a free lock for an instant while it looks.
    public init(folder url: URL, advice: String = "") throws(RunFolderError) {
        let path = url.appendingPathComponent(Self.fileName).path
        var attempts = 0
        while true {
            // Not through a symbolic link, and only a regular file: the pid is written into it.
            descriptor = open(path, O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0o644)
            guard descriptor >= 0 else {
                throw RunFolderError("cannot use \(path): \(String(cString: strerror(errno)))")
            }
            var status = stat()
            guard fstat(descriptor, &status) == 0, (status.st_mode & S_IFMT) == S_IFREG else {
                close(descriptor)
                throw RunFolderError("cannot use \(path): it is not a regular file")
            }
            if flock(descriptor, LOCK_EX | LOCK_NB) == 0 {
                // The holder before us may have removed the file between our open and our lock:
                // then this lock is on a file no longer in the folder; open it again.
                if Self.isFile(descriptor, at: path) { break }
                close(descriptor)
                attempts += 1
                if attempts == 10 { throw RunFolderError("cannot lock \(path): it keeps being removed") }
            } else {
                let reason = errno
                guard reason == EWOULDBLOCK || reason == EINTR else {
                    close(descriptor)
                    throw RunFolderError("cannot lock \(path): \(String(cString: strerror(reason)))")
                }
                attempts += 1
                if attempts == 10 {
                    let holder = Self.readProcessID(descriptor) ?? -1
                    close(descriptor)
                    throw Self.busy(url, holder: holder, advice: advice)
                }
                close(descriptor)
            }
            usleep(20_000)
        }
        let id = Array("\(getpid())\n".utf8)
        _ = ftruncate(descriptor, 0)
        _ = id.withUnsafeBytes { pwrite(descriptor, $0.baseAddress, $0.count, 0) }
    }

    /// Lets the lock go; removes the lock file from the folder (now) at `url` if it is still this
    /// lock's file (never another process's).
    public func release(in url: URL) {
        releasing.lock()
        defer { releasing.unlock() }
        guard descriptor >= 0 else { return }
        let path = url.appendingPathComponent(Self.fileName).path
        if Self.isFile(descriptor, at: path) { unlink(path) }
        close(descriptor)
        descriptor = -1
    }

    deinit {
        if descriptor >= 0 { close(descriptor) }
    }

    /// The id of the process that trains the run at `url`, if one does (`-1` when it cannot be read).
    public static func holder(of url: URL) -> Int32? {
        let fd = open(url.appendingPathComponent(fileName).path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        if flock(fd, LOCK_SH | LOCK_NB) == 0 {
            flock(fd, LOCK_UN)
            return nil
        }
        return readProcessID(fd) ?? -1
    }

    /// The refusal of a run another process trains (`holder`: its id, `-1` when unknown).
    public static func busy(_ url: URL, holder: Int32, advice: String = "") -> RunFolderError {
        RunFolderError("\(url.path) is being trained by another tprog process\(holder > 0 ? " (pid \(holder))" : "")\(advice)")
    }

    /// Whether the open file `fd` is the one at `path` (not removed, not replaced since).
    private static func isFile(_ fd: Int32, at path: String) -> Bool {
        var mine = stat(), there = stat()
        return fstat(fd, &mine) == 0 && mine.st_nlink > 0 && lstat(path, &there) == 0
            && mine.st_dev == there.st_dev && mine.st_ino == there.st_ino
    }

    private static func readProcessID(_ fd: Int32) -> Int32? {
        var buffer = [UInt8](repeating: 0, count: 32)
        let n = buffer.withUnsafeMutableBytes { pread(fd, $0.baseAddress, $0.count, 0) }
        guard n > 0 else { return nil }
        return Int32(String(decoding: buffer[..<n], as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines))
    }
}
