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
/// interrupted run never leaves a half-written file.
public struct RunFolder: Sendable {
    public let url: URL
    /// The path as the user gave it.
    public let path: String

    public init(_ path: String) {
        self.path = path
        url = URL(fileURLWithPath: path, isDirectory: true)
    }

    /// Creates the folder; refuses to touch an existing non-empty one unless `force` is set.
    public func create(force: Bool) throws {
        let fm = FileManager.default
        var isDir: ObjCBool = false
        if fm.fileExists(atPath: url.path, isDirectory: &isDir) {
            guard isDir.boolValue else { throw RunFolderError("\(url.path) exists and is not a folder") }
            let contents = (try? fm.contentsOfDirectory(atPath: url.path)) ?? []
            if !contents.isEmpty && !force {
                throw RunFolderError("run folder \(url.path) already exists (use --force to overwrite it, or --out to pick another)")
            }
        }
        try fm.createDirectory(at: url, withIntermediateDirectories: true)
    }

    /// The path of `name` inside the folder.
    public func file(_ name: String) -> URL { url.appendingPathComponent(name) }

    /// Writes `data` to `name` atomically.
    public func write(_ name: String, data: Data) throws {
        try AtomicFile.write(data, to: file(name))
    }

    /// Writes `value` as pretty, key-sorted JSON.
    public func writeJSON<T: Encodable>(_ name: String, _ value: T) throws {
        try write(name, data: JSONCoding.pretty(value))
    }

    /// Reads `name` as `T`.
    public func readJSON<T: Decodable>(_ type: T.Type, _ name: String) throws -> T {
        try JSONCoding.read(type, at: file(name).path, as: name)
    }
}

/// A run folder that cannot be used.
public struct RunFolderError: Error, CustomStringConvertible, Sendable {
    public let description: String
    public init(_ description: String) { self.description = description }
}

/// Writes files atomically: a temporary file beside the target, then a rename.
public enum AtomicFile {
    public static func write(_ data: Data, to url: URL) throws {
        let dir = url.deletingLastPathComponent()
        let tmp = dir.appendingPathComponent(".\(url.lastPathComponent).tmp-\(getpid())")
        try data.write(to: tmp)
        // rename(2) replaces the target atomically.
        if rename(tmp.path, url.path) != 0 {
            let reason = String(cString: strerror(errno))
            try? FileManager.default.removeItem(at: tmp)
            throw RunFolderError("cannot write \(url.path): \(reason)")
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
        guard let data = FileManager.default.contents(atPath: path) else {
            throw RunFolderError("cannot read \(path): no such file")
        }
        do { return try JSONDecoder().decode(T.self, from: data) } catch {
            throw RunFolderError("\(path) is not a valid \(what): \(describe(error))")
        }
    }

    /// A decoding error in one sentence.
    public static func describe(_ error: Error) -> String {
        switch error {
        case DecodingError.dataCorrupted(let c): return c.debugDescription
        case DecodingError.keyNotFound(let k, _): return "missing key \"\(k.stringValue)\""
        case DecodingError.typeMismatch(_, let c): return "wrong type at \(c.codingPath.map(\.stringValue).joined(separator: ".")): \(c.debugDescription)"
        case DecodingError.valueNotFound(_, let c): return "missing value at \(c.codingPath.map(\.stringValue).joined(separator: "."))"
        default: return "\(error)"
        }
    }
}
