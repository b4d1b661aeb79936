import Foundation
import SimulatedCluster
import Testing

@testable import APISIXSyncExporter

/// The APISIX rows of the fault matrix (`docs/reliability.md`): each fault is injected while a change is in flight,
/// another change happens while it lasts (after which at least one more request fails), APISIX reflects both while
/// the fault lasts, and both end censored between the last look before and the first look after the fault; a change
/// after the fault is timed.
@Suite(.serialized) struct APISIXFaultTests {
    /// One row: inject, check the source is down with `reason`, change, reflect, clear, check, resume.
    func row(
        reason: String,
        configure: (inout ExporterSettings) -> Void = { _ in },
        inject: (ExporterHarness) async throws -> Void,
        clear: (ExporterHarness) async throws -> Void
    ) async throws {
        try await FaultMatrix.scenario(configure: configure) { h in
            try await FaultMatrix.startChangeInFlight(h)
            try await inject(h)
            try await h.waitForFault("apisix", reason: reason)
            _ = h.kubernetes.apply(FaultMatrix.sliceWithoutPod4)
            try await h.waitForPending("web", change: "remove", count: 2)
            let before = try await h.errors("apisix", reason)
            try await h.waitForFault("apisix", reason: reason, after: before)
            FaultMatrix.reflectBoth(h)
            try await clear(h)
            try await FaultMatrix.expectCensored(h)
            try await FaultMatrix.expectResumed(h)
        }
    }

    @Test(arguments: [(429, "rate_limited"), (503, "server_error")])
    func throttlingHonoursRetryAfter(status: Int, reason: String) async throws {
        try await FaultMatrix.scenario { h in
            try await FaultMatrix.startChangeInFlight(h)
            try await h.apisix.setFault(.throttled(status, retryAfterSeconds: 2))
            try await h.waitForFault("apisix", reason: reason)
            let first = try await h.errors("apisix", reason)
            let seen = ContinuousClock.now
            try await h.waitForFault("apisix", reason: reason, after: first + 1)
            // Two more refusals, each after the 2 s the server asked for (the backoff alone: 0.25 s, then 0.5 s).
            #expect(ContinuousClock.now - seen >= .seconds(3.5))
            _ = h.kubernetes.apply(FaultMatrix.sliceWithoutPod4)
            try await h.waitForPending("web", change: "remove", count: 2)
            FaultMatrix.reflectBoth(h)
            try await h.apisix.setFault(.none)
            try await FaultMatrix.expectCensored(h)
            try await FaultMatrix.expectResumed(h)
        }
    }

    @Test func connectionRefused() async throws {
        try await row(reason: "connection") {
            try await $0.apisix.setFault(.refuseConnections)
        } clear: {
            try await $0.apisix.setFault(.none)
        }
    }

    @Test func requestsThatTimeOut() async throws {
        let shortTimeout: (inout ExporterSettings) -> Void = { $0.apisix.client.requestTimeout = 0.5 }
        try await row(reason: "timeout", configure: shortTimeout) {
            try await $0.apisix.setFault(.delay(.seconds(2)))
        } clear: {
            try await $0.apisix.setFault(.none)
        }
    }

    @Test func aWrongKeyIsUnauthorizedWithAClearLogLine() async throws {
        let logs = CapturedLogs()
        try await FaultMatrix.scenario(logger: logs.logger(level: .info)) { h in
            try await FaultMatrix.startChangeInFlight(h)
            h.apisix.apiKey = "a-rotated-admin-key"  // APISIX's key changed; the exporter still sends the old one
            try await h.waitForFault("apisix", reason: "unauthorized")
            _ = h.kubernetes.apply(FaultMatrix.sliceWithoutPod4)
            try await h.waitForPending("web", change: "remove", count: 2)
            let before = try await h.errors("apisix", "unauthorized")
            try await h.waitForFault("apisix", reason: "unauthorized", after: before)
            FaultMatrix.reflectBoth(h)
            h.apisix.apiKey = ExporterHarness.apiKey
            try await FaultMatrix.expectCensored(h)
            try await FaultMatrix.expectResumed(h)
        }
        let down = logs.all.filter { $0.contains("source down") && $0.contains("source=apisix") }
        #expect(down.count == 1, "one line per transition: \(down)")
        let line = try #require(down.first)
        #expect(line.hasPrefix("warning "))
        #expect(line.contains("unauthorized: HTTP 401"))
        #expect(line.contains("--apisix.admin-key-file"))
        #expect(!logs.text.contains(ExporterHarness.apiKey))
    }

    @Test func notFound() async throws {
        try await row(reason: "not_found") {
            try await $0.apisix.setFault(.status(404))
        } clear: {
            try await $0.apisix.setFault(.none)
        }
    }

