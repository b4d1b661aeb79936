import Foundation
import TestSupport

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Headless Chromium for the status page's browser tests: the DOM after parsing (`--dump-dom`) and screenshots.
///
/// Every run gets its own profile directory and a deadline: a hung browser fails the test instead of hanging it.
/// Chromium's stderr (D-Bus and GPU noise) is kept only for error messages.
struct HeadlessChromium {
    let executable: String
    var timeout: Double = 60

    /// Chromium on this machine; nil when it is not installed.
    static func locate() -> HeadlessChromium? {
        for name in ["chromium", "chromium-browser", "google-chrome", "chrome"] {
            if let path = ExternalTool.find(name) { return HeadlessChromium(executable: path) }
        }
        return nil
    }

    /// Whether the browser tests can run: Chromium is installed, or we are in CI (where its absence must fail).
    static var shouldRun: Bool { ExternalTool.isCI || locate() != nil }

    /// The serialized DOM of `url` once loaded.
    func dumpDOM(_ url: String, width: Int = 1280, height: Int = 2000) async throws -> String {
        let result = try await run(["--window-size=\(width),\(height)", "--dump-dom", url])
        guard result.status == 0, result.stdout.contains("<html") else {
            throw HarnessError("chromium --dump-dom exited \(result.status): \(result.stderr.suffix(2000))")
        }
        return result.stdout
    }

    /// Saves a PNG of the `width`×`height` viewport showing `url`.
    func screenshot(_ url: String, to path: String, width: Int, height: Int, dark: Bool = false) async throws {
        try? FileManager.default.removeItem(atPath: path)
        var arguments = ["--window-size=\(width),\(height)", "--screenshot=\(path)"]
        if dark { arguments.append("--force-dark-mode") }
        let result = try await run(arguments + [url])
        let size = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0
        guard result.status == 0, size > 0 else {
            throw HarnessError("chromium --screenshot exited \(result.status): \(result.stderr.suffix(2000))")
        }
    }

    private func run(_ arguments: [String]) async throws -> (status: Int32, stdout: String, stderr: String) {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("chromium-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let stdoutURL = directory.appendingPathComponent("stdout")
        let stderrURL = directory.appendingPathComponent("stderr")
        try Data().write(to: stdoutURL)
        try Data().write(to: stderrURL)
        let stdout = try FileHandle(forWritingTo: stdoutURL)
        let stderr = try FileHandle(forWritingTo: stderrURL)
        defer {
            try? stdout.close()
            try? stderr.close()
        }

        let flags = [
            "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
            "--no-default-browser-check", "--disable-extensions", "--disable-background-networking",
            "--disable-component-update", "--disable-sync", "--mute-audio", "--hide-scrollbars",
            "--user-data-dir=\(directory.appendingPathComponent("profile").path)",
        ]
        let process = Process()
        // coreutils `timeout` kills the browser's whole process group (renderer, zygote) if it hangs.
        if let timeoutTool = ExternalTool.find("timeout") {
            process.executableURL = URL(fileURLWithPath: timeoutTool)
            process.arguments = ["--kill-after=5", "\(Int(timeout))", executable] + flags + arguments
        } else {
            process.executableURL = URL(fileURLWithPath: executable)
            process.arguments = flags + arguments
        }
        var environment = ProcessInfo.processInfo.environment
        environment["HOME"] = directory.path
        process.environment = environment
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = stdout
        process.standardError = stderr
        try process.run()

        // A deadline of our own too, in case `timeout` is missing or itself hangs.
        let deadline = ContinuousClock.now + .seconds(timeout + 10)
        while process.isRunning {
            if ContinuousClock.now > deadline {
                process.terminate()
                try? await Task.sleep(for: .seconds(2))
                if process.isRunning { kill(process.processIdentifier, SIGKILL) }
                throw HarnessError("chromium did not finish within \(Int(timeout)) s: \(arguments)")
            }
            try await Task.sleep(for: .milliseconds(50))
        }
        let status = process.terminationStatus
        if status == 124 || status == 137 {
            throw HarnessError("chromium did not finish within \(Int(timeout)) s: \(arguments)")
        }
        let out = (try? String(contentsOf: stdoutURL, encoding: .utf8)) ?? ""
        let err = (try? String(contentsOf: stderrURL, encoding: .utf8)) ?? ""
        return (status, out, err)
    }
}
