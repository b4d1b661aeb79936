import Foundation
import Testing

/// `--web.config.file` and `--web.max-requests` problems stop the binary at start-up with one line and exit code 2.
@Suite struct WebConfigCommandLineTests {
    static let base = ["--apisix.admin-url", "http://a:9180", "--kubeconfig", "/nonexistent/kubeconfig"]

    @Test(arguments: [
        ("cipher_suites", "tls_server_config: {cert_file: a.crt, key_file: a.key, cipher_suites: [X]}\n"),
        ("tls_server_config.cert_file", "tls_server_config: {cert_file: missing.crt, key_file: missing.key}\n"),
        ("basic_auth_users.bob", "basic_auth_users:\n  bob: '$apr1$Y5CwPHNx$uOuhbA5W5b1j6O9SL/R3A0'\n"),
        ("unknown key", "basic_auth_users: {}\nweb_config: {}\n"),
        ("not valid YAML", "basic_auth_users:\n  bob: \"\(WebConfigBcryptTests.prometheusHash)\n"),
    ])
    func anInvalidWebConfigFileStopsStartUp(expected: String, yaml: String) throws {
        let directory = try WebConfigTestFiles.temporaryDirectory()
        defer { WebConfigTestFiles.remove(directory) }
        try WebConfigTestFiles.write(yaml, to: directory + "/web.yml")
        let result = try CommandLineTests.run(Self.base + ["--web.config.file", directory + "/web.yml"])
        #expect(result.status == 2)
        #expect(result.stderr.split(separator: "\n").count == 1, "stderr: \(result.stderr)")
        #expect(result.stderr.contains("--web.config.file"))
        #expect(result.stderr.contains(expected), "stderr: \(result.stderr)")
        #expect(!result.stderr.contains("$apr1$"))
        #expect(!result.stderr.contains(String(WebConfigBcryptTests.prometheusHash.dropFirst(7).prefix(20))))
    }

    @Test(arguments: [
        (["--web.config.file", "/nonexistent/web.yml"], "--web.config.file"),
        (["--web.config.file", ""], "--kubeconfig"),  // empty means none, as with exporter-toolkit
        (["--web.max-requests", "-1"], "--web.max-requests"),
        (["--web.max-requests", "many"], "--web.max-requests"),
    ])
    func badWebFlagsPrintOneLineAndExitWith2(arguments: [String], flag: String) throws {
        let result = try CommandLineTests.run(Self.base + arguments)
        #expect(result.status == 2)
        #expect(result.stderr.split(separator: "\n").count == 1, "stderr: \(result.stderr)")
        #expect(result.stderr.contains(flag))
    }

    /// A valid file passes the web checks: start-up then stops at the next problem, the missing kubeconfig.
    @Test func aValidWebConfigFileIsAccepted() throws {
        let directory = try WebConfigTestFiles.temporaryDirectory()
        defer { WebConfigTestFiles.remove(directory) }
        try WebConfigTestFiles.write(
            "basic_auth_users:\n  alice: \(WebConfigBcryptTests.aliceHash)\n",
            to: directory + "/web.yml"
        )
        let result = try CommandLineTests.run(
            Self.base + ["--web.config.file", directory + "/web.yml", "--web.max-requests", "0"]
        )
        #expect(result.status == 2)
        #expect(result.stderr.contains("--kubeconfig"), "stderr: \(result.stderr)")
    }
}
