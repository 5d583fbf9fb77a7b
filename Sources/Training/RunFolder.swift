import Foundation

/// A run's output folder (default `runs/<task>-<seed>`):
///
/// | file | content |
/// |---|---|
/// | `config.json` | every option, the seed, the package version |
/// | `metrics.jsonl` | one ``EpochMetrics`` line per epoch |
/// | `model.json` | the ``Checkpoint`` |
/// | `results.json` | the discrete model's accuracy on every split |
///
/// Every file is written atomically (a temporary file in the folder, then a rename), so an
/// interrupted run never leaves a half-written file. Replacing an existing run (`--force`) writes
/// the new one into a staging folder beside it (`.<name>.tmp-<pid>`) and swaps the two only at
/// ``commit()``: a run that fails or is interrupted (``interrupted()``) leaves the earlier run
/// whole, never half old, half new. A symbolic link to a run is followed: the run it points to is
/// replaced, not the link.
public struct RunFolder: Sendable {
    /// The folder (symbolic links resolved).
    public let url: URL
    /// The path as the user gave it.
    public let path: String
    /// Where ``write(_:data:)`` puts files: the folder itself, or the staging folder while an
    /// existing run is being replaced.
    public private(set) var writeURL: URL
    /// Whether a staged run has been swapped in yet, shared by ``commit()`` and ``interrupted()``
    /// (which may run on another thread, from a signal handler).
    private let swap = SwapState()
    /// While replacing a run: the replaced run's lock, held until it is replaced (``commit()``) or
    /// the new run dropped (``discard()``), so no other process trains it meanwhile.
    private var replacedLock: RunLock?

    public init(_ path: String) {
        self.path = path
        url = URL(fileURLWithPath: path, isDirectory: true).resolvingSymlinksInPath()
        writeURL = url
    }

    /// Whether this run replaces an existing one (its files go to a staging folder until ``commit()``).
    public var isReplacing: Bool { writeURL != url }

    /// Where the replaced run waits between the two renames of ``commit()``.
    private var oldURL: URL { url.deletingLastPathComponent().appendingPathComponent(".\(url.lastPathComponent).old-\(getpid())") }

    /// Creates the folder; refuses to touch an existing non-empty one unless `force` is set, and
    /// then stages the new run beside it (see the type's documentation). `force` replaces only a
    /// run folder (one with a `config.json`) that does not hold the current folder.
    public mutating func create(force: Bool) throws(RunFolderError) {
        let fm = FileManager.default
        guard !path.isEmpty else { throw RunFolderError("the run folder path is empty") }
        var isDir: ObjCBool = false
        var target = url
        if fm.fileExists(atPath: url.path, isDirectory: &isDir) {
            guard isDir.boolValue else { throw RunFolderError("\(url.path) exists and is not a folder") }
            let contents = (try? fm.contentsOfDirectory(atPath: url.path)) ?? []
            if !contents.isEmpty {
                guard force else {
                    if let holder = RunLock.holder(of: url) { throw RunLock.busy(url, holder: holder, advice: Self.busyAdvice) }
                    if contents.contains(TrainingState.fileName) && !contents.contains("results.json") {
                        throw RunFolderError("run folder \(url.path) holds an unfinished run: 'tprog resume \(path)' continues it (or use --force to start it again, or --out to pick another folder)")
                    }
                    throw RunFolderError("run folder \(url.path) already exists (use --force to overwrite it, or --out to pick another)")
                }
                // --force replaces a run, nothing else: not a folder of other files, not one
                // holding the current folder.
                guard contents.contains("config.json") else {
                    throw RunFolderError("\(url.path) is not a tprog run folder (it has no config.json); --force only replaces runs")
                }
                // Files the user put there would go with the old run: refuse rather than lose them.
                // Hidden files (.DS_Store, editor swap files) are not counted: the system and
                // editors leave them in any folder looked at.
                let others = contents.filter { !Self.ownFiles.contains($0) && !$0.hasPrefix(".") }.sorted()
                if !others.isEmpty {
                    let named = others.prefix(3).joined(separator: ", ") + (others.count > 3 ? ", …" : "")
                    throw RunFolderError("\(url.path) holds files tprog did not write (\(named)); --force would delete them: move them out, or use --out to pick another folder")
                }
                let here = URL(fileURLWithPath: fm.currentDirectoryPath).resolvingSymlinksInPath().path + "/"
                if here.hasPrefix(url.path + "/") {
                    throw RunFolderError("\(url.path) holds the current folder; --force will not replace it")
                }
                replacedLock = try RunLock(folder: url, advice: Self.busyAdvice)
                target = url.deletingLastPathComponent().appendingPathComponent(".\(url.lastPathComponent).tmp-\(getpid())")
                try? fm.removeItem(at: target)
            }
        }
        // Past this point a failure leaves the replaced run as it was, unlocked.
        do throws(RunFolderError) { try makeFolder(target) } catch {
            replacedLock?.release(in: url)
            replacedLock = nil
            throw error
        }
        writeURL = target
    }

