import Foundation
import Subprocess

/// Runs a credential plugin as a child process through swift-subprocess: stdin is `/dev/null`, the child starts with
/// no blocked signals and default signal handlers (the exporter's Dispatch and pool threads block most signals, and
/// ServiceLifecycle ignores SIGTERM), and it leads a process group of its own, so that a time-out kills its children
/// too.
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
    ///   - timeout: Kill the process group and throw when it runs longer than this.
    ///   - command: The command as configured, for error messages.
    static func run(
        executablePath: String,
        arguments: [String],
        environment: [String: String],
        timeout: Duration,
        command: String
    ) async throws -> Output {
        try await withThrowingTaskGroup(of: Output?.self) { group in
            group.addTask {
                try await runToExit(
                    executablePath: executablePath,
                    arguments: arguments,
                    environment: environment,
                    command: command
                )
            }
            group.addTask {
                try await Task.sleep(for: timeout)
                return nil
            }
            // Leaving the group cancels the run that lost the race: swift-subprocess then sends SIGKILL to the
            // plugin's process group, and stops reading pipes that a grandchild outside the group may hold open.
            defer { group.cancelAll() }
            guard let first = try await group.next(), let output = first else {
                throw KubernetesConnectionError(
                    "exec plugin '\(command)' did not finish within \(timeout) and was killed"
                )
            }
            return output
        }
    }

    private static func runToExit(
        executablePath: String,
        arguments: [String],
        environment: [String: String],
        command: String
    ) async throws -> Output {
        var options = PlatformOptions()
        options.processGroupID = 0
        options.teardownSequence = [.send(signal: .kill, toProcessGroup: true, allowedDurationToNextStep: .seconds(1))]
        var childEnvironment: [Environment.Key: String] = [:]
        for (key, value) in environment {
            childEnvironment[Environment.Key(stringLiteral: key)] = value
        }
        let result: ExecutionResult<Void, DataOutput, DataOutput>
        do {
            result = try await Subprocess.run(
                .path(.init(executablePath)),
                arguments: Arguments(arguments),
                environment: .custom(childEnvironment),
                platformOptions: options,
                input: .none,
                // Both read to the end, as before: an ExecCredential is small, and only stderr's first line is used.
                output: .data(limit: .max),
                error: .data(limit: .max)
            )
        } catch let error as SubprocessError where [.spawnFailed, .executableNotFound].contains(error.code) {
            throw KubernetesConnectionError("exec plugin '\(command)' could not be started: \(error)")
        } catch let error as SubprocessError {
            throw KubernetesConnectionError("exec plugin '\(command)' failed: \(error)")
        }
        switch result.terminationStatus {
        case .exited(let code):
            return Output(
                status: code,
                terminatedBySignal: false,
                stdout: result.standardOutput,
                stderr: result.standardError
            )
        case .signaled(let signal):
            return Output(
                status: signal,
                terminatedBySignal: true,
                stdout: result.standardOutput,
                stderr: result.standardError
            )
        }
    }
}
