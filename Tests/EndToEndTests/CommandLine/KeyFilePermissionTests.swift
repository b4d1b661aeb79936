import Foundation
import Synchronization
import Testing

@testable import APISIXSyncExporter

/// An Admin API key file that more than the exporter can read is named in a warning at start-up.
@Suite struct KeyFilePermissionTests {
    @Test func whichModesExposeTheFile() {
        #expect(SecretFilePermissions.exposure(mode: 0o600, fileGroup: 5, processGroup: 7) == nil)
        #expect(SecretFilePermissions.exposure(mode: 0o400, fileGroup: 5, processGroup: 7) == nil)
        #expect(SecretFilePermissions.exposure(mode: 0o644, fileGroup: 7, processGroup: 7) == "readable by others")
        #expect(SecretFilePermissions.exposure(mode: 0o604, fileGroup: 5, processGroup: 7) == "readable by others")
        #expect(SecretFilePermissions.exposure(mode: 0o640, fileGroup: 5, processGroup: 7) == "readable by group 5")
        // A Kubernetes Secret volume with fsGroup: group-readable by the exporter's own group only.
        #expect(SecretFilePermissions.exposure(mode: 0o440, fileGroup: 7, processGroup: 7) == nil)
    }

    /// Starts the binary with a key file of `mode` (against nothing: the warning comes before any connection),
    /// returns its log lines once it listens.
    func startUpLogs(keyFileMode: Int16) throws -> (logs: String, keyFile: String) {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("keymode-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let kubeconfig = directory.appendingPathComponent("kubeconfig")
        try """
        apiVersion: v1
        kind: Config
        clusters: [{name: none, cluster: {server: "http://127.0.0.1:1"}}]
        users: [{name: me, user: {}}]
        contexts: [{name: none, context: {cluster: none, user: me}}]
        current-context: none
        """.write(to: kubeconfig, atomically: true, encoding: .utf8)
        let keyFile = directory.appendingPathComponent("admin-key")
        try "key-content-must-not-be-logged\n".write(to: keyFile, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: keyFileMode], ofItemAtPath: keyFile.path)

        let process = Process()
        process.executableURL = URL(fileURLWithPath: CommandLineTests.binary)
        process.arguments = [
            "--web.listen-address", "127.0.0.1:0", "--kubeconfig", kubeconfig.path,
            "--apisix.admin-url", "http://127.0.0.1:1", "--apisix.admin-key-file", keyFile.path,
        ]
        process.environment = ["PATH": "/usr/bin:/bin", "HOME": "/nonexistent"]
        let logs = Mutex("")
        let err = Pipe()
        process.standardError = err
        process.standardOutput = FileHandle.nullDevice
        err.fileHandleForReading.readabilityHandler = { handle in
            let data = handle.availableData
            logs.withLock { $0 += String(decoding: data, as: UTF8.self) }
        }
        try process.run()
        defer {
            process.terminate()
            process.waitUntilExit()
            err.fileHandleForReading.readabilityHandler = nil
        }
        let deadline = Date().addingTimeInterval(20)
        while !logs.withLock({ $0.contains("listening on") }), Date() < deadline {
            Thread.sleep(forTimeInterval: 0.02)
        }
        let text = logs.withLock { $0 }
        try #require(text.contains("listening on"), "the exporter did not start: \(text)")
        return (text, keyFile.path)
    }

    @Test func aKeyFileReadableByOthersIsNamedInAWarning() throws {
        let (logs, keyFile) = try startUpLogs(keyFileMode: 0o644)
        let warning = try #require(logs.split(separator: "\n").first { $0.contains("secret file is") })
        #expect(warning.contains("level=warn"))
        #expect(warning.contains("readable by others"))
        #expect(warning.contains(keyFile))
        #expect(warning.contains("mode=0644"))
        #expect(warning.contains("--apisix.admin-key-file"))
        #expect(!logs.contains("key-content-must-not-be-logged"))
    }

    @Test func aKeyFileOnlyTheOwnerCanReadIsNotWarnedAbout() throws {
        let (logs, _) = try startUpLogs(keyFileMode: 0o600)
        #expect(!logs.contains("secret file is"))
        #expect(!logs.contains("key-content-must-not-be-logged"))
    }
}
