import Dispatch
import Foundation
import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Runs a credential plugin as a child process on a Dispatch thread, so that the blocking reads and the wait for
/// the process never occupy a thread of Swift's cooperative pool.
enum ExecPluginProcess {
    /// How the process ended and what it printed.
    struct Output: Sendable {
        /// The exit status, or the signal number when ``terminatedBySignal`` is true.
        var status: Int32
        /// Whether the process was killed by a signal.
        var terminatedBySignal: Bool
        var stdout: Data
        var stderr: Data
    }

    /// Runs `executablePath` to completion with stdin connected to `/dev/null`.
    /// - Parameters:
    ///   - executablePath: Absolute path of the program.
    ///   - arguments: Its arguments.
    ///   - environment: Its complete environment.
    ///   - timeout: Kill the process and throw when it runs longer than this.
    ///   - command: The command as configured, for error messages.
    static func run(
        executablePath: String,
        arguments: [String],
        environment: [String: String],
        timeout: Duration,
        command: String
    ) async throws -> Output {
        try await withCheckedThrowingContinuation { continuation in
            let completion = Completion(continuation)
            DispatchQueue.global(qos: .userInitiated).async {
                runBlocking(
                    executablePath: executablePath,
                    arguments: arguments,
                    environment: environment,
                    timeout: timeout,
                    command: command,
                    completion: completion
                )
            }
        }
    }

    private static func runBlocking(
        executablePath: String,
        arguments: [String],
        environment: [String: String],
        timeout: Duration,
        command: String,
        completion: Completion
    ) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executablePath)
        process.arguments = arguments
        process.environment = environment
        let stdoutPipe = Pipe()
        let stderrPipe = Pipe()
        process.standardOutput = stdoutPipe
        process.standardError = stderrPipe
        process.standardInput = FileHandle.nullDevice
        do {
            try runWithEmptySignalMask(process)
        } catch {
            completion.resume(
                throwing: KubernetesConnectionError(
                    "exec plugin '\(command)' could not be started: \(error.localizedDescription)"
                )
            )
            return
        }

        // The timer gives up on a hung plugin: it kills the process and fails the call at once, even if the reads
        // below stay blocked because a grandchild still holds the pipes open.
        let running = RunningProcess(process)
        let timer = DispatchWorkItem {
            // Resume first, so that the exit caused by the kill cannot be reported instead of the timeout.
            completion.resume(
                throwing: KubernetesConnectionError(
                    "exec plugin '\(command)' did not finish within \(timeout) and was killed"
                )
            )
            running.kill()
        }
        DispatchQueue.global().asyncAfter(deadline: .now() + timeIntervalSeconds(timeout), execute: timer)

        // Read stderr on a second thread so that neither pipe can fill up and block the plugin.
        let stderrHandle = stderrPipe.fileHandleForReading
        let stderrData = Mutex(Data())
        let stderrDone = DispatchGroup()
        stderrDone.enter()
        DispatchQueue.global().async {
            let data = stderrHandle.readDataToEndOfFile()
            stderrData.withLock { $0 = data }
            stderrDone.leave()
        }
        let stdout = stdoutPipe.fileHandleForReading.readDataToEndOfFile()
        stderrDone.wait()
        process.waitUntilExit()
        timer.cancel()

        completion.resume(
            returning: Output(
                status: process.terminationStatus,
                terminatedBySignal: process.terminationReason == .uncaughtSignal,
                stdout: stdout,
                stderr: stderrData.withLock { $0 }
            )
        )
    }

    /// Starts `process` with no blocked signals. Dispatch and cooperative-pool threads block most signals, and
    /// Foundation's `Process` lets the child inherit the calling thread's mask, so a plugin would otherwise start with
    /// SIGTERM and SIGINT blocked. The mask of this (Dispatch) thread is restored right after the spawn.
    private static func runWithEmptySignalMask(_ process: Process) throws {
        var empty = sigset_t()
        var previous = sigset_t()
        sigemptyset(&empty)
        pthread_sigmask(SIG_SETMASK, &empty, &previous)
        defer { pthread_sigmask(SIG_SETMASK, &previous, nil) }
        try process.run()
    }

    private static func timeIntervalSeconds(_ duration: Duration) -> Double {
        let parts = duration.components
        return Double(parts.seconds) + Double(parts.attoseconds) / 1e18
    }

    /// Resumes a continuation at most once (the process finishing and the timeout race).
    private final class Completion: Sendable {
        private let continuation: Mutex<CheckedContinuation<Output, any Error>?>

        init(_ continuation: CheckedContinuation<Output, any Error>) {
            self.continuation = Mutex(continuation)
        }

        func resume(returning output: Output) {
            take()?.resume(returning: output)
        }

        func resume(throwing error: any Error) {
            take()?.resume(throwing: error)
        }

        private func take() -> CheckedContinuation<Output, any Error>? {
            continuation.withLock { stored in
                let taken = stored
                stored = nil
                return taken
            }
        }
    }

    /// Lets the timeout handler kill the process from another thread; `Process` is not `Sendable`, but `isRunning`
    /// and `processIdentifier` are safe to read from any thread.
    private final class RunningProcess: @unchecked Sendable {
        private let process: Process

        init(_ process: Process) {
            self.process = process
        }

        /// Sends SIGKILL: unlike SIGTERM (`Process.terminate()`) it cannot be ignored, and a plugin inherits the
        /// exporter's ignored signals (ServiceLifecycle ignores SIGTERM to handle it through Dispatch). On Linux,
        /// Foundation starts the child in its own process group, so the whole group is killed, including
        /// grandchildren that would otherwise keep the pipes open.
        func kill() {
            guard process.isRunning else { return }
            let pid = process.processIdentifier
            let target = getpgid(pid) == pid ? -pid : pid
            _ = Self.sendSignal(target, SIGKILL)
        }

        private static func sendSignal(_ pid: pid_t, _ signal: Int32) -> Int32 {
            #if canImport(Glibc)
            Glibc.kill(pid, signal)
            #elseif canImport(Musl)
            Musl.kill(pid, signal)
            #else
            Darwin.kill(pid, signal)
            #endif
        }
    }
}
