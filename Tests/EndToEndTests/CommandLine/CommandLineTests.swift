import AsyncHTTPClient
import Foundation
import SimulatedCluster
import Synchronization
import TestSupport
import Testing

/// The built `apisix-sync-exporter` binary, run as users run it.
@Suite struct CommandLineTests {
    static var binary: String { ExporterBinary.path }

    /// Runs the binary to completion.
    static func run(
        _ arguments: [String],
        environment: [String: String] = [:]
    ) throws -> (status: Int32, stdout: String, stderr: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: binary)
        process.arguments = arguments
        process.environment = ["PATH": "/usr/bin:/bin", "HOME": "/nonexistent"].merging(environment) { $1 }
        let out = Pipe()
        let err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let stdout = out.fileHandleForReading.readDataToEndOfFile()
        let stderr = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (
            process.terminationStatus, String(decoding: stdout, as: UTF8.self), String(decoding: stderr, as: UTF8.self)
        )
    }

    @Test func printsItsVersion() throws {
        let result = try Self.run(["--version"])
        #expect(result.status == 0)
        #expect(result.stdout.hasPrefix("apisix-sync-exporter "))
    }

    @Test(arguments: [
        (["--apisix.admin-url", "http://a:9180", "--apisix.poll-interval", "5x"], "--apisix.poll-interval"),
        (
            ["--apisix.admin-url", "http://a:9180", "--apisix.fast-poll-interval", "fast"],
            "--apisix.fast-poll-interval"
        ),
        (["--apisix.admin-url", "http://a:9180", "--change-timeout", "-1s"], "--change-timeout"),
        (["--apisix.admin-url", "http://a:9180", "--recommendation.quantile", "1.5"], "--recommendation.quantile"),
        (["--apisix.admin-url", "http://a:9180", "--recommendation.min-samples", "0"], "--recommendation.min-samples"),
        (["--apisix.admin-url", "http://a:9180", "--recommendation.window", "1h1x"], "--recommendation.window"),
        (["--apisix.admin-url", "http://a:9180", "--prestop-delay", "five"], "--prestop-delay"),
        (["--apisix.admin-url", "http://a:9180", "--web.listen-address", "nonsense"], "--web.listen-address"),
        (["--apisix.admin-url", "http://a:9180", "--web.telemetry-path", "metrics"], "--web.telemetry-path"),
        (["--apisix.admin-url", "http://a:9180", "--map", "web=1"], "--map"),
        (["--apisix.admin-url", "http://a:9180", "--metrics.service-labels", "maybe"], "--metrics.service-labels"),
        (["--apisix.admin-url", "http://a:9180", "--log.level", "loud"], "--log.level"),
        (["--apisix.admin-url", "http://a:9180", "--log.format", "xml"], "--log.format"),
        (["--apisix.admin-url", "http://a:9180", "--kubernetes.namespace", "Bad_NS"], "--kubernetes.namespace"),
        (["--apisix.admin-url", "http://a:9180", "--kubernetes.watch-pods", "maybe"], "--kubernetes.watch-pods"),
        (["--apisix.admin-url", "ftp://a"], "--apisix.admin-url"),
        (["--apisix.poll-interval", "5s"], "--apisix.admin-url"),
        (
            ["--apisix.admin-url", "http://a:9180", "--apisix.admin-key-file", "/nonexistent/key"],
            "--apisix.admin-key-file"
        ),
        (["--apisix.admin-url", "http://a:9180", "--kubeconfig", "/nonexistent/kubeconfig"], "--kubeconfig"),
        (["--no-such-flag"], "--no-such-flag"),
        (["--apisix.control-url", "ftp://x"], "--apisix.control-url"),
        (
            [
                "--apisix.admin-url", "http://a:9180", "--apisix.control-url", "http://a:9090",
                "--apisix.control-url", "http://b:9090",
            ],
            "--apisix.control-url"
        ),
        (["--apisix.admin-url", "http://a:9180", "--apisix.view", "workers"], "--apisix.view"),
        (["--apisix.admin-url", "http://a:9180", "--apisix.view", "control"], "--apisix.view"),
        (["--apisix.control-url", "http://a:9090", "--apisix.view", "admin"], "--apisix.view"),
        (["--apisix.discover-pods", "app=apisix"], "--apisix.namespace"),
        (["--apisix.admin-url", "http://a:9180", "--apisix.namespace", "apisix"], "--apisix.namespace"),
        (["--apisix.discover-pods", "app={apisix}", "--apisix.namespace", "apisix"], "--apisix.discover-pods"),
        (
            ["--apisix.discover-pods", "app=apisix", "--apisix.namespace", "apisix", "--apisix.admin-port", "99999"],
            "--apisix.admin-port"
        ),
        (
            ["--apisix.discover-pods", "app=apisix", "--apisix.namespace", "apisix", "--apisix.admin-scheme", "ftp"],
            "--apisix.admin-scheme"
        ),
        (
            ["--apisix.discover-pods", "app=apisix", "--apisix.namespace", "apisix", "--apisix.view", "control"],
            "--apisix.view"
        ),
        (["--apisix.etcd-endpoint", "etcd:2379"], "--apisix.etcd-endpoint"),
        (["--apisix.etcd-endpoint", "http://etcd:2379/v3"], "--apisix.etcd-endpoint"),
        (["--apisix.admin-url", "http://a:9180", "--apisix.etcd-prefix", "/apisix"], "--apisix.etcd-prefix"),
        (["--apisix.etcd-endpoint", "http://etcd:2379", "--apisix.etcd-prefix", "apisix"], "--apisix.etcd-prefix"),
        (["--apisix.etcd-endpoint", "http://etcd:2379", "--apisix.etcd-username", "u"], "--apisix.etcd-password-file"),
        (
            ["--apisix.etcd-endpoint", "http://etcd:2379", "--apisix.etcd-password-file", "/nonexistent/pw"],
            "--apisix.etcd-username"
        ),
        (
            [
                "--apisix.etcd-endpoint", "http://etcd:2379", "--apisix.etcd-username", "u",
                "--apisix.etcd-password-file", "/nonexistent/pw",
            ],
            "--apisix.etcd-password-file"
        ),
        (
            ["--apisix.etcd-endpoint", "http://etcd:2379", "--apisix.etcd-ca-file", "/x/ca.pem"],
            "--apisix.etcd-ca-file"
        ),
        (
            ["--apisix.etcd-endpoint", "https://etcd:2379", "--apisix.etcd-cert-file", "/x/c.pem"],
            "--apisix.etcd-cert-file"
        ),
        (
            ["--apisix.etcd-endpoint", "https://etcd:2379", "--apisix.etcd-ca-file", "/nonexistent/ca.pem"],
            "--apisix.etcd-ca-file"
        ),
        (
            ["--apisix.etcd-endpoint", "https://10.0.0.5:2379", "--apisix.etcd-tls-server-name", "10.0.0.5"],
            "--apisix.etcd-tls-server-name"
        ),
    ])
    func badFlagsPrintOneLineNamingTheFlagAndExitWith2(arguments: [String], flag: String) throws {
        let result = try Self.run(arguments)
        #expect(result.status == 2)
        let lines = result.stderr.split(separator: "\n")
        #expect(lines.count == 1, "stderr: \(result.stderr)")
        #expect(result.stderr.contains(flag))
    }

    @Test func theDemoRejectsAnUnknownSource() throws {
        let result = try Self.run(["demo", "--apisix.source", "standalone"])
        #expect(result.status == 2)
        #expect(result.stderr.contains("--apisix.source"))
    }

    /// The etcd source's flags pass `--check-flags`; the password never shows in the summary.
    @Test func etcdFlagsAreCheckedAndThePasswordNeverShown() throws {
        let result = try Self.run([
            "--check-flags", "--apisix.etcd-endpoint=http://etcd-0:2379", "--apisix.etcd-endpoint=http://etcd-1:2379",
            "--apisix.etcd-username=apisix", "--apisix.etcd-password-file=/nonexistent/pw",
        ])
        #expect(result.status == 0, "stderr: \(result.stderr)")
        #expect(result.stdout.contains("endpoints http://etcd-0:2379,http://etcd-1:2379 prefix /apisix"))
        #expect(result.stdout.contains("password (set)"))
        #expect(!result.stdout.contains("not read"))
    }

    /// The TLS server name shows in `--check-flags` (it is no secret).
    @Test func theEtcdTLSServerNameShowsInTheCheckedFlags() throws {
        let result = try Self.run([
            "--check-flags", "--apisix.etcd-endpoint=https://10.0.0.5:2379", "--apisix.etcd-ca-file=/nonexistent/ca",
            "--apisix.etcd-tls-server-name=apisix-etcd.apisix.svc",
        ])
        #expect(result.status == 0, "stderr: \(result.stderr)")
        #expect(result.stdout.contains("ca /nonexistent/ca server-name apisix-etcd.apisix.svc\n"))
    }

    /// `--check-flags` (what `.ci/check-deploy` runs on every kit's args) validates without files or a cluster.
    @Test func checkFlagsAcceptsValidFlagsWithoutReadingTheFilesTheyName() throws {
        let result = try Self.run([
            "--check-flags", "--apisix.admin-url=http://apisix-admin.apisix.svc:9180",
            "--apisix.admin-key-file=/nonexistent/key", "--web.config.file=/nonexistent/web.yml",
            "--kubeconfig=/nonexistent/kubeconfig", "--prestop-delay=5s",
        ])
        #expect(result.status == 0, "stderr: \(result.stderr)")
        #expect(result.stderr.isEmpty)
        #expect(result.stdout.hasPrefix("apisix-sync-exporter: flags ok\n"))
        #expect(result.stdout.contains("  apisix.admin-url: http://apisix-admin.apisix.svc:9180\n"))
        #expect(result.stdout.contains("  prestop-delay: 5s\n"))
        #expect(!result.stdout.contains("not read"))
    }

    @Test(arguments: [
        (["--apisix.admin-url", "http://a:9180", "--prestop-delay", "five"], "--prestop-delay"),
        (["--apisix.admin-url", "http://a:9180", "--apisix.view", "workers"], "--apisix.view"),
        (["--apisix.poll-interval", "5s"], "--apisix.admin-url"),
        (["--apisix.admin-url=http://a:9180", "--apisix.admin-keyfile=/k"], "--apisix.admin-keyfile"),
    ])
    func checkFlagsRejectsWhatServeRejects(arguments: [String], flag: String) throws {
        let result = try Self.run(["--check-flags"] + arguments)
        #expect(result.status == 2)
        #expect(result.stdout.isEmpty)
        #expect(result.stderr.split(separator: "\n").count == 1, "stderr: \(result.stderr)")
        #expect(result.stderr.contains(flag))
    }

    @Test func servesAgainstAClusterAndStopsCleanlyOnSIGTERM() async throws {
        let kubernetes = FakeKubernetesAPI()
        let apisix = FakeAPISIXAdmin(configuration: .init(apiKey: "s3cr3t-admin-key"))
        try await kubernetes.start()
        try await apisix.start()
        _ = kubernetes.apply(Cluster.slice("web-a", ready: [1, 2]))
        apisix.putUpstream(Cluster.upstream(nodes: [1, 2]))
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let kubeconfig = directory.appendingPathComponent("kubeconfig")
        try """
        apiVersion: v1
        kind: Config
        clusters: [{name: fake, cluster: {server: "\(kubernetes.baseURL)"}}]
        users: [{name: me, user: {}}]
        contexts: [{name: fake, context: {cluster: fake, user: me}}]
        current-context: fake
        """.write(to: kubeconfig, atomically: true, encoding: .utf8)
        let keyFile = directory.appendingPathComponent("admin-key")
        try "s3cr3t-admin-key\n".write(to: keyFile, atomically: true, encoding: .utf8)

        let process = Process()
        process.executableURL = URL(fileURLWithPath: Self.binary)
        process.arguments = [
            "--web.listen-address", "127.0.0.1:0", "--kubeconfig", kubeconfig.path,
            "--apisix.admin-url", apisix.baseURL, "--apisix.admin-key-file", keyFile.path,
            "--apisix.poll-interval", "1s", "--log.level", "debug", "--log.format", "json",
        ]
        let stderrText = Mutex("")
        let err = Pipe()
        process.standardError = err
        process.standardOutput = FileHandle.nullDevice
        err.fileHandleForReading.readabilityHandler = { handle in
            let data = handle.availableData
            stderrText.withLock { $0 += String(decoding: data, as: UTF8.self) }
        }
        try process.run()
        let http = HTTPClient(eventLoopGroupProvider: .singleton)
        do {
            // The bound port is in the server's start-up log line.
            var port: Int?
            let deadline = ContinuousClock.now + .seconds(20)
            while port == nil, ContinuousClock.now < deadline {
                port = stderrText.withLock { text in
                    text.range(of: #"listening on 127\.0\.0\.1:(\d+)"#, options: .regularExpression).flatMap {
                        Int(text[$0].split(separator: ":").last ?? "")
                    }
                }
                if port == nil { try await Task.sleep(for: .milliseconds(20)) }
            }
            let bound = try #require(port, "no listening line in: \(stderrText.withLock { $0 })")
            var ready = false
            while !ready, ContinuousClock.now < deadline {
                let response = try await http.execute(
                    HTTPClientRequest(url: "http://127.0.0.1:\(bound)/-/ready"),
                    timeout: .seconds(5)
                )
                ready = response.status == .ok
                if !ready { try await Task.sleep(for: .milliseconds(20)) }
            }
            #expect(ready)
            process.terminate()  // SIGTERM
            process.waitUntilExit()
            #expect(process.terminationReason == .exit)
            #expect(process.terminationStatus == 0)
            err.fileHandleForReading.readabilityHandler = nil
            let logs = stderrText.withLock { $0 }
            #expect(!logs.contains("s3cr3t-admin-key"), "the Admin API key leaked into the logs")
            #expect(logs.contains("\"msg\":\"source up\""))
        } catch {
            if process.isRunning { process.terminate() }
            try? await http.shutdown()
            await kubernetes.stop()
            await apisix.stop()
            throw error
        }
        try? await http.shutdown()
        await kubernetes.stop()
        await apisix.stop()
        try? FileManager.default.removeItem(at: directory)
    }
}
