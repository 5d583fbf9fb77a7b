#if canImport(Glibc)
@preconcurrency import Glibc
#elseif canImport(Darwin)
@preconcurrency import Darwin
#endif
import ArgumentParser
import Foundation
import Testing
@testable import tprog

/// A command whose output cannot be written must not exit 0 (an audit found `tprog tasks >
/// /dev/full` silently losing its output, and `tprog data` trapping).
@Suite("Command line: standard output")
struct StandardOutputTests {
    @Test("a failed write to standard output is an error; a good one is not",
          .enabled(if: FileManager.default.fileExists(atPath: "/dev/full"), "needs /dev/full (Linux)"))
    func fullDevice() throws {
        try StandardOutput.check()
        let full = open("/dev/full", O_WRONLY)
        try #require(full >= 0, "/dev/full exists but cannot be opened")
        fflush(stdout)
        let saved = dup(1)
        dup2(full, 1)
        // More than a buffer's worth, so the write happens in print as well as in the flush.
        print(String(repeating: "x", count: 1 << 16))
        let failed: Bool
        do { try StandardOutput.check(); failed = false } catch { failed = (error as? ExitCode) == ExitCode(1) }
        dup2(saved, 1)
        close(saved)
        close(full)
        clearerr(stdout)
        #expect(failed)
        try StandardOutput.check()
    }
}
