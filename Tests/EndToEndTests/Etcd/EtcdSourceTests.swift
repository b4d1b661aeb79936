import Foundation
import Logging
import Synchronization
import TestSupport
import Testing

@testable import APISIXSyncExporter

/// The etcd source against a real etcd: the initial range, live changes written as APISIX's Admin API stores them,
/// a value that does not decode, compaction and re-read, an etcd restart, and authentication.
@Suite(.enabled(if: EtcdProcess.enabled, "etcd is not installed (apt-get install etcd-server)"), .serialized)
struct EtcdSourceTests {
    static func slice(ready: [Int], service: String = "web", subnet: String = "10.2.0") -> EndpointSlice {
        EndpointSlice(
            metadata: .init(name: "\(service)-a", namespace: "shop", labels: [EndpointSlice.serviceNameLabel: service]),
            endpoints: ready.map { .init(addresses: ["\(subnet).\($0)"], conditions: .init(ready: true)) },
            ports: [.init(name: "http", port: 8080)]
        )
    }

    /// A route with an inline upstream, as the Admin API stores it; its name maps it to Service `api`.
    static func route(ready: [Int]) -> String {
        let nodes = ready.map { #""10.3.0.\#($0):8080":1"# }.joined(separator: ",")
        return
            #"{"id":"api","uri":"/api/*","name":"shop_api_8080","upstream":{"type":"roundrobin","nodes":{\#(nodes)}},"#
            + #""create_time":1765000000,"update_time":1765000001}"#
    }

    /// An upstream as the Admin API stores it (3.14+: what the client sent, plus id and times).
    static func upstream(ready: [Int], id: String = "web") -> String {
        let nodes = ready.map { #"{"host":"10.2.0.\#($0)","port":8080,"weight":1}"# }.joined(separator: ",")
        return #"{"id":"\#(id)","name":"shop_web_8080","type":"roundrobin","nodes":[\#(nodes)],"#
            + #""create_time":1765000000,"update_time":1765000001}"#
    }

    /// A running source and what it records.
    final class Harness: Sendable {
        let tracker: SyncTracker
        let metrics: ExporterMetrics
        let name: String
        let records: AsyncStream<ChangeRecord>
        let task: Task<Void, any Error>
        let client: EtcdGatewayClient

        init(
            etcd: EtcdSettings,
            backoff: Backoff = Backoff(initial: 0.2, maximum: 0.5),
            willWatch: (@Sendable (Int64) async -> Void)? = nil
        ) async throws {
            var settings = ExporterSettings()
            settings.apisix.etcd = etcd
            settings.measurement.recommendation.minSamples = 1
            let target = try #require(EtcdSource.target(for: etcd))
            name = target.name
            metrics = ExporterMetrics(resolution: 0.1)
            tracker = SyncTracker(
                settings: settings.tracker,
                targets: [target],
                metrics: metrics,
                logger: Logger(label: "t")
            )
            let (stream, continuation) = AsyncStream<ChangeRecord>.makeStream()
            records = stream
            await tracker.setObserver { continuation.yield($0) }
            let clock = SystemWallClock()
            await tracker.kubernetesListed(
                [
                    EtcdSourceTests.slice(ready: [1, 2]),
                    EtcdSourceTests.slice(ready: [1, 2], service: "api", subnet: "10.3.0"),
                ],
                namespace: nil,
                at: clock.now()
            )
            client = try EtcdGatewayClient(settings: etcd)
            var source = EtcdSource(
                client: client,
                target: target,
                tracker: tracker,
                clock: clock,
                lookInterval: 0.1,
                backoff: backoff,
                logger: Logger(label: "t")
            )
            source.willWatch = willWatch
            task = Task { try await source.run() }
        }

        func stop() async {
            task.cancel()
            _ = try? await task.value
            await client.shutdown()
        }

        /// The source's health; waits (polling with a deadline) until `condition` holds.
        func waitForHealth(
            _ what: String,
            seconds: Double = 20,
            _ condition: (SourceHealth) -> Bool
        ) async throws -> SourceHealth {
            let deadline = Date().addingTimeInterval(seconds)
            while true {
                let health = await tracker.snapshot(at: 0, detail: .gauges).targets.first?.health ?? SourceHealth()
                if condition(health) { return health }
                guard Date() < deadline else { throw EtcdTestError("timed out waiting for \(what): \(health)") }
                try await Task.sleep(for: .milliseconds(20))
            }
        }

        func waitUntilReady() async throws {
            let deadline = Date().addingTimeInterval(20)
            while !(await tracker.isReady) {
                guard Date() < deadline else { throw EtcdTestError("not ready") }
                try await Task.sleep(for: .milliseconds(20))
            }
        }

        /// The next change that ends (within `seconds`).
        func nextRecord(seconds: Double = 10) async throws -> ChangeRecord {
            let records = self.records
            return try await withThrowingTaskGroup(of: ChangeRecord?.self) { group in
                group.addTask {
                    for await record in records { return record }
                    return nil
                }
                group.addTask {
                    try await Task.sleep(for: .seconds(seconds))
                    return nil
                }
                defer { group.cancelAll() }
                guard let record = try await group.next() ?? nil else { throw EtcdTestError("no change ended") }
                return record
            }
        }

        /// Starts a removal of node 10.2.0.2 in Kubernetes now.
        func removeNodeTwo() async {
            await tracker.kubernetesEvent(.modified(EtcdSourceTests.slice(ready: [1])), at: SystemWallClock().now())
        }

        func errors(_ reason: SourceFailure.Reason) -> Bool {
            metrics.text().contains(#"reason="\#(reason.rawValue)""#)
        }
    }

    @Test func theInitialRangeAndLiveChangesAreTimedAsEventsArrive() async throws {
        let etcd = try await EtcdProcess.start()
        defer { etcd.stop() }
        try await etcd.put("/apisix/upstreams/web", Self.upstream(ready: [1, 2]))
        try await etcd.put("/apisix/routes/api", Self.route(ready: [1, 2]))
        try await etcd.put("/apisix/plugins", #"[{"name":"prometheus"}]"#)  // other keys under the prefix
        let harness = try await Harness(etcd: EtcdSettings(endpoints: [etcd.endpoint]))
        try await harness.waitUntilReady()
        let state = await harness.tracker.state(at: SystemWallClock().now())
        #expect(state.upstreams.map(\.id) == ["route/api", "web"])

        await harness.removeNodeTwo()
        let written = SystemWallClock().now()
        try await etcd.put("/apisix/upstreams/web", Self.upstream(ready: [1]))
        let record = try await harness.nextRecord()
        #expect(record.outcome == .synced)
        #expect(record.node == NodeAddress(host: "10.2.0.2", port: 8080))
        let lag = try #require(record.lag)
        // Timed when the event arrived: after the write, within a fraction of a second on loopback.
        #expect(lag >= 0 && lag < 0.5)
        #expect(record.time >= written)

        // A route's inline upstream, as the Admin API stores it.
        await harness.tracker.kubernetesEvent(
            .modified(Self.slice(ready: [1], service: "api", subnet: "10.3.0")),
            at: SystemWallClock().now()
        )
        try await etcd.put("/apisix/routes/api", Self.route(ready: [1]))
        let routeRecord = try await harness.nextRecord()
        #expect(routeRecord.outcome == .synced)
        #expect(routeRecord.node == NodeAddress(host: "10.3.0.2", port: 8080))
        let ids = await harness.tracker.state(at: SystemWallClock().now()).upstreams.map(\.id)
        #expect(ids == ["route/api", "web"])
        await harness.stop()
    }

    /// A range read in pages continues after the last key, at the first page's revision.
    @Test func theRangeIsReadInPagesAtOneRevision() async throws {
        let etcd = try await EtcdProcess.start()
        defer { etcd.stop() }
        for id in 1...5 { try await etcd.put("/apisix/upstreams/u\(id)", Self.upstream(ready: [1], id: "u\(id)")) }
        let revision = try await etcd.put("/apisix/routes/r", Self.route(ready: [1]))
        try await etcd.put("/apisixx/not-under-the-prefix", "{}")
        var settings = EtcdSettings(endpoints: [etcd.endpoint])
        settings.pageSize = 2
        let client = try EtcdGatewayClient(settings: settings)
        let read = try await client.rangeAll(EtcdStoredObjects(prefix: "/apisix").keyRange)
        await client.shutdown()
        // In key order, each key once, nothing outside the prefix.
        #expect(read.kvs.map(\.key) == ["/apisix/routes/r"] + (1...5).map { "/apisix/upstreams/u\($0)" })
        #expect(read.revision == revision + 1)
    }

    @Test func aValueThatDoesNotDecodeIsCountedAndEndsNoChange() async throws {
        let etcd = try await EtcdProcess.start()
        defer { etcd.stop() }
        try await etcd.put("/apisix/upstreams/web", Self.upstream(ready: [1, 2]))
        let harness = try await Harness(etcd: EtcdSettings(endpoints: [etcd.endpoint]))
        try await harness.waitUntilReady()
        await harness.removeNodeTwo()
        try await etcd.put("/apisix/upstreams/web", #"{"id":"web","name":"shop_web_8080","nodes":5}"#)
        try await etcd.put("/apisix/upstreams/web", Self.upstream(ready: [1]))
        let record = try await harness.nextRecord()
        // The bad value was skipped: the change ended with the good write after it, exactly.
        #expect(record.outcome == .synced)
        #expect(harness.errors(.badResponse))
        await harness.stop()
    }

    @Test func aCompactedRevisionIsReadAgainAndThePendingChangeCensored() async throws {
        let etcd = try await EtcdProcess.start()
        defer { etcd.stop() }
        try await etcd.put("/apisix/upstreams/web", Self.upstream(ready: [1, 2]))
        let shared = Shared()
        // Before the first watch opens: the change lands and is compacted away, so the watch from the read's
        // revision + 1 is cancelled and the source reads the prefix again.
        let harness = try await Harness(etcd: EtcdSettings(endpoints: [etcd.endpoint])) { start in
            let first = shared.watches.withLock { count in
                count += 1
                return count == 1
            }
            guard first, let tracker = shared.tracker.withLock({ $0 }) else { return }
            await tracker.kubernetesEvent(.modified(EtcdSourceTests.slice(ready: [1])), at: SystemWallClock().now())
            do {
                try await etcd.put("/apisix/upstreams/web", EtcdSourceTests.upstream(ready: [1]))
                let revision = try await etcd.put("/apisix/other", "{}")
                try await etcd.compact(revision)
            } catch {
                Issue.record("compaction setup failed: \(error)")
            }
        }
        shared.tracker.withLock { $0 = harness.tracker }
        let record = try await harness.nextRecord()
        #expect(record.outcome == .censored)
        #expect(harness.errors(.expired))

        // Watching again after the re-read: the next change is exact.
        await harness.tracker.kubernetesEvent(.modified(Self.slice(ready: [1, 2])), at: SystemWallClock().now())
        try await etcd.put("/apisix/upstreams/web", Self.upstream(ready: [1, 2]))
        let next = try await harness.nextRecord()
        #expect(next.outcome == .synced)
        #expect(shared.watches.withLock { $0 } == 2)
        await harness.stop()
    }

    final class Shared: Sendable {
        let watches = Mutex(0)
        let tracker = Mutex<SyncTracker?>(nil)
    }

    @Test func anEtcdRestartIsSurvived() async throws {
        let etcd = try await EtcdProcess.start()
        defer { etcd.stop() }
        try await etcd.put("/apisix/upstreams/web", Self.upstream(ready: [1, 2]))
        let harness = try await Harness(etcd: EtcdSettings(endpoints: [etcd.endpoint]))
        try await harness.waitUntilReady()
        etcd.stop()
        let down = try await harness.waitForHealth("source down") { !$0.up }
        #expect(down.lastFailure != nil)
        try await etcd.launch()
        _ = try await harness.waitForHealth("source up") { $0.up }
        await harness.removeNodeTwo()
        try await etcd.put("/apisix/upstreams/web", Self.upstream(ready: [1]))
        let record = try await harness.nextRecord()
        #expect(record.outcome == .synced)
        await harness.stop()
    }

    @Test func aMemberThatIsDownHandsOverToTheNext() async throws {
        let etcd = try await EtcdProcess.start()
        defer { etcd.stop() }
        try await etcd.put("/apisix/upstreams/web", Self.upstream(ready: [1, 2]))
        let nobody = "http://127.0.0.1:\(try await EtcdProcess.freePort())"
        let harness = try await Harness(etcd: EtcdSettings(endpoints: [nobody, etcd.endpoint]))
        try await harness.waitUntilReady()
        #expect(harness.errors(.connection))
        await harness.stop()
    }

    @Test func authenticationWithTheRightAndWrongPasswords() async throws {
        let etcd = try await EtcdProcess.start()
        defer { etcd.stop() }
        try await etcd.put("/apisix/upstreams/web", Self.upstream(ready: [1, 2]))
        let root = try await etcd.enableAuth(users: [
            ("apisix", "s3cret pass", true), ("stranger", "pw", false),
        ])

        var wrong = EtcdSettings(endpoints: [etcd.endpoint])
        wrong.username = "apisix"
        wrong.password = "not-it"
        let rejected = try await Harness(etcd: wrong)
        let failure = try await rejected.waitForHealth("a failure") { $0.lastFailure != nil }.lastFailure
        #expect(failure?.reason == .unauthorized)
        #expect(failure?.message.contains("authentication failed") == true)
        #expect(failure?.message.contains("not-it") == false)
        #expect(!(await rejected.tracker.isReady))
        await rejected.stop()

        var stranger = EtcdSettings(endpoints: [etcd.endpoint])
        stranger.username = "stranger"
        stranger.password = "pw"
        let denied = try await Harness(etcd: stranger)
        let deniedFailure = try await denied.waitForHealth("a failure") { $0.lastFailure != nil }.lastFailure
        #expect(deniedFailure?.reason == .forbidden)
        await denied.stop()

        let anonymous = try await Harness(etcd: EtcdSettings(endpoints: [etcd.endpoint]))
        let anonymousFailure = try await anonymous.waitForHealth("a failure") { $0.lastFailure != nil }.lastFailure
        #expect(anonymousFailure?.message.contains("--apisix.etcd-username") == true)
        await anonymous.stop()

        var right = EtcdSettings(endpoints: [etcd.endpoint])
        right.username = "apisix"
        right.password = "s3cret pass"
        let harness = try await Harness(etcd: right)
        try await harness.waitUntilReady()
        await harness.removeNodeTwo()
        try await etcd.put("/apisix/upstreams/web", Self.upstream(ready: [1]), token: root)
        let record = try await harness.nextRecord()
        #expect(record.outcome == .synced)
        await harness.stop()
    }

    /// A password change invalidates the user's tokens (even to the same password): after a restart the watch is
    /// refused with the old token, and the source authenticates again and goes on.
    @Test func aTokenLostInARestartIsAcquiredAgain() async throws {
        let etcd = try await EtcdProcess.start()
        defer { etcd.stop() }
        try await etcd.put("/apisix/upstreams/web", Self.upstream(ready: [1, 2]))
        _ = try await etcd.enableAuth(users: [("apisix", "pw", true)])
        var settings = EtcdSettings(endpoints: [etcd.endpoint])
        settings.username = "apisix"
        settings.password = "pw"
        let harness = try await Harness(etcd: settings)
        try await harness.waitUntilReady()
        let root = try await etcd.call("auth/authenticate", ["name": "root", "password": "rootpw"])["token"] as? String
        try await etcd.call("auth/user/changepw", ["name": "apisix", "password": "pw"], token: root)
        etcd.stop()
        _ = try await harness.waitForHealth("source down") { !$0.up }
        try await etcd.launch()
        _ = try await harness.waitForHealth("source up") { $0.up }
        let rootAgain = try await etcd.call("auth/authenticate", ["name": "root", "password": "rootpw"])["token"]
        await harness.removeNodeTwo()
        try await etcd.put("/apisix/upstreams/web", Self.upstream(ready: [1]), token: rootAgain as? String)
        let record = try await harness.nextRecord()
        #expect(record.outcome == .synced)
        #expect(harness.errors(.unauthorized))
        await harness.stop()
    }

    /// https members with a CA the test makes. (etcd 3.4's gateway itself fails with `--client-cert-auth`: it
    /// dials its own gRPC server without a client certificate and answers "connection closed"; the client
    /// certificate flags are loaded and presented here, but etcd does not require them.)
    @Test(.enabled(if: WebConfigTestCA.openssl != nil || ExternalTool.isCI, "openssl is not installed"))
    func tlsWithTheTestsCAAndAClientCertificate() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("etcd-tls-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let ca = try WebConfigTestCA.make("etcd", in: directory.path)
        let server = try ca.issue("server", usage: "serverAuth")
        let client = try ca.issue("client", usage: "clientAuth")
        let other = try WebConfigTestCA.make("other", in: directory.path)
        let etcd = try await EtcdProcess.start(
            tls: .init(certificate: server.certificate, key: server.key, clientCA: nil)
        )
        defer { etcd.stop() }
        try await etcd.put("/apisix/upstreams/web", Self.upstream(ready: [1, 2]))

        // A CA that did not sign etcd's certificate: one TLS error, nothing recorded.
        var untrusted = EtcdSettings(endpoints: [etcd.tlsEndpoint])
        untrusted.caFile = other.certificate
        untrusted.certFile = client.certificate
        untrusted.keyFile = client.key
        let rejected = try await Harness(etcd: untrusted)
        let failure = try await rejected.waitForHealth("a failure") { $0.lastFailure != nil }.lastFailure
        #expect(failure?.reason == .connection)
        #expect(!(await rejected.tracker.isReady))
        await rejected.stop()

        var trusted = EtcdSettings(endpoints: [etcd.tlsEndpoint])
        trusted.caFile = ca.certificate
        trusted.certFile = client.certificate
        trusted.keyFile = client.key
        let harness = try await Harness(etcd: trusted)
        try await harness.waitUntilReady()
        await harness.removeNodeTwo()
        try await etcd.put("/apisix/upstreams/web", Self.upstream(ready: [1]))
        let record = try await harness.nextRecord()
        #expect(record.outcome == .synced)
        await harness.stop()
    }

    /// Members reached by an address their certificate does not hold (it holds the DNS name `etcd.test` only):
    /// without `--apisix.etcd-tls-server-name` the handshake fails on the name, one clear error and nothing recorded;
    /// with it the requests go to each member's own address with the name as SNI and `Host`, and the certificate is
    /// checked against the name; a member that is down hands over to the next as before.
    @Test(.enabled(if: WebConfigTestCA.openssl != nil || ExternalTool.isCI, "openssl is not installed"))
    func aTLSServerNameOtherThanTheMembersAddress() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("etcd-sni-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let ca = try WebConfigTestCA.make("etcd", in: directory.path)
        let server = try ca.issue("server", usage: "serverAuth", names: "DNS:etcd.test")
        let etcd = try await EtcdProcess.start(
            tls: .init(certificate: server.certificate, key: server.key, clientCA: nil)
        )
        defer { etcd.stop() }
        try await etcd.put("/apisix/upstreams/web", Self.upstream(ready: [1, 2]))

        var byAddress = EtcdSettings(endpoints: [etcd.tlsEndpoint])
        byAddress.caFile = ca.certificate
        byAddress.requestTimeout = 3  // AHC retries a failed handshake until the request's deadline
        let rejected = try await Harness(etcd: byAddress)
        let failure = try await rejected.waitForHealth("a failure") { $0.lastFailure != nil }.lastFailure
        #expect(failure?.reason == .connection)
        #expect(failure?.message.contains("is not valid for 127.0.0.1") == true, "\(String(describing: failure))")
        #expect(failure?.message.contains("--apisix.etcd-tls-server-name") == true)
        #expect(!(await rejected.tracker.isReady))
        #expect(await rejected.tracker.state(at: SystemWallClock().now()).upstreams.isEmpty)
        await rejected.stop()

        // A wrong name is the same clear error, naming it.
        var wrongName = byAddress
        wrongName.tlsServerName = "other.test"
        let wrong = try await Harness(etcd: wrongName)
        let wrongFailure = try await wrong.waitForHealth("a failure") { $0.lastFailure != nil }.lastFailure
        #expect(wrongFailure?.message.contains("is not valid for other.test") == true)
        #expect(!(await wrong.tracker.isReady))
        await wrong.stop()

        let down = "https://127.0.0.1:\(try await EtcdProcess.freePort())"
        var named = byAddress
        named.endpoints = [down, etcd.tlsEndpoint]
        named.tlsServerName = "etcd.test"
        let harness = try await Harness(etcd: named)
        let bases = await harness.client.members.map(\.base)
        #expect(bases == [down, etcd.tlsEndpoint].map { $0.replacingOccurrences(of: "127.0.0.1", with: "etcd.test") })
        try await harness.waitUntilReady()
        #expect(harness.errors(.connection))  // the member that is down, first
        #expect(await harness.client.endpoint == etcd.tlsEndpoint)
        let ids = await harness.tracker.state(at: SystemWallClock().now()).upstreams.map(\.id)
        #expect(ids == ["web"])
        await harness.removeNodeTwo()
        try await etcd.put("/apisix/upstreams/web", Self.upstream(ready: [1]))
        let record = try await harness.nextRecord()
        #expect(record.outcome == .synced)
        #expect(record.node == NodeAddress(host: "10.2.0.2", port: 8080))
        await harness.stop()
    }

    /// A stream cut inside a message resumes from the last revision + 1 (a scripted gateway: etcd does not cut on
    /// demand); the event before the cut counts.
    @Test func aStreamCutMidMessageResumesFromTheNextRevision() async throws {
        let gateway = try await FakeEtcdGateway.start()
        let harness = try await Harness(etcd: EtcdSettings(endpoints: [gateway.endpoint]))
        await harness.removeNodeTwo()  // before the read: the event at revision 6 reflects it
        _ = try await harness.waitForHealth("the watch again") { health in
            health.up && gateway.box.watchBodies.withLock { $0.count } == 2
        }
        #expect(harness.errors(.streamCut))
        let bodies = gateway.box.watchBodies.withLock { $0 }
        #expect(bodies.first?.contains(#""start_revision":"6""#) == true)
        #expect(bodies.last?.contains(#""start_revision":"7""#) == true)
        #expect(bodies.first?.contains(#""progress_notify":true"#) == true)
        let nodes = await harness.tracker.state(at: SystemWallClock().now()).upstreams.first { $0.id == "web" }?.nodes
        #expect(nodes == ["10.2.0.1:8080"])
        await harness.stop()
        await gateway.stop()
    }

    @Test func aServerThatIsNotEtcdIsOneClearError() async throws {
        // The tests' scripted HTTP server answers 404 with a plain body, as a wrong URL would.
        let server = try await ScriptedHTTPServer.start()
        let harness = try await Harness(etcd: EtcdSettings(endpoints: ["http://127.0.0.1:\(server.port)"]))
        let failure = try await harness.waitForHealth("a failure") { $0.lastFailure != nil }.lastFailure
        #expect(failure?.message.contains("not an etcd v3 JSON gateway") == true)
        #expect(!(await harness.tracker.isReady))
        await harness.stop()
        await server.stop()
    }
}
