import Foundation
import Hummingbird
import Logging
import NIOSSL
import Synchronization
import TestSupport
import Testing

@testable import APISIXSyncExporter

/// TLS, client certificates, basic auth and the request limit over real loopback sockets, with certificates made by
/// the `openssl` CLI at test time (required in CI).
@Suite(.enabled(if: ExternalTool.isCI || WebConfigTestCA.openssl != nil, "openssl is not installed"))
struct WebConfigEndToEndTests {
    typealias Bcrypt = WebConfigBcryptTests

    /// A CA, a server certificate, a client certificate from the same CA and one from an unrelated CA.
    struct PKI {
        let directory: String
        let ca: WebConfigTestCA
        let server: (certificate: String, key: String)
        let client: (certificate: String, key: String)
        let strangerCA: WebConfigTestCA
        let stranger: (certificate: String, key: String)

        init() throws {
            directory = try WebConfigTestFiles.temporaryDirectory()
            ca = try .make("main", in: directory)
            server = try ca.issue("server", usage: "serverAuth")
            client = try ca.issue("client", usage: "clientAuth")
            strangerCA = try .make("stranger", in: directory)
            stranger = try strangerCA.issue("stranger-client", usage: "clientAuth")
        }

        /// Writes `web.yml` and returns a store on it that re-checks on every request.
        func store(_ yaml: String) throws -> WebConfigStore {
            try WebConfigTestFiles.write(yaml, to: directory + "/web.yml")
            return try WebConfigTestServer.store(directory + "/web.yml")
        }

        func tlsSection(_ extra: String = "") -> String {
            "tls_server_config:\n  cert_file: server.crt\n  key_file: server.key\n" + extra
        }
    }