    /// The files `tprog` writes in a run folder; `--force` replaces a folder holding only these
    /// and hidden files (temporary files of an interrupted write, `.DS_Store`, …).
    public static let ownFiles: Set<String> = ["config.json", "metrics.jsonl", "model.json", "results.json",
                                               "program.json", "program.py", TrainingState.fileName, RunLock.fileName]

    /// What to do about a run folder another process is training.
    private static let busyAdvice = "; wait for it, or use --out to pick another folder"

    /// Creates `target` (the run folder, or its staging folder), keeping the replaced run's mode.
    private func makeFolder(_ target: URL) throws(RunFolderError) {
        let fm = FileManager.default
        var isDir: ObjCBool = false
        // A file on the way is the likely reason a folder cannot be made; say which.
        var ancestor = target.deletingLastPathComponent()
        while ancestor.path != "/" && !fm.fileExists(atPath: ancestor.path) { ancestor = ancestor.deletingLastPathComponent() }
        if fm.fileExists(atPath: ancestor.path, isDirectory: &isDir), !isDir.boolValue {
            throw RunFolderError("cannot create the run folder \(url.path): \(ancestor.path) is a file, not a folder")
        }
        do { try fm.createDirectory(at: target, withIntermediateDirectories: true) } catch {
            throw RunFolderError("cannot create the run folder \(target.path): \(FileErrors.reason(error))")
        }
        if target != url, let old = try? fm.attributesOfItem(atPath: url.path) {
            // The replacement keeps the folder's mode and, where the user may set it, its group.
            let kept = old.filter { $0.key == .posixPermissions || $0.key == .groupOwnerAccountID }
            for (key, value) in kept { try? fm.setAttributes([key: value], ofItemAtPath: target.path) }
        }
    }

    /// Marks the folder being written (the staging folder while replacing a run; it moves in with
    /// it) as trained by this process until ``RunLock/release(in:)`` or the process's end.
    public func lock() throws(RunFolderError) -> RunLock { try RunLock(folder: writeURL) }

    /// Puts a staged run in place of the one it replaces (nothing to do otherwise): the old folder
    /// is renamed aside, the new one renamed in, then the old one removed. Throws, leaving the old
    /// run in place, when a rename fails or the process was interrupted first.
    public func commit() throws(RunFolderError) {
        guard isReplacing else { return }
        let old = oldURL
        try swap.run { () throws(RunFolderError) in
            guard rename(url.path, old.path) == 0 else {
                throw RunFolderError("cannot replace \(url.path): \(String(cString: strerror(errno))) (the new run is in \(writeURL.path))")
            }
            guard rename(writeURL.path, url.path) == 0 else {
                let reason = String(cString: strerror(errno))
                let restored = rename(old.path, url.path) == 0
                throw RunFolderError("cannot replace \(url.path): \(reason) (the new run is in \(writeURL.path)\(restored ? "" : ", the old one in \(old.path)"))")
            }
        }
        try? FileManager.default.removeItem(at: old)
        replacedLock?.release(in: old)
    }

    /// What an interruption leaves: before ``commit()`` the staged run is removed and the old one
    /// kept (returns false); once the new run is in place, the rest of the old one is removed
    /// (returns true). Waits for a swap under way to finish. Nothing to do for a run that
    /// replaces nothing (returns false).
    public func interrupted() -> Bool {
        guard isReplacing else { return false }
        if swap.stop() {
            try? FileManager.default.removeItem(at: oldURL)
            return true
        }
        discard()
        return false
    }

    /// Runs `body`, which writes the run's files, then puts the run in place (``commit()``); when
    /// `body` throws, the staged run is dropped (``discard()``) and the error passed on.
    public func completing<T>(_ body: () throws -> T) throws -> T {
        let result: T
        do { result = try body() } catch {
            discard()
            throw error
        }
        try commit()
        return result
    }

