import Dispatch
import Foundation
import TransformerPrograms

/// What an interrupted `train --force` leaves: the run it was replacing, untouched, and no staging
/// folder. On SIGINT or SIGTERM the staging folder is removed and the process exits with
/// `128 + signal` (130 for Ctrl-C).
enum Interruption {
    /// The signal sources (kept alive for the rest of the process).
    nonisolated(unsafe) private static var sources: [any DispatchSourceSignal] = []

    /// From now on, an interruption removes `folder`'s staging folder (when it is replacing a run).
    static func discardOnInterrupt(_ folder: RunFolder) {
        guard folder.isReplacing else { return }
        for signalNumber in [SIGINT, SIGTERM] {
            signal(signalNumber, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: signalNumber, queue: .global())
            source.setEventHandler {
                folder.discard()
                FileHandle.standardError.write(Foundation.Data("\ninterrupted: the existing run in \(folder.path) is unchanged\n".utf8))
                exit(128 + signalNumber)
            }
            source.resume()
            sources.append(source)
        }
    }
}
