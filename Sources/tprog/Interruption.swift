import Dispatch
import Foundation
import TransformerPrograms

/// What an interrupted run leaves. A new run keeps what it has written, its training state
/// included, and says how to continue it (`tprog resume`). An interrupted `train --force` leaves
/// the run it was replacing, untouched, and no staging folder — or, when the signal comes after
/// the new run was put in place, the new run and no trace of the old one
/// (``RunFolder/interrupted()``). On SIGINT or SIGTERM the process then dies of that signal, as it
/// would without the handler (a shell reports 130 for Ctrl-C), so a calling script stops too.
enum Interruption {
    /// The signal sources (kept alive for the rest of the process).
    nonisolated(unsafe) private static var sources: [any DispatchSourceSignal] = []

    /// From now on, an interruption settles `folder` before exiting. `resumable`: whether the run
    /// saves a training state (Transformer Programs do, the standard baseline does not).
    static func settleOnInterrupt(_ folder: RunFolder, resumable: Bool) {
        guard folder.isReplacing || resumable else { return }
        for signalNumber in [SIGINT, SIGTERM] {
            signal(signalNumber, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: signalNumber, queue: .global())
            source.setEventHandler {
                let message = folder.isReplacing
                    ? "interrupted: " + (folder.interrupted() ? "the new run is in place" : "the existing run is unchanged") + " in \(folder.path)"
                    : FileManager.default.fileExists(atPath: folder.file(TrainingState.fileName).path)
                        ? "interrupted: 'tprog resume \(folder.path)' continues the run from its last completed epoch"
                        : "interrupted in the first epoch: nothing to resume in \(folder.path)"
                FileHandle.standardError.write(Foundation.Data("\n\(message)\n".utf8))
                // Die of the signal, as without the handler, so that a calling shell stops too.
                signal(signalNumber, SIG_DFL)
                raise(signalNumber)
                exit(128 + signalNumber)
            }
            source.resume()
            sources.append(source)
        }
    }
}
