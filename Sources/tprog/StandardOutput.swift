#if canImport(Glibc)
@preconcurrency import Glibc
#elseif canImport(Darwin)
@preconcurrency import Darwin
#endif

/// Failures to write standard output — a full disk (`> /dev/full`), a closed descriptor — as
/// errors. `print` drops such failures silently, so `tprog` flushes and checks standard output
/// before it exits 0: otherwise a command whose output was lost would look successful. (A
/// reader that stops early, as `| head` does, ends `tprog` with SIGPIPE as usual.)
enum StandardOutput {
    /// Flushes standard output; throws the `Error:` exit (code 1) when this or any earlier write
    /// to it has failed.
    static func check() throws {
        // `stdout` is a C global, which Swift 6 reads only through a @preconcurrency import;
        // `tprog` writes it from the main thread alone.
        if fflush(stdout) != 0 {
            let code = errno
            throw failure("cannot write the output: \(String(cString: strerror(code)))")
        }
        if ferror(stdout) != 0 { throw failure("cannot write the output: a write to standard output failed") }
    }
}
