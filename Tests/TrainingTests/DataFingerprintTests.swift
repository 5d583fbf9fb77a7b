import Foundation
import Testing
@testable import Training
import Tasks

/// A run reads its NLP data again for eval, verify, ablate and resume; an audit found that a
/// relative data folder, read from another current folder, silently gave other data.
@Suite("NLP data fingerprint")
struct DataFingerprintTests {
    /// Writes a small TREC data set (`trec/train.txt`, `trec/test.txt`) under `folder`.
    func writeTREC(_ folder: URL, extra: String = "") throws {
        let classes = ["DESC:manner", "HUM:ind", "LOC:city", "NUM:count", "ENTY:animal", "ABBR:exp"]
        let train = (0..<30).map { "\(classes[$0 % 6]) Question number \($0) here ?" }.joined(separator: "\n") + "\n" + extra
        let test = (0..<6).map { "\(classes[$0]) Another question \($0) ?" }.joined(separator: "\n") + "\n"
        let dir = folder.appendingPathComponent("trec")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        try Data(train.utf8).write(to: dir.appendingPathComponent("train.txt"))
        try Data(test.utf8).write(to: dir.appendingPathComponent("test.txt"))
    }

    @Test("the same files give the same fingerprint; other files or options another")
    func fingerprint() throws {
        try inScratchFolder("tprog-fingerprint") { root in
            try writeTREC(root)
            let a = try NLPDataset.load(.trec, dataDirectory: root.path)
            let b = try NLPDataset.load(.trec, dataDirectory: root.path)
            #expect(a.fingerprint == b.fingerprint)
            #expect(a.fingerprint.count == 16)
            var lower = NLPOptions.defaults(for: .trec)
            lower.lowercase = true
            #expect(try NLPDataset.load(.trec, options: lower, dataDirectory: root.path).fingerprint != a.fingerprint)
            try writeTREC(root, extra: "HUM:ind One more question ?\n")
            #expect(try NLPDataset.load(.trec, dataDirectory: root.path).fingerprint != a.fingerprint)
        }
    }

    @Test("a run's data read again must match what it recorded; runs without a record are read as before")
    func recorded() throws {
        try inScratchFolder("tprog-fingerprint") { root in
            try writeTREC(root)
            let options = NLPOptions.defaults(for: .trec)
            let dataset = try NLPDataset.load(.trec, options: options, dataDirectory: root.path)
            let record = RunConfig.NLPData(options: options, dataDirectory: root.path, glove: nil,
                                           dataFingerprint: dataset.fingerprint)
            #expect(try record.load(.trec).fingerprint == dataset.fingerprint)
            try writeTREC(root, extra: "HUM:ind One more question ?\n")
            #expect(throws: RunFolderError.self) { try record.load(.trec) }
            let old = RunConfig.NLPData(options: options, dataDirectory: root.path, glove: nil)
            #expect(try old.load(.trec).train.count + old.load(.trec).val.count == 31)
        }
    }
}
