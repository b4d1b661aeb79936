import Foundation
import SimulatedCluster
import TestSupport
import Testing

@testable import APISIXSyncExporter

/// The exporter against the fakes with pods: a deleted pod's removal comes back as two stages that match the
/// injected endpoint-controller and APISIX delays, the deletion moment falls back to the pod's metadata when the
/// deleting update was not seen live, and nothing of the pods' env (a secret) is served anywhere.
@Suite(.serialized) struct PodDeletionEndToEndTests {
    @Test func injectedControllerAndAPISIXDelaysComeBackAsTheTwoStages() async throws {
        var configuration = SimulatedWorlds.pods(services: 1, delay: 0.3)
        configuration.controller = .init(lag: .fixed(0.8), slowService: nil)
        let kubernetes = FakeKubernetesAPI(configuration: .init(bookmarkInterval: .seconds(1)))
        let apisix = FakeAPISIXAdmin()
        try await kubernetes.start()
        try await apisix.start()
        let world = SimulatedWorld(kubernetes: kubernetes, apisix: apisix, configuration: configuration)
        try await APISIXInstancesTests.withExporter(world) { _ in
        } _: { harness in
            // The issue's goal (fast-poll + 20 ms) is the benchmarks'; on a loaded 2-core test machine requests and
            // watch deliveries take longer, as in the other end-to-end tests.
            let tolerance = harness.settings.polling.fastPollInterval + 0.3
            // A first deletion while the pod watch may still be in its first second, whose events count as possible
            // replays of the gap since the list (their deletion falls back to the metadata): not measured here.
            _ = try #require(world.deletePod(service: "checkout"))
            _ = try await harness.waitForRecords(1, service: "checkout")
            try await world.controller.waitForTruth(count: 2, timeout: .seconds(20))
            for round in 2...3 {
                _ = try #require(world.deletePod(service: "checkout"))
                let records = try await harness.waitForRecords(round, service: "checkout")
                try await world.controller.waitForTruth(count: 2 * round, timeout: .seconds(20))
                try #require(records.count == round)
                let record = try #require(records.last)
                let truth = try #require(
                    world.controller.truth.first { $0.kind == .remove && $0.node == record.node.description }
                )
                let stage = try #require(record.stage, "a removal of a deleted pod has a Kubernetes stage")
                let trueStage = try #require(truth.kubernetesStageLag)
                let trueLag = try #require(truth.lag)
                #expect(stage.provenance == .watch)
                // The Kubernetes stage is two receipts on the exporter's clock; the APISIX stage ends at the first
                // look that shows it, at most one fast poll (plus the request) after the write.
                #expect(
                    abs(stage.kubernetes - trueStage) <= tolerance,
                    "kubernetes \(stage.kubernetes) vs \(trueStage)"
                )
                let lag = try #require(record.lag)
                #expect(lag >= trueLag - 0.02 && lag <= trueLag + tolerance, "apisix \(lag) vs \(trueLag)")
                #expect(
                    abs(trueStage - 0.3) < 0.25 && abs(trueLag - 0.8) < 0.25,
                    "injected 0.3 and 0.8: \(trueStage), \(trueLag)"
                )
                #expect(stage.workload.kind == "Deployment" && stage.workload.name == "checkout")
                #expect(stage.preStop == .sleep(seconds: 1))
            }
            let recommendation = try await harness.recommendation()
            #expect(recommendation["end_to_end_samples"] as? Int == 3)

            // The pods carry DB_PASSWORD=demo-s3cr3t in their env: it appears nowhere the exporter serves.
            for path in ["/metrics", "/api/v1/state", "/api/v1/workloads", "/recommendation", "/"] {
                let body = try await harness.get(path).body
                #expect(!body.contains("demo-s3cr3t") && !body.contains("DB_PASSWORD"), "\(path)")
            }
            let workloads = try await harness.get("/api/v1/workloads").body
            #expect(workloads.contains(#""name" : "checkout""#) && workloads.contains(#""prestop_seconds" : 1"#))
        }
    }

    @Test func aDeletionNotSeenLiveIsTimedFromThePodsMetadataWithinASecond() async throws {
        // The pod was deleting before the exporter started: its deleting update is never seen live.
        let requested = Date().timeIntervalSince1970.rounded(.down)
        let stamp = ISO8601DateFormatter().string(from: Date(timeIntervalSince1970: requested + 30))
        let harness = try await ExporterHarness.start { kubernetes, apisix in
            for index in 1...3 {
                _ = kubernetes.apply(
                    FakePod(
                        namespace: "shop",
                        name: "web-\(index)",
                        uid: "uid-\(index)",
                        containers: [
                            FakeContainer(
                                name: "app",
                                image: "nginx",
                                ports: [.init(containerPort: 8080)],
                                env: [.init(name: "API_TOKEN", value: "s3cr3t-token-123")],
                                preStop: .sleep(seconds: 5)
                            )
                        ],
                        podIP: Cluster.ip(index),
                        deletionTimestamp: index == 3 ? stamp : nil,
                        deletionGracePeriodSeconds: index == 3 ? 30 : nil
                    )
                )
            }
            _ = kubernetes.apply(Self.slice(ready: [1, 2, 3]))
            apisix.putUpstream(Cluster.upstream(nodes: [1, 2, 3]))
        }
        do {
            try await harness.waitUntilReady()
            try await harness.waitUntilTiming()
            try await harness.kubernetes.waitUntil(timeout: .seconds(10), "the pod list") {
                $0.workloadListRequests >= 2
            }
            let sliceChanged = Date().timeIntervalSince1970
            _ = harness.kubernetes.apply(Self.slice(ready: [1, 2]))
            try await harness.waitForPending("web", change: "remove", count: 1)
            harness.apisix.setNodes(id: "4405a246", nodes: Cluster.nodes([1, 2]))
            let record = try #require(try await harness.waitForRecords(1).first)
            let stage = try #require(record.stage)
            #expect(stage.provenance == .metadata)
            // Whole seconds on the apiserver's clock: high by less than a second, never low.
            let expected = sliceChanged - requested
            #expect(
                stage.kubernetes >= expected - 0.05 && stage.kubernetes <= expected + 1,
                "\(stage.kubernetes) vs \(expected)"
            )
            #expect(stage.workload == WorkloadKey(namespace: "shop", kind: "Pod", name: "web-3"))
            for path in ["/metrics", "/api/v1/state", "/api/v1/workloads", "/"] {
                #expect(!(try await harness.get(path).body).contains("s3cr3t-token-123"), "\(path)")
            }
        } catch {
            await harness.stop()
            throw error
        }
        await harness.stop()
    }

    /// The slice of `web` whose endpoints name pods `web-<n>`.
    static func slice(ready: [Int]) -> FakeEndpointSlice {
        FakeEndpointSlice(
            namespace: "shop",
            name: "web-a",
            serviceName: "web",
            endpoints: ready.map {
                FakeEndpoint(addresses: [Cluster.ip($0)], podName: "web-\($0)", podUID: "uid-\($0)")
            },
            ports: [FakeEndpointPort(name: "http", port: 8080)]
        )
    }
}
