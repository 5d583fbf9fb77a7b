import Foundation
import Tasks

/// Where a Transformer Program's training stands after a whole epoch: the parameters, Adam's
/// moments and step count, and the epochs and seconds done. Everything else a step depends on
/// (the shuffled order, the Gumbel noise, τ) is a function of the seed, the epoch and the step,
/// so a run continued from this state (`tprog resume`) computes exactly what the uninterrupted
/// run would have.
///
/// `tprog train` saves it in the run folder as `training-state.bin` while it trains (see
/// ``TrainingState/fileName``) and removes it once the run is complete. The file is one line of
/// JSON, the header, then the tensors as little-endian Float32: every parameter's values in the
/// header's order, then every parameter's first moments, then every parameter's second moments.
///
/// The header's `checksum` covers the tensor bytes, so a damaged file is refused.
///
/// ```
/// {"adam_steps":2760,"checksum":"5f0c…","elapsed":104.2,"epochs_done":120,
///  "format":"tprog-training-state","parameters":[{"name":"embedding.tokens","shape":[8,8]},…],"version":1}
/// <values> <first moments> <second moments>
/// ```
public struct TrainingState: Sendable, Equatable {
    public static let fileName = "training-state.bin"
    public static let format = "tprog-training-state"
    public static let currentVersion = 1

    /// Epochs completed.
    public var epochsDone: Int
    /// Optimiser steps taken (every step of every completed epoch).
    public var adamSteps: Int
    /// Seconds of training so far.
    public var elapsed: Double
    /// Parameter names and shapes, in the model's order.
    public var names: [String]
    public var shapes: [[Int]]
    /// Per parameter: its values and Adam's first and second moment estimates.
    public var values: [[Float]]
    public var firstMoments: [[Float]]
    public var secondMoments: [[Float]]

    public init(epochsDone: Int, adamSteps: Int, elapsed: Double, names: [String], shapes: [[Int]],
                values: [[Float]], firstMoments: [[Float]], secondMoments: [[Float]]) {
        self.epochsDone = epochsDone
        self.adamSteps = adamSteps
        self.elapsed = elapsed
        self.names = names
        self.shapes = shapes
        self.values = values
        self.firstMoments = firstMoments
        self.secondMoments = secondMoments
    }

    private struct Header: Codable {
        struct Tensor: Codable {
            var name: String
            var shape: [Int]
        }
        var format: String
        var version: Int
        var epochsDone: Int
        var adamSteps: Int
        var elapsed: Double
        var parameters: [Tensor]
        /// ``checksum(_:)`` of the tensor bytes, in hex (absent in files written before 6
        /// December 2026, which are read unchecked).
        var checksum: String?

        enum CodingKeys: String, CodingKey {
            case format, version, epochsDone = "epochs_done", adamSteps = "adam_steps", elapsed, parameters, checksum
        }
    }

    /// A 64-bit checksum of the tensor bytes, so that a damaged file is refused rather than
    /// resumed from: FNV-1a's multiply-and-xor over 8-byte little-endian words (a 4-byte tail
    /// zero-extended), then a final avalanche. Any changed bit changes it; it is not meant to
    /// resist deliberate forgery.
    static func checksum<D: DataProtocol>(_ bytes: D) -> String {
        var fnv = FNV1a()
        var word: UInt64 = 0, filled = 0
        for region in bytes.regions {
            region.withUnsafeBytes { raw in
                for byte in raw {
                    word |= UInt64(byte) << (8 * UInt64(filled))
                    filled += 1
                    if filled == 8 {
                        fnv.mix(word: word)
                        word = 0
                        filled = 0
                    }
                }
            }
        }
        if filled > 0 { fnv.mix(word: word ^ UInt64(filled) << 60) }
        var hash = fnv.value
        hash ^= hash >> 33
        hash &*= 0xff51_afd7_ed55_8ccd
        hash ^= hash >> 33
        return FNV1a.hex(hash)
    }

    /// The file's bytes.
    public func encoded() throws -> Data {
        var body = Data()
        body.reserveCapacity(3 * 4 * values.reduce(0) { $0 + $1.count })
        for group in [values, firstMoments, secondMoments] {
            for tensor in group {
                var little = tensor.map { $0.bitPattern.littleEndian }
                little.withUnsafeMutableBytes { body.append(contentsOf: $0) }
            }
        }
        let header = Header(format: Self.format, version: Self.currentVersion, epochsDone: epochsDone,
                            adamSteps: adamSteps, elapsed: elapsed,
                            parameters: zip(names, shapes).map { Header.Tensor(name: $0, shape: $1) },
                            checksum: Self.checksum(body))
        var data = try JSONCoding.compact(header)   // one line, ending in a newline
        data.append(body)
        return data
    }

