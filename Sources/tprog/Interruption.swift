import Dispatch
import Foundation
import TransformerPrograms

/// What an interrupted `train --force` leaves: the run it was replacing, untouched, and no staging
/// folder — or, when the signal comes after the new run was put in place, the new run and no trace
/// of the old one (``RunFolder/interrupted()``). On SIGINT or SIGTERM the process then exits with
/// `128 + signal` (130 for Ctrl-C).
enum Interruption {
    /// The signal sources (kept alive for the rest of the process).
    nonisolated(unsafe) private static var sources: [any DispatchSourceSignal] = []

    /// From now on, an interruption settles `folder` (when it is replacing a run) before exiting.
    static func settleOnInterrupt(_ folder: RunFolder) {
        guard folder.isReplacing else { return }
        for signalNumber in [SIGINT, SIGTERM] {
            signal(signalNumber, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: signalNumber, queue: .global())
            source.setEventHandler {
                let state = folder.interrupted() ? "the new run is in place" : "the existing run is unchanged"
                FileHandle.standardError.write(Foundation.Data("\ninterrupted: \(state) in \(folder.path)\n".utf8))
                exit(128 + signalNumber)
            }
            source.resume()
            sources.append(source)
        }
    }
}
