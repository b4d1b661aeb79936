import Foundation
import SimulatedCluster
import Testing

@testable import APISIXSyncExporter

/// The Kubernetes side of the real exporter against the fake API server: pagination, authentication, namespaces.
@Suite(.serialized) struct KubernetesSourceTests {
    func run(
        namespaces: [String] = [],
        prepare: @escaping (FakeKubernetesAPI, FakeAPISIXAdmin) async throws -> Void,
        _ body: (ExporterHarness) async throws -> Void
    ) async throws {
        let harness = try await ExporterHarness.start(
            configure: { $0.kubernetes.namespaces = namespaces },
            prepare: prepare
        )
        do {
            try await body(harness)
        } catch {
            await harness.stop()
            throw error
        }
        await harness.stop()
    }

    @Test func listsFollowContinueTokensAcrossPages() async throws {
        try await run { kubernetes, apisix in
            kubernetes.maxPageSize = 2
            for n in 1...5 {
                _ = kubernetes.apply(Cluster.slice("svc\(n)-a", service: "svc\(n)", ready: [n]))
                apisix.putUpstream(Cluster.upstream(id: .string("u\(n)"), name: "shop_svc\(n)_80", nodes: [n]))
            }
        } _: { h in
            try await h.waitUntilReady()
            #expect(h.kubernetes.statistics.listRequests >= 3)
            let state = try await h.state()
            let services = try #require(state["services"] as? [[String: Any]])
            #expect(Set(services.compactMap { $0["name"] as? String }) == ["svc1", "svc2", "svc3", "svc4", "svc5"])
        }
    }

    @Test func aRotatedTokenIsReReadAfterA401() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("token-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let tokenFile = directory.appendingPathComponent("token")
        try "token-one\n".write(to: tokenFile, atomically: true, encoding: .utf8)
        let harness = try await ExporterHarness.start(tokenFile: tokenFile.path) { kubernetes, apisix in
            kubernetes.requiredBearerToken = "token-one"
            _ = kubernetes.apply(Cluster.slice("web-a", ready: [1, 2]))
            apisix.putUpstream(Cluster.upstream(nodes: [1, 2]))
        }
        do {
            try await harness.waitUntilReady()
            try await harness.kubernetes.waitForOpenWatches(count: 1)
            #expect(harness.kubernetes.statistics.lastWatchRequest?.authorization == "Bearer token-one")
            // The kubelet rotates the projected token; the API server stops accepting the old one.
            try "token-two\n".write(to: tokenFile, atomically: true, encoding: .utf8)
            harness.kubernetes.requiredBearerToken = "token-two"
            let watches = harness.kubernetes.statistics.watchRequests
            harness.kubernetes.cutWatches()
            try await harness.kubernetes.waitUntil("a watch with the new token") { statistics in
                statistics.watchRequests > watches && statistics.openWatches >= 1
                    && statistics.lastWatchRequest?.authorization == "Bearer token-two"
            }
            #expect(harness.kubernetes.statistics.unauthorizedRequests >= 1)
            let text = try await harness.metricsText()
            #expect(!text.contains("token-one") && !text.contains("token-two"))
            #expect(!(try await harness.get("/api/v1/state").body.contains("token-")))
        } catch {
            await harness.stop()
            throw error
        }
        await harness.stop()
    }

    @Test func namespacesAreWatchedSeparately() async throws {
        try await run(namespaces: ["shop", "other"]) { kubernetes, apisix in
            _ = kubernetes.apply(Cluster.slice("web-a", ready: [1]))
            apisix.putUpstream(Cluster.upstream(nodes: [1]))
        } _: { h in
            try await h.waitUntilReady()
            try await h.kubernetes.waitForOpenWatches(count: 2)
            let paths = [h.kubernetes.statistics.lastWatchRequest?.path, h.kubernetes.statistics.lastListRequest?.path]
            #expect(paths.allSatisfy { $0?.contains("/namespaces/") == true })
        }
    }

    @Test func fastPollingFetchesOnlyTheUpstreamsWithPendingChanges() async throws {
        try await run { kubernetes, apisix in
            _ = kubernetes.apply(Cluster.slice("web-a", ready: [1, 2]))
            _ = kubernetes.apply(Cluster.slice("api-a", service: "api", ready: [7, 8]))
            apisix.putUpstream(Cluster.upstream(nodes: [1, 2]))
            apisix.putUpstream(Cluster.upstream(id: "api", name: "shop_api_80", nodes: [7, 8]))
        } _: { h in
            try await h.waitUntilReady()
            try await h.waitUntilTiming()
            #expect(h.apisix.statistics.totalSingleRequests == 0)  // nothing pending, nothing fetched
            _ = h.kubernetes.apply(Cluster.slice("web-a", ready: [1], terminating: [2]))
            try await h.waitForPending("web", change: "remove", count: 1)
            try await h.apisix.waitForSingleRequests(id: "4405a246", atLeast: 3)
            h.apisix.setNodes(id: "4405a246", nodes: Cluster.nodes([1]))
            try await h.waitForRecords(1)
            #expect(h.apisix.statistics.singleRequests(id: "api") == 0)
        }
    }
}
