import Foundation

/// How the bytes of a text file become characters.
///
/// The real data sets mix both: WNUT-17 and SST-2 are UTF-8, while TREC, MR and Subj are Latin-1
/// (TREC's training file holds one byte above 0x7F, which is not valid UTF-8):
///
/// ```swift
/// try LabeledSentence.readTREC("trec/train.txt")                         // always Latin-1
/// try LabeledSentence.readLines("mr/positive.txt", label: "positive",
///                               encoding: .latin1)
/// ```
public enum TextEncoding: String, Sendable, Codable, CaseIterable {
    /// UTF-8; an invalid byte sequence is an error naming the file and line. A leading byte-order
    /// mark is dropped.
    case utf8
    /// ISO 8859-1: every byte is the code point of the same value, so any file decodes.
    case latin1
}

/// A text file as lines of bytes, read once; the loaders decode and split the lines they need.
///
/// Lines end at `\n`; a trailing `\r` (Windows line ends) is dropped. Fields are separated by
/// runs of ASCII white space (space, tab, CR, vertical tab, form feed) only, so a token that is
/// itself a Unicode space (SST-2 holds `2\u{A0}1\/2`) stays one token. Splitting the bytes at
/// ASCII bytes is safe in both encodings: in UTF-8 no byte of a multi-byte character is ASCII.
struct TextFile {
    /// The path as the user gave it, for messages.
    let path: String
    /// The bytes of the whole file.
    private let bytes: [UInt8]
    /// The byte range of each line, without its line end.
    let lines: [Range<Int>]

    /// Reads `path`, throwing a ``TaskError`` naming it when it is missing, a folder or unreadable.
    init(_ path: String) throws {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw TaskError("\(path): no such file")
        }
        guard !isDirectory.boolValue else { throw TaskError("\(path): is a folder, not a file") }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw TaskError("\(path): cannot be read")
        }
        self.path = path
        bytes = [UInt8](data)
        var lines: [Range<Int>] = []
        bytes.withUnsafeBufferPointer { buffer in
            var start = 0
            for i in 0..<buffer.count where buffer[i] == 0x0A {
                lines.append(start..<(i > start && buffer[i - 1] == 0x0D ? i - 1 : i))
                start = i + 1
            }
            if start < buffer.count {
                let end = buffer[buffer.count - 1] == 0x0D ? buffer.count - 1 : buffer.count
                lines.append(start..<end)
            }
        }
        // A UTF-8 byte-order mark is never part of the text.
        if let first = lines.first, bytes[first].starts(with: [0xEF, 0xBB, 0xBF]) {
            lines[0] = (first.lowerBound + 3)..<first.upperBound
        }
        self.lines = lines
    }

    /// A message about line `index` (0-based), as `path:line: message`.
    func error(line index: Int, _ message: String) -> TaskError {
        TaskError("\(path):\(index + 1): \(message)")
    }

    /// `text` to quote in a message: whole up to 40 characters, else its first 40 and "…" (a
    /// malformed file's field can be a whole line of any length).
    static func excerpt<S: StringProtocol>(_ text: S) -> String {
        text.count <= 40 ? String(text) : String(text.prefix(40)) + "…"
    }

    /// Line `index` (0-based) decoded, without its line end.
    func text(line index: Int, encoding: TextEncoding) throws -> String {
        let range = lines[index]
        try validate(range, line: index, encoding: encoding)
        return decode(range, encoding)
    }

    /// The white-space separated fields of line `index` (0-based); empty for a blank line.
    func fields(line index: Int, encoding: TextEncoding) throws -> [String] {
        let range = lines[index]
        try validate(range, line: index, encoding: encoding)
        var fields: [String] = []
        bytes.withUnsafeBufferPointer { buffer in
            var start = range.lowerBound
            for i in range {
                if Self.isSpace(buffer[i]) {
                    if i > start { fields.append(decode(start..<i, encoding)) }
                    start = i + 1
                }
            }
            if range.upperBound > start { fields.append(decode(start..<range.upperBound, encoding)) }
        }
        return fields
    }

    /// Whether `byte` separates fields: ASCII space, tab, line feed, vertical tab, form feed, CR.
    static func isSpace(_ byte: UInt8) -> Bool {
        byte == 0x20 || (0x09...0x0D).contains(byte)
    }

    private func validate(_ range: Range<Int>, line: Int, encoding: TextEncoding) throws {
        guard encoding == .utf8, bytes[range].contains(where: { $0 >= 0x80 }) else { return }
        var iterator = bytes[range].makeIterator()
        var decoder = UTF8()
        var column = 1
        while true {
            switch decoder.decode(&iterator) {
            case .scalarValue: column += 1
            case .emptyInput: return
            case .error:
                throw error(line: line, "invalid UTF-8 at character \(column) (is the file Latin-1?)")
            }
        }
    }

    private func decode(_ range: Range<Int>, _ encoding: TextEncoding) -> String {
        switch encoding {
        case .utf8:
            return String(decoding: bytes[range], as: UTF8.self)
        case .latin1:
            var scalars = String.UnicodeScalarView()
            scalars.append(contentsOf: bytes[range].lazy.map { Unicode.Scalar($0) })
            return String(scalars)
        }
    }
}
