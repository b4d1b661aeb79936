import Foundation
import Testing

@testable import APISIXSyncExporter

/// The exec plugin runner on its own: exit status, signals, start failures, large outputs and the environment.
@Suite struct ExecPluginProcessTests {
    @Test func reportsAKillingSignal() async throws {
        let script = try Self.script("#!/bin/sh\necho 'about to die' >&2\nkill -KILL $$\n")
        defer { try? FileManager.default.removeItem(atPath: script) }
        let output = try await Self.run(script)
        #expect(output.terminatedBySignal)
        #expect(output.status == SIGKILL)
        #expect(String(decoding: output.stderr, as: UTF8.self) == "about to die\n")
    }

    @Test func aProgramThatCannotStartIsAClearError() async throws {
        let script = try Self.script("#!/bin/sh\necho never\n", executable: false)
        defer { try? FileManager.default.removeItem(atPath: script) }
        let error = await #expect(throws: KubernetesConnectionError.self) {
            try await Self.run(script)
        }
        #expect(error?.message.hasPrefix("exec plugin 'test-plugin' could not be started: ") == true)
    }

    /// Both pipes are read at once and to the end: a plugin writing a megabyte to each neither blocks nor is cut.
    @Test func readsLargeOutputsOnBothStreamsToTheEnd() async throws {
        let script = try Self.script(
            "#!/bin/sh\nhead -c 1048576 /dev/zero | tr '\\0' e >&2\nhead -c 1048576 /dev/zero | tr '\\0' o\nexit 7\n"
        )
        defer { try? FileManager.default.removeItem(atPath: script) }
        let output = try await Self.run(script)
        #expect(!output.terminatedBySignal)
        #expect(output.status == 7)
        #expect(output.stdout == Data(repeating: UInt8(ascii: "o"), count: 1 << 20))
        #expect(output.stderr == Data(repeating: UInt8(ascii: "e"), count: 1 << 20))
    }

    /// The environment is exactly the one given (nothing inherited), stdin is empty, the arguments arrive unchanged.
    @Test func runsWithTheGivenEnvironmentAndArgumentsOnly() async throws {
        let script = try Self.script("#!/bin/sh\nenv | sort\nprintf '[%s]' \"$@\"\ncat\n")
        defer { try? FileManager.default.removeItem(atPath: script) }
        let output = try await ExecPluginProcess.run(
            executablePath: script,
            arguments: ["a b", "", "--x=$HOME"],
            environment: ["PATH": "/usr/bin:/bin", "ONLY": "this one"],
            timeout: .seconds(30),
            command: "test-plugin"
        )
        let text = String(decoding: output.stdout, as: UTF8.self)
        #expect(text.hasPrefix("ONLY=this one\nPATH=/usr/bin:/bin\n"))
        #expect(text.hasSuffix("[a b][][--x=$HOME]"))
        #expect(!text.contains("HOME="))
    }

    private static func run(_ script: String) async throws -> ExecPluginProcess.Output {
        try await ExecPluginProcess.run(
            executablePath: script,
            arguments: [],
            environment: ["PATH": "/usr/bin:/bin"],
            timeout: .seconds(30),
            command: "test-plugin"
        )
    }

    private static func script(_ text: String, executable: Bool = true) throws -> String {
        let path = NSTemporaryDirectory() + "exec-plugin-process-" + UUID().uuidString
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
        try FileManager.default.setAttributes([.posixPermissions: executable ? 0o755 : 0o644], ofItemAtPath: path)
        return path
    }
}