    @Test func servesHTTPSWithTheConfiguredCertificate() async throws {
        let pki = try PKI()
        defer { WebConfigTestFiles.remove(pki.directory) }
        let server = try await WebConfigTestServer.start(webConfig: try pki.store(pki.tlsSection()))
        do {
            let trusted = try WebConfigTestClient.tls(trusting: pki.ca.certificate)
            let reply = try await WebConfigTestClient.get("https://127.0.0.1:\(server.port)/metrics", tls: trusted)
            #expect(reply.status == 200)
            #expect(reply.body.contains("apisix_sync_"))
            let named = try await WebConfigTestClient.get("https://localhost:\(server.port)/-/healthy", tls: trusted)
            #expect(named.status == 200)
            // A client that does not trust the test CA refuses the handshake; plain HTTP gets no answer.
            let stranger = try WebConfigTestClient.tls(trusting: pki.strangerCA.certificate)
            await #expect(throws: (any Error).self) {
                _ = try await WebConfigTestClient.get("https://127.0.0.1:\(server.port)/metrics", tls: stranger)
            }
            await #expect(throws: (any Error).self) {
                _ = try await WebConfigTestClient.get("http://127.0.0.1:\(server.port)/metrics")
            }
        }
        await server.stop()
    }

    @Test func basicAuthGuardsEveryPath() async throws {
        let pki = try PKI()
        defer { WebConfigTestFiles.remove(pki.directory) }
        let store = try pki.store(
            pki.tlsSection()
                + "basic_auth_users:\n  prometheus: \(Bcrypt.prometheusHash)\n  alice: \(Bcrypt.aliceHash)\n"
        )
        let server = try await WebConfigTestServer.start(webConfig: store)
        do {
            let tls = try WebConfigTestClient.tls(trusting: pki.ca.certificate)
            let base = "https://127.0.0.1:\(server.port)"
            for path in ["/metrics", "/-/healthy", "/-/ready", "/api/v1/state", "/", "/no-such-page"] {
                let anonymous = try await WebConfigTestClient.get(base + path, tls: tls)
                #expect(anonymous.status == 401, "\(path)")
                #expect(anonymous.headers.first(name: "WWW-Authenticate") == "Basic", "\(path)")
            }
            let wrong = try await WebConfigTestClient.get(
                base + "/metrics",
                tls: tls,
                user: "prometheus",
                password: "scrape-me-8"
            )
            #expect(wrong.status == 401)
            #expect(wrong.headers.first(name: "WWW-Authenticate") == "Basic")
            #expect(!wrong.body.contains("apisix_sync_"))
            let unknownUser = try await WebConfigTestClient.get(
                base + "/metrics",
                tls: tls,
                user: "mallory",
                password: Bcrypt.prometheusPassword
            )
            #expect(unknownUser.status == 401)
            for _ in 0..<2 {  // the second time from the verifier's cache
                let right = try await WebConfigTestClient.get(
                    base + "/metrics",
                    tls: tls,
                    user: "prometheus",
                    password: Bcrypt.prometheusPassword
                )
                #expect(right.status == 200)
                #expect(right.body.contains("apisix_sync_"))
            }
            let alice = try await WebConfigTestClient.get(
                base + "/-/healthy",
                tls: tls,
                user: "alice",
                password: Bcrypt.alicePassword
            )
            #expect(alice.status == 200)
            let missing = try await WebConfigTestClient.get(
                base + "/no-such-page",
                tls: tls,
                user: "alice",
                password: Bcrypt.alicePassword
            )
            #expect(missing.status == 404)
        }
        await server.stop()
    }

    @Test func aRequiredClientCertificateIsEnforced() async throws {
        let pki = try PKI()
        defer { WebConfigTestFiles.remove(pki.directory) }
        let store = try pki.store(
            pki.tlsSection("  client_ca_file: main-ca.crt\n  client_auth_type: RequireAndVerifyClientCert\n")
        )
        let server = try await WebConfigTestServer.start(webConfig: store)
        do {
            let url = "https://127.0.0.1:\(server.port)/metrics"
            let withoutCertificate = try WebConfigTestClient.tls(trusting: pki.ca.certificate)
            await #expect(throws: (any Error).self) {
                _ = try await WebConfigTestClient.get(url, tls: withoutCertificate)
            }
            let strangerCertificate = try WebConfigTestClient.tls(
                trusting: pki.ca.certificate,
                certificate: pki.stranger
            )
            await #expect(throws: (any Error).self) {
                _ = try await WebConfigTestClient.get(url, tls: strangerCertificate)
            }
            let signed = try WebConfigTestClient.tls(trusting: pki.ca.certificate, certificate: pki.client)
            #expect(try await WebConfigTestClient.get(url, tls: signed).status == 200)
        }
        await server.stop()
    }

    @Test func optionalAndUnverifiedClientCertificates() async throws {
        let pki = try PKI()
        defer { WebConfigTestFiles.remove(pki.directory) }
        let plain = try WebConfigTestClient.tls(trusting: pki.ca.certificate)
        let signed = try WebConfigTestClient.tls(trusting: pki.ca.certificate, certificate: pki.client)
        let stranger = try WebConfigTestClient.tls(trusting: pki.ca.certificate, certificate: pki.stranger)
        // (client_auth_type, expected success without a certificate, with a signed one, with a stranger's)
        let cases: [(String, Bool, Bool, Bool)] = [
            ("VerifyClientCertIfGiven", true, true, false),
            ("RequireAnyClientCert", false, true, true),
            ("RequestClientCert", true, true, true),
            ("NoClientCert", true, true, true),
        ]
        for (type, bare, good, foreign) in cases {
            let ca = type.hasPrefix("Verify") ? "  client_ca_file: main-ca.crt\n" : ""
            let server = try await WebConfigTestServer.start(
                webConfig: try pki.store(pki.tlsSection(ca + "  client_auth_type: \(type)\n"))
            )
            let url = "https://127.0.0.1:\(server.port)/-/healthy"
            for (tls, expected, label) in [
                (plain, bare, "none"), (signed, good, "signed"), (stranger, foreign, "foreign"),
            ] {
                let status = try? await WebConfigTestClient.get(url, tls: tls).status
                #expect((status == 200) == expected, "\(type) with \(label) certificate: \(String(describing: status))")
            }
            await server.stop()
        }
    }

    @Test func minVersionTLS13RefusesTLS12Clients() async throws {
        let pki = try PKI()
        defer { WebConfigTestFiles.remove(pki.directory) }
        let server = try await WebConfigTestServer.start(
            webConfig: try pki.store(pki.tlsSection("  min_version: TLS13\n"))
        )
        do {
            let url = "https://127.0.0.1:\(server.port)/-/healthy"
            let old = try WebConfigTestClient.tls(trusting: pki.ca.certificate, maximumVersion: .tlsv12)
            await #expect(throws: (any Error).self) { _ = try await WebConfigTestClient.get(url, tls: old) }
            let current = try WebConfigTestClient.tls(trusting: pki.ca.certificate)
            #expect(try await WebConfigTestClient.get(url, tls: current).status == 200)
        }
        await server.stop()
    }

    /// The exporter's wiring of `--web.max-requests`: six concurrent requests with wrong passwords, each holding its
    /// slot for a cost-14 bcrypt (about a second, off the concurrency pool), while the limit is 1: the ones that
    /// arrive while another is checked get 503. (`theLimitCountsRequestsInFlightAndExemptsProbes` checks the
    /// counting itself without timing.)
    @Test func requestsBeyondMaxRequestsGet503() async throws {
        let directory = try WebConfigTestFiles.temporaryDirectory()
        defer { WebConfigTestFiles.remove(directory) }
        try WebConfigTestFiles.write("basic_auth_users:\n  slow: \(Bcrypt.slowHash)\n", to: directory + "/web.yml")
        let server = try await WebConfigTestServer.start(
            webConfig: try WebConfigTestServer.store(directory + "/web.yml"),
            maxRequests: 1
        )
        do {
            let url = "http://127.0.0.1:\(server.port)/metrics"
            let statuses = try await withThrowingTaskGroup(of: Int.self) { group in
                for attempt in 0..<6 {
                    group.addTask {
                        try await WebConfigTestClient.get(url, user: "slow", password: "wrong-\(attempt)").status
                    }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(statuses.contains(503), "\(statuses)")
            #expect(statuses.contains(401), "\(statuses)")
            #expect(statuses.allSatisfy { $0 == 401 || $0 == 503 }, "\(statuses)")
            let right = try await WebConfigTestClient.get(url, user: "slow", password: Bcrypt.slowPassword)
            #expect(right.status == 200)
        }
        await server.stop()
    }

    /// The limit middleware on its own, deterministically: requests parked on a gate fill the slots.
    @Test func theLimitCountsRequestsInFlightAndExemptsProbes() async throws {
        let gate = Gate()
        let router = Router()
        router.add(middleware: RequestLimitMiddleware(limit: 2))
        router.get("/slow") { _, _ -> String in
            await gate.wait()
            return "done"
        }
        router.get("/-/healthy") { _, _ in "Healthy" }
        let (ports, continuation) = AsyncStream.makeStream(of: Int.self)
        let app = Application(
            router: router,
            configuration: .init(address: .hostname("127.0.0.1", port: 0)),
            onServerRunning: { channel in
                continuation.yield(channel.localAddress?.port ?? 0)
                continuation.finish()
            },
            logger: {
                var logger = Logger(label: "webconfig-test")
                logger.logLevel = .critical
                return logger
            }()
        )
        let task = Task { try await app.run() }
        var iterator = ports.makeAsyncIterator()
        let port = try #require(await iterator.next())
        let base = "http://127.0.0.1:\(port)"
        async let a = WebConfigTestClient.get(base + "/slow")
        async let b = WebConfigTestClient.get(base + "/slow")
        try await gate.waitForWaiters(2)
        let third = try await WebConfigTestClient.get(base + "/slow")
        #expect(third.status == 503)
        #expect(third.body.contains("Limit of concurrent requests reached (2)"))
        #expect(try await WebConfigTestClient.get(base + "/-/healthy").status == 200)
        gate.open()
        #expect(try await [a, b].map(\.status) == [200, 200])
        #expect(try await WebConfigTestClient.get(base + "/slow").status == 200)
        task.cancel()
        _ = await task.result
    }

    /// The `serve` wiring: `ExporterSettings.webConfigFile` through `Exporter.run`.
    @Test func theServePathUsesTheWebConfigFile() async throws {
        let pki = try PKI()
        defer { WebConfigTestFiles.remove(pki.directory) }
        try WebConfigTestFiles.write(
            pki.tlsSection() + "basic_auth_users:\n  alice: \(Bcrypt.aliceHash)\n",
            to: pki.directory + "/web.yml"
        )
        let webConfigFile = pki.directory + "/web.yml"
        let harness = try await ExporterHarness.start(
            configure: { $0.web.configFile = webConfigFile },
            prepare: { _, _ in }
        )
        do {
            let tls = try WebConfigTestClient.tls(trusting: pki.ca.certificate)
            let url = "https://127.0.0.1:\(harness.port)/metrics"
            #expect(try await WebConfigTestClient.get(url, tls: tls).status == 401)
            let reply = try await WebConfigTestClient.get(url, tls: tls, user: "alice", password: Bcrypt.alicePassword)
            #expect(reply.status == 200)
            #expect(reply.body.contains("apisix_sync_build_info"))
        }
        await harness.stop()
    }
}

/// Parks requests until opened.
final class Gate: Sendable {
    private let state = Mutex<(open: Bool, waiters: [CheckedContinuation<Void, Never>], arrived: Int)>(
        (false, [], 0)
    )

    func wait() async {
        await withCheckedContinuation { continuation in
            let resume = state.withLock { state -> Bool in
                state.arrived += 1
                if state.open { return true }
                state.waiters.append(continuation)
                return false
            }
            if resume { continuation.resume() }
        }
    }

    func open() {
        let waiters = state.withLock { state in
            state.open = true
            defer { state.waiters = [] }
            return state.waiters
        }
        for waiter in waiters { waiter.resume() }
    }

    func waitForWaiters(_ count: Int) async throws {
        let deadline = ContinuousClock.now + .seconds(10)
        while state.withLock({ $0.arrived }) < count {
            guard ContinuousClock.now < deadline else { throw HarnessError("requests did not arrive") }
            try await Task.sleep(for: .milliseconds(5))
        }
    }
}