    @Test(arguments: [500, 503])
    func serverErrors(status: Int) async throws {
        try await row(reason: "server_error") {
            try await $0.apisix.setFault(.status(status))
        } clear: {
            try await $0.apisix.setFault(.none)
        }
    }

    @Test func anHTMLErrorPage() async throws {
        try await row(reason: "server_error") {
            try await $0.apisix.setFault(.htmlErrorPage(502))
        } clear: {
            try await $0.apisix.setFault(.none)
        }
    }

    @Test func truncatedJSON() async throws {
        try await row(reason: "bad_response") {
            try await $0.apisix.setFault(.truncatedJSON)
        } clear: {
            try await $0.apisix.setFault(.none)
        }
    }

    @Test func aBodyAboveTheResponseLimit() async throws {
        let padding = String(repeating: "x", count: 200)
        let smallLimit: (inout ExporterSettings) -> Void = { $0.apisix.client.maxResponseBytes = 8 * 1024 }
        // The upstream's own GET outgrows the limit too: with only the list too large, the fast polls of the pending
        // upstream still succeed and may time both changes exactly, depending on where the reflection falls between
        // a failed list and a good single GET (correct either way, but not this row's fixed expectation).
        let longDesc = String(repeating: "d", count: 9 * 1024)
        try await row(reason: "too_large", configure: smallLimit) { h in
            // Someone writes a long `desc` on the upstream and adds 60 upstreams: the upstream and the full list
            // outgrow --apisix.max-response-bytes.
            try Self.setDesc(longDesc, h)
            for n in 0..<60 {
                h.apisix.putUpstream(
                    Cluster.upstream(id: .string("big-\(n)"), name: "big_\(n)_\(padding)", nodes: [100 + n])
                )
            }
        } clear: { h in
            for n in 0..<60 { _ = h.apisix.deleteUpstream(id: .string("big-\(n)")) }
            try Self.setDesc(nil, h)
        }
    }

    /// Rewrites the watched upstream with `desc`, keeping its nodes.
    static func setDesc(_ desc: String?, _ h: ExporterHarness) throws {
        var upstream = try #require(h.apisix.upstream(id: FaultMatrix.upstreamID))
        upstream.desc = desc
        h.apisix.putUpstream(upstream)
    }

    @Test func aWrongKeyAtStartUpKeepsTheExporterNotReady() async throws {
        let harness = try await ExporterHarness.start { kubernetes, apisix in
            _ = kubernetes.apply(Cluster.slice("web-a", ready: [1]))
            apisix.putUpstream(Cluster.upstream(nodes: [1]))
            apisix.apiKey = "not-the-key-the-exporter-has"
        }
        do {
            try await harness.waitForFault("apisix", reason: "unauthorized", ready: false)
            harness.apisix.apiKey = ExporterHarness.apiKey
            try await harness.waitUntilReady()
            try await harness.waitForSource("apisix", up: true)
        } catch {
            await harness.stop()
            throw error
        }
        await harness.stop()
    }

    @Test func nodesThatChangeShapeBetweenPollsAreTheSameNodes() async throws {
        try await FaultMatrix.scenario { h in
            // The same five nodes written as a hash `{"ip:port": weight}`: nothing changed.
            h.apisix.setNodes(id: FaultMatrix.upstreamID, nodes: Cluster.nodes([1, 2, 3, 4, 5]), shape: .hash)
            try await h.apisix.waitForListRequests(atLeast: h.apisix.statistics.listRequests + 2)
            // A removal reflected in the hash shape, then the same nodes back as an array: timed once.
            try await FaultMatrix.startChangeInFlight(h)
            h.apisix.setNodes(id: FaultMatrix.upstreamID, nodes: Cluster.nodes([1, 2, 3, 4]), shape: .hash)
            try await h.waitForRecords(1)
            h.apisix.setNodes(id: FaultMatrix.upstreamID, nodes: Cluster.nodes([1, 2, 3, 4]), shape: .array)
            try await h.apisix.waitForListRequests(atLeast: h.apisix.statistics.listRequests + 2)
            let text = try await h.metricsText()
            #expect(ExporterHarness.value(of: EndToEndTests.lagCount, in: text) == 1)
            #expect(ExporterHarness.value(of: FaultMatrix.syncedRemovals, in: text) == 1)
            #expect(!text.contains("outcome=\"unobserved\""))
            #expect(!text.contains("source=\"apisix\",target=\"\(h.target("apisix"))\",reason="))
            #expect(
                ExporterHarness.value(of: "apisix_sync_stale_nodes{namespace=\"shop\",service=\"web\"}", in: text) == 0
            )
        }
    }
}