    /// Reads the file's bytes; throws, naming the problem, on anything that is not a whole state.
    public init(decoding data: Data) throws(TrainingStateError) {
        let (header, newline) = try Self.header(of: data)
        guard header.epochsDone >= 0, header.adamSteps >= 0, header.elapsed.isFinite, header.elapsed >= 0,
              header.elapsed < 1e9 else {
            throw TrainingStateError("the header's epochs, steps or seconds are negative, not finite or out of range")
        }
        var counts: [Int] = []
        var total = 0
        for p in header.parameters {
            var n = 1
            for d in p.shape {
                let (m, overflow) = n.multipliedReportingOverflow(by: d)
                guard d >= 0, !overflow, m <= 1 << 34 else { throw TrainingStateError("parameter \(p.name) has an impossible shape \(p.shape)") }
                n = m
            }
            counts.append(n)
            total += n
            guard total <= 1 << 34 else { throw TrainingStateError("the header lists more values than any model holds") }
        }
        let body = data[(newline + 1)...]
        guard body.count == 3 * 4 * total else {
            throw TrainingStateError("the file holds \(body.count) bytes of tensors, its header needs \(3 * 4 * total) (a truncated or damaged file)")
        }
        if let recorded = header.checksum, Self.checksum(body) != recorded {
            throw TrainingStateError("its tensors do not match the header's checksum (a damaged file)")
        }
        var groups: [[[Float]]] = []
        body.withUnsafeBytes { raw in
            var offset = 0
            for _ in 0..<3 {
                var group: [[Float]] = []
                for n in counts {
                    group.append((0..<n).map { i in
                        Float(bitPattern: UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: offset + 4 * i, as: UInt32.self)))
                    })
                    offset += 4 * n
                }
                groups.append(group)
            }
        }
        self.init(epochsDone: header.epochsDone, adamSteps: header.adamSteps, elapsed: header.elapsed,
                  names: header.parameters.map(\.name), shapes: header.parameters.map(\.shape),
                  values: groups[0], firstMoments: groups[1], secondMoments: groups[2])
    }

    /// The epochs done according to the header of the state file at `url` (read alone, without
    /// the tensors), or `nil` when there is none or it cannot be read.
    public static func epochsDone(at url: URL) -> Int? {
        guard let handle = try? FileHandle(forReadingFrom: url) else { return nil }
        defer { try? handle.close() }
        guard let start = try? handle.read(upToCount: 1 << 20) else { return nil }
        return try? header(of: start).header.epochsDone
    }

    /// The header line at the start of `data` (a whole file, or its first part), checked for the
    /// format and version, and the index of the newline that ends it.
    private static func header(of data: Data) throws(TrainingStateError) -> (header: Header, newline: Data.Index) {
        guard let newline = data.firstIndex(of: 0x0A) else {
            throw TrainingStateError("not a tprog training state (no header line)")
        }
        let header: Header
        do { header = try JSONDecoder().decode(Header.self, from: data[data.startIndex..<newline]) } catch {
            throw TrainingStateError("not a tprog training state (its header: \(JSONCoding.describe(error)))")
        }
        guard header.format == format else {
            throw TrainingStateError("not a tprog training state (format \"\(header.format)\")")
        }
        guard header.version >= 1 else { throw TrainingStateError("not a tprog training state (version \(header.version))") }
        guard header.version <= currentVersion else {
            throw TrainingStateError("training state version \(header.version) is newer than this tprog understands (\(currentVersion))")
        }
        return (header, newline)
    }

    /// Reads `training-state.bin` of the run folder `folder`.
    public static func read(in folder: RunFolder) throws(TrainingStateError) -> TrainingState {
        let path = folder.file(fileName).path
        guard let data = FileManager.default.contents(atPath: path) else {
            throw TrainingStateError(FileManager.default.fileExists(atPath: path)
                                     ? FileErrors.unreadable(path)
                                     : "\(folder.path) has no saved training state (\(fileName)): it was stopped before its first epoch ended, or it diverged; train it again with --force")
        }
        do { return try TrainingState(decoding: data) } catch {
            throw TrainingStateError("\(path): \(error.description)")
        }
    }
}

/// A training state that cannot be read, or does not fit the run it is meant to continue.
public struct TrainingStateError: Error, CustomStringConvertible, Sendable, Equatable {
    public let description: String
    public init(_ description: String) { self.description = description }
}
