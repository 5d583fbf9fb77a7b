import Foundation
import Testing
@testable import Network
@testable import Tasks
@testable import Training

/// `tprog resume`: a run continued from a saved training state must end exactly as the
/// uninterrupted run, and a state that is damaged or belongs to another run must be refused.
@Suite("Resuming training")
struct ResumeTests {
    /// A small reverse run: every module kind (categorical and numerical heads and MLPs), several
    /// steps per epoch, a last partial batch.
    func trainer(epochs: Int = 5, seed: UInt64 = 0, layers: Int = 2) throws -> Trainer {
        var taskOptions = TaskOptions.defaults(for: .reverse)
        taskOptions.datasetSize = 300
        let data = try TaskDataset.generate(.reverse, options: taskOptions)
        var options = TrainingOptions()
        options.epochs = epochs
        options.batchSize = 64
        options.seed = seed
        return try Trainer(dataset: data, model: ModelOptions(layers: layers, catHeads: 1, numHeads: 1, catMLPs: 1,
                                                              numMLPs: 1, mlpWidth: 8), options: options)
    }

    /// The metrics without their clock readings, for comparison.
    func timeless(_ m: [EpochMetrics]) -> [EpochMetrics] { m.map { var e = $0; e.elapsed = 0; return e } }

    @Test("resumed after any epoch, training ends bit for bit as the uninterrupted run", arguments: [0, 2, 5])
    func resumedEqualsUninterrupted(after epochsDone: Int) throws {
        let full = try trainer()
        var saved: TrainingState?
        if epochsDone == 0 { saved = full.state(epochsDone: 0, elapsed: 0) }
        let whole = try full.train(onEpoch: { epoch in
            if epoch.epoch + 1 == epochsDone { saved = full.state(epochsDone: epochsDone, elapsed: epoch.elapsed) }
        })
        // Through the file format, as tprog resume reads it.
        let state = try TrainingState(decoding: try #require(saved).encoded())
        #expect(state == saved)
        #expect(state.adamSteps == epochsDone * full.stepsPerEpoch)

        let resumed = try trainer()
        try resumed.resume(from: state, history: Array(whole.epochs.prefix(epochsDone)))
        let rest = try resumed.train()
        for (a, b) in zip(full.model.parameters, resumed.model.parameters) {
            #expect(a.values.map(\.bitPattern) == b.values.map(\.bitPattern))
        }
        #expect(timeless(rest.epochs) == timeless(whole.epochs))
        #expect(rest.discrete == whole.discrete)
        // The clock goes on from the saved seconds.
        #expect(rest.trainSeconds >= state.elapsed)
    }

    @Test("a state that is damaged or belongs to another run is refused, naming why")
    func refused() throws {
        let source = try trainer()
        var captured: TrainingState?
        let summary = try source.train(onEpoch: { epoch in
            if epoch.epoch == 1 { captured = source.state(epochsDone: 2, elapsed: epoch.elapsed) }
        })
        let state = try #require(captured)
        let history = Array(summary.epochs.prefix(2))
        let bytes = try state.encoded()

        func decodingError(_ data: Data) -> String? {
            do { _ = try TrainingState(decoding: data) } catch { return error.description }
            return nil
        }
        #expect(decodingError(bytes.dropLast(4))?.contains("truncated or damaged") == true)
        #expect(decodingError(Data("hello".utf8))?.contains("no header line") == true)
        #expect(decodingError(Data("{\"format\":\"x\"}\n".utf8))?.hasPrefix("not a tprog training state") == true)
        var header = String(decoding: bytes.prefix(while: { $0 != 0x0A }), as: UTF8.self)
        header = header.replacingOccurrences(of: "\"version\":1", with: "\"version\":9")
        #expect(decodingError(Data(header.utf8) + bytes.drop(while: { $0 != 0x0A }))?.contains("newer") == true)
        // One flipped bit in the tensors (an audit wrote 1e30 into one and resume went on).
        var flipped = bytes
        flipped[flipped.count - 5] ^= 0x10
        #expect(decodingError(flipped) == "its tensors do not match the header's checksum (a damaged file)")
        #expect(decodingError(bytes) == nil)
        // A file written before the checksum (no "checksum" key) is still read.
        let newline = try #require(bytes.firstIndex(of: 0x0A))
        var old = String(decoding: bytes[..<newline], as: UTF8.self)
        let range = try #require(old.range(of: #""checksum":"[0-9a-f]{16}","#, options: .regularExpression))
        old.removeSubrange(range)
        #expect(decodingError(Data(old.utf8) + bytes[newline...]) == nil)
        #expect(TrainingState.checksum(Data([1, 2, 3, 4])) != TrainingState.checksum(Data([1, 2, 3, 5])))
        #expect(TrainingState.checksum(Data([0, 0, 0, 0])) != TrainingState.checksum(Data(repeating: 0, count: 8)))

        func resumeError(_ trainer: Trainer, _ state: TrainingState, _ history: [EpochMetrics]) -> String? {
            do { try trainer.resume(from: state, history: history) } catch { return error.description }
            return nil
        }
        // Another network (3 layers): the parameters differ.
        #expect(resumeError(try trainer(layers: 3), state, history)?.contains("names or shapes differ") == true)
        // Another batch count per epoch: the steps do not add up.
        var steps = state
        steps.adamSteps += 1
        #expect(resumeError(try trainer(), steps, history)?.contains("steps") == true)
        // Past the run's end.
        #expect(resumeError(try trainer(epochs: 1), state, history)?.contains("only 1") == true)
        // Missing metrics.
        #expect(resumeError(try trainer(), state, Array(history.prefix(1)))?.contains("missing") == true)
        // A parameter that is not finite.
        var broken = state
        broken.values[0][0] = .nan
        #expect(resumeError(try trainer(), broken, history)?.contains("not finite") == true)
        // And the genuine state is accepted.
        #expect(resumeError(try trainer(), state, history) == nil)
    }
}