    /// Removes a staged run (after a failure); the run it would have replaced stays as it was.
    public func discard() {
        guard isReplacing else { return }
        try? FileManager.default.removeItem(at: writeURL)
        replacedLock?.release(in: url)
    }

    /// The path of `name` inside the folder (inside the staging folder while replacing a run).
    public func file(_ name: String) -> URL { writeURL.appendingPathComponent(name) }

    /// Writes `data` to `name` atomically.
    public func write(_ name: String, data: Data) throws(RunFolderError) {
        try AtomicFile.write(data, to: file(name))
    }

    /// Writes `value` as pretty, key-sorted JSON.
    public func writeJSON<T: Encodable>(_ name: String, _ value: T) throws {
        try write(name, data: JSONCoding.pretty(value))
    }

    /// Whether the folder holds a standard-Transformer run (`config.json` says `"standard": true`).
    public var isStandardRun: Bool {
        struct Kind: Decodable { var standard: Bool? }
        return (try? readJSON(Kind.self, "config.json"))?.standard == true
    }

    /// Reads `name` as `T`.
    public func readJSON<T: Decodable>(_ type: T.Type, _ name: String) throws -> T {
        try JSONCoding.read(type, at: file(name).path, as: name)
    }
}

/// Whether a staged run folder has been swapped in: ``RunFolder/commit()`` swaps under the lock
/// unless ``stop()`` came first, and ``stop()`` waits for a swap under way.
private final class SwapState: @unchecked Sendable {
    private let lock = NSLock()
    private var swapped = false, stopped = false

    /// Runs `swap` and records it done, unless the process was interrupted before.
    func run(_ swap: () throws(RunFolderError) -> Void) throws(RunFolderError) {
        lock.lock()
        defer { lock.unlock() }
        guard !stopped else { throw RunFolderError("interrupted before the new run was put in place") }
        try swap()
        swapped = true
    }

    /// Forbids any later swap; returns whether one happened.
    func stop() -> Bool {
        lock.lock()
        defer { lock.unlock() }
        stopped = true
        return swapped
    }
}

/// A run folder that cannot be used.
public struct RunFolderError: Error, CustomStringConvertible, Sendable, Equatable {
    public let description: String
    public init(_ description: String) { self.description = description }
}

/// Writes files atomically: a temporary file beside the target, then a rename.
public enum AtomicFile {
    /// Writes `data` to `url`. With `replace` false, an existing file is an error (nothing a user
    /// wrote is lost without being asked); anything that exists and is not a regular file (a
    /// folder, a device, a pipe, a symbolic link to nothing) always is, since the rename would
    /// replace it rather than write into it. A symbolic link to a file is followed: the file it
    /// points to is replaced.
    public static func write(_ data: Data, to url: URL, replace: Bool = true) throws(RunFolderError) {
        // "out.py/" names a folder: writing the file "out.py" instead would surprise.
        if url.hasDirectoryPath { throw RunFolderError("cannot write \(url.path): the path names a folder; give a file") }
        let target = url.resolvingSymlinksInPath()
        var status = stat()
        if lstat(target.path, &status) == 0 {
            guard (status.st_mode & S_IFMT) == S_IFREG else {
                throw RunFolderError("cannot write \(url.path): it exists and is not a regular file")
            }
            guard replace else {
                throw RunFolderError("\(url.path) already exists (use --force to overwrite it)")
            }
        }
        let dir = target.deletingLastPathComponent()
        let tmp = dir.appendingPathComponent(".\(target.lastPathComponent).tmp-\(getpid())")
        do { try data.write(to: tmp) } catch {
            // A full disk leaves part of the file written: remove it, the target is untouched.
            try? FileManager.default.removeItem(at: tmp)
            throw RunFolderError("cannot write \(url.path): \(FileErrors.reason(error))")
        }
        // rename(2) replaces the target atomically.
        if rename(tmp.path, target.path) != 0 {
            let reason = String(cString: strerror(errno))
            try? FileManager.default.removeItem(at: tmp)
            throw RunFolderError("cannot write \(url.path): \(reason)")
        }
    }
}

