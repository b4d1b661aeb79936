import CLibFuzzer

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Runs libFuzzer from a SwiftPM executable.
///
/// SwiftPM links every executable with `main` renamed to `<module>_main`, which collides with the `main` that
/// `-sanitize=fuzzer` links in. The fuzz executables therefore link `libclang_rt.fuzzer_no_main` and start libFuzzer
/// themselves from their top-level code through `LLVMFuzzerRunDriver`, which takes the same flags as any libFuzzer
/// binary (`-max_total_time`, `-max_len`, corpus directories, crash files to replay, …).
public enum FuzzDriver {
    nonisolated(unsafe) private static var testOneInput: @Sendable (UnsafeRawBufferPointer) -> Void = { _ in }

    /// Hands the process to libFuzzer, which calls `body` once per input, and exits with libFuzzer's status.
    /// - Parameter body: Must not keep the buffer; it is only valid during the call. A trap or sanitizer report in it
    ///   is a crash, which libFuzzer saves as `crash-<sha1>`.
    public static func run(_ body: @escaping @Sendable (UnsafeRawBufferPointer) -> Void) -> Never {
        testOneInput = body
        var argc = CommandLine.argc
        var argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = CommandLine.unsafeArgv
        let status = LLVMFuzzerRunDriver(&argc, &argv) { data, size in
            FuzzDriver.testOneInput(UnsafeRawBufferPointer(start: data, count: size))
            return 0
        }
        exit(status)
    }
}
