import Foundation
import Synchronization
import TestSupport

/// Runs the real `kubectl` against a fake Kubernetes API without blocking the test's executor: a kubeconfig in a
/// temporary directory, which is also `HOME` and the discovery cache, so nothing of the user's is read or written.
struct KubectlProcess {
    /// The result of a finished run.
    struct Output {
        let status: Int32
        let stdout: String
        let stderr: String
    }

    /// `$KUBECTL`, else `kubectl` from the `PATH`, or `nil`.
    static var installed: String? {
        ProcessInfo.processInfo.environment["KUBECTL"] ?? ExternalTool.find("kubectl")
    }

    let executable: String
    let directory: URL

    /// Writes a kubeconfig for `server` into a new temporary directory. The user has no credentials: kubectl does
    /// not send bearer tokens to plain-HTTP servers such as the fake.
    init(executable: String, server: String) throws {
        self.executable = executable
        self.directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("kubectl-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: self.directory, withIntermediateDirectories: true)
        let kubeconfig = """
            apiVersion: v1
            kind: Config
            clusters:
            - name: fake
              cluster:
                server: \(server)
            contexts:
            - name: fake
              context:
                cluster: fake
                user: fake
            current-context: fake
            users:
            - name: fake
              user: {}

            """
        try kubeconfig.write(to: self.kubeconfig, atomically: true, encoding: .utf8)
    }

    var kubeconfig: URL {
        self.directory.appendingPathComponent("kubeconfig")
    }

    /// Removes the temporary directory.
    func remove() {
        try? FileManager.default.removeItem(at: self.directory)
    }

    private func makeProcess(_ arguments: [String]) -> Process {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: self.executable)
        process.arguments =
            [
                "--kubeconfig", self.kubeconfig.path,
                "--cache-dir", self.directory.appendingPathComponent("cache").path,
            ] + arguments
        var environment = ["HOME": self.directory.path]
        environment["PATH"] = ProcessInfo.processInfo.environment["PATH"]
        process.environment = environment
        return process
    }

    /// Runs kubectl to completion (on a GCD thread, so that the in-process fake keeps being served).
    func run(_ arguments: [String]) async throws -> Output {
        let process = self.makeProcess(arguments)
        let stdout = Pipe()
        let stderr = Pipe()
        process.standardOutput = stdout
        process.standardError = stderr
        process.standardInput = FileHandle.nullDevice
        try process.run()
        return await withCheckedContinuation { continuation in
            DispatchQueue.global().async {
                // Read both pipes to the end before waiting, so that a full pipe cannot block kubectl.
                let errors = Mutex(Data())
                let group = DispatchGroup()
                DispatchQueue.global().async(group: group) {
                    let data = stderr.fileHandleForReading.readDataToEndOfFile()
                    errors.withLock { $0 = data }
                }
                let output = stdout.fileHandleForReading.readDataToEndOfFile()
                group.wait()
                process.waitUntilExit()
                continuation.resume(
                    returning: Output(
                        status: process.terminationStatus,
                        stdout: String(decoding: output, as: UTF8.self),
                        stderr: String(decoding: errors.withLock { $0 }, as: UTF8.self)
                    )
                )
            }
        }
    }

    /// A running kubectl whose standard output is read line by line.
    final class Streaming: Sendable {
        private let process: Process
        /// The lines of standard output as they arrive; finishes when kubectl closes it.
        let lines: AsyncStream<String>
        private let stderrText = SharedText()

        fileprivate init(process: Process) throws {
            self.process = process
            let stdout = Pipe()
            let stderr = Pipe()
            process.standardOutput = stdout
            process.standardError = stderr
            process.standardInput = FileHandle.nullDevice
            let (lines, continuation) = AsyncStream<String>.makeStream()
            self.lines = lines
            let pending = Mutex(Data())
            stdout.fileHandleForReading.readabilityHandler = { handle in
                let data = handle.availableData
                guard !data.isEmpty else {
                    handle.readabilityHandler = nil
                    continuation.finish()
                    return
                }
                let complete = pending.withLock { buffer -> [String] in
                    buffer.append(data)
                    var result: [String] = []
                    while let newline = buffer.firstIndex(of: UInt8(ascii: "\n")) {
                        result.append(String(decoding: buffer[buffer.startIndex..<newline], as: UTF8.self))
                        buffer.removeSubrange(buffer.startIndex...newline)
                    }
                    return result
                }
                for line in complete {
                    continuation.yield(line)
                }
            }
            let stderrText = self.stderrText
            stderr.fileHandleForReading.readabilityHandler = { handle in
                let data = handle.availableData
                guard !data.isEmpty else {
                    handle.readabilityHandler = nil
                    return
                }
                stderrText.append(String(decoding: data, as: UTF8.self))
            }
            try process.run()
        }

        /// What kubectl wrote to standard error so far.
        var stderr: String {
            self.stderrText.value
        }

        /// Ends kubectl (SIGTERM to its pid) and waits for it to exit (on a GCD thread).
        func stop() async {
            if self.process.isRunning {
                self.process.terminate()
            }
            let process = self.process
            await withCheckedContinuation { continuation in
                DispatchQueue.global().async {
                    process.waitUntilExit()
                    continuation.resume()
                }
            }
        }
    }

    /// Text appended from one thread and read from another.
    final class SharedText: Sendable {
        private let text = Mutex("")

        var value: String { self.text.withLock { $0 } }

        func append(_ more: String) {
            self.text.withLock { $0 += more }
        }
    }

    /// Starts kubectl, e.g. `get endpointslices -A --watch`, without waiting for it to finish.
    func start(_ arguments: [String]) throws -> Streaming {
        try Streaming(process: self.makeProcess(arguments))
    }
}