/// Foundation's file errors in a few words.
public enum FileErrors {
    /// Why the file at `path` could not be read: it does not exist, it is a folder, or it cannot be read.
    public static func unreadable(_ path: String) -> String {
        if path.isEmpty { return "the file path is empty" }
        var isDir: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDir) else { return "cannot read \(path): no such file" }
        return isDir.boolValue ? "cannot read \(path): it is a folder, not a file" : "cannot read \(path): permission denied"
    }

    /// The reason of a failed file operation, without Foundation's dump of user-info keys:
    /// the POSIX error's text when there is one ("Permission denied", "Not a directory", …).
    public static func reason(_ error: any Error) -> String {
        let ns = error as NSError
        if let underlying = ns.userInfo[NSUnderlyingErrorKey] as? NSError, underlying.domain == NSPOSIXErrorDomain {
            return String(cString: strerror(Int32(underlying.code)))
        }
        if ns.domain == NSPOSIXErrorDomain { return String(cString: strerror(Int32(ns.code))) }
        switch ns.code {
        case NSFileNoSuchFileError, NSFileReadNoSuchFileError: return "no such file or folder"
        case NSFileWriteNoPermissionError, NSFileReadNoPermissionError: return "permission denied"
        case NSFileWriteOutOfSpaceError: return "no space left on the device"
        case NSFileWriteVolumeReadOnlyError: return "read-only file system"
        default: return "\(ns.domain) error \(ns.code)"
        }
    }
}

/// JSON conventions shared by every file we write.
public enum JSONCoding {
    /// Pretty-printed, sorted keys, no escaped slashes, trailing newline.
    public static func pretty<T: Encodable>(_ value: T) throws -> Data {
        let e = JSONEncoder()
        e.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        var d = try e.encode(value)
        d.append(0x0A)
        return d
    }

    /// Compact (no indentation), sorted keys, trailing newline: for large files such as
    /// `model.json`.
    public static func compact<T: Encodable>(_ value: T) throws -> Data {
        let e = JSONEncoder()
        e.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        var d = try e.encode(value)
        d.append(0x0A)
        return d
    }

    /// One line, sorted keys.
    public static func line<T: Encodable>(_ value: T) throws -> String {
        let e = JSONEncoder()
        e.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try e.encode(value), as: UTF8.self)
    }

    /// Reads the file at `path` as `T`; the error names the file, and what it should have been
    /// (`what`), in one line.
    public static func read<T: Decodable>(_ type: T.Type, at path: String, as what: String) throws(RunFolderError) -> T {
        guard let data = FileManager.default.contents(atPath: path) else { throw RunFolderError(FileErrors.unreadable(path)) }
        do { return try JSONDecoder().decode(T.self, from: data) } catch {
            throw RunFolderError("\(path) is not a valid \(what): \(describe(error, in: data))")
        }
    }

    /// A decoding error in one sentence. Given the `data` that failed, a number the decoder could
    /// not store (`1e400`, an integer past 2⁶³, `1.5` for a count), which the decoder reports only as
    /// "not valid JSON", is named as such.
    public static func describe(_ error: Error, in data: Data? = nil) -> String {
        func at(_ path: [any CodingKey]) -> String {
            path.isEmpty ? "the top level" : path.map(\.stringValue).joined(separator: ".")
        }
        switch error {
        case DecodingError.dataCorrupted(let c) where !c.codingPath.isEmpty:
            return "invalid value at \(at(c.codingPath)): \(c.debugDescription)"
        case DecodingError.dataCorrupted(let c): return data.flatMap(numberProblem) ?? c.debugDescription
        case DecodingError.keyNotFound(let k, _): return "missing key \"\(k.stringValue)\""
        case DecodingError.typeMismatch(_, let c): return "wrong type at \(at(c.codingPath)): \(c.debugDescription)"
        case DecodingError.valueNotFound(_, let c): return "missing value at \(at(c.codingPath))"
        default: return "\(error)"
        }
    }

    /// Why JSON text that failed to decode may still be JSON: a number out of range for a
    /// double, or (when it parses) one out of range for its field. `nil` when it is not JSON.
    private static func numberProblem(_ data: Data) -> String? {
        do {
            _ = try JSONSerialization.jsonObject(with: data, options: .fragmentsAllowed)
        } catch {
            // "Number 1e400 is not representable in Swift."
            guard let detail = (error as NSError).userInfo[NSDebugDescriptionErrorKey] as? String,
                  detail.hasPrefix("Number ") else { return nil }
            let sentence = detail.hasSuffix(".") ? String(detail.dropLast()) : detail
            return "n" + sentence.dropFirst().replacingOccurrences(of: "is not representable in Swift", with: "is out of range")
        }
        return "a number does not fit its field (too large, or a fraction where a whole number belongs)"
    }
}
