import Foundation
import SimulatedCluster
import TestSupport
import Testing

@testable import APISIXSyncExporter

/// Several APISIX instances, driven by one simulated ingress controller with a lag of its own for each: given by URL,
/// or found through the Kubernetes API as the pods behind the APISIX Service and followed as they come and go.
@Suite(.serialized) struct APISIXInstancesTests {
    static let removals = "apisix_sync_lag_seconds_count{namespace=\"demo\",service=\"checkout\",change=\"remove\"}"
    static let removalSum = "apisix_sync_lag_seconds_sum{namespace=\"demo\",service=\"checkout\",change=\"remove\"}"

    static func configuration(apisixService: SimulatedAPISIXService? = nil) -> SimulatedWorld.Configuration {
        SimulatedWorlds.multipleInstances(apisixService: apisixService)
    }

    /// Pod discovery of the world's APISIX Service (``SimulatedAPISIXService``'s defaults), ports by name.
    static func discoverPods(in settings: inout ExporterSettings, controlPort: Bool) {
        settings.apisix.adminURLs = []
        var discovery = APISIXPodDiscoverySettings(
            selector: "app.kubernetes.io/name=apisix",
            namespace: "ingress-apisix"
        )
        discovery.adminPort = .name("apisix-admin")
        if controlPort { discovery.controlPort = .name("apisix-control") }
        settings.apisix.podDiscovery = discovery
    }

    /// Runs `body` with the world running and the exporter measuring it; stops everything afterwards.
    static func withExporter(
        _ world: SimulatedWorld,
        configure: @escaping (inout ExporterSettings) -> Void,
        _ body: (ExporterHarness) async throws -> Void
    ) async throws {
        await world.start()
        let running = Task { try await world.run() }
        let harness: ExporterHarness
        do {
            harness = try await ExporterHarness.start(kubernetes: world.kubernetes, apisix: world.apisix) {
                $0.apisix.client.adminKey = nil
                configure(&$0)
            }
        } catch {
            running.cancel()
            throw error
        }
        do {
            try await harness.waitUntilReady()
            try await harness.waitUntilTiming()
            try await body(harness)
        } catch {
            running.cancel()
            await harness.stop()
            for instance in world.apisixInstances { await instance.stop() }
            throw error
        }
        running.cancel()
        await harness.stop()
        for instance in world.apisixInstances { await instance.stop() }
    }

    static func instanceLag(_ target: String) -> String {
        "apisix_sync_instance_lag_seconds_sum{apisix=\"\(target)\",change=\"remove\"}"
    }

    @Test func theServiceSampleIsTheLastInstancesAndEachInstanceHasItsOwn() async throws {
        let kubernetes = FakeKubernetesAPI(configuration: .init(bookmarkInterval: .seconds(1)))
        try await kubernetes.start()
        let fast = FakeAPISIXAdmin(configuration: .init(name: "apisix-0"))
        let slow = FakeAPISIXAdmin(configuration: .init(name: "apisix-1"))
        try await fast.start()
        try await slow.start()
        let world = SimulatedWorld(
            kubernetes: kubernetes,
            instances: [.init(apisix: fast, lag: .fixed(0.5)), .init(apisix: slow, lag: .fixed(2))],
            configuration: Self.configuration()
        )
        let urls = [fast.baseURL, slow.baseURL]
        try await Self.withExporter(world) {
            $0.apisix.adminURLs = urls
        } _: { harness in
            _ = try #require(world.scale(service: "checkout", to: 2))
            try await world.controller.waitForTruth(count: 2, timeout: .seconds(10))
            try await harness.waitForMetric(Self.removals, atLeast: 1)
            let truth = try #require(TruthRecord.serviceLevel(world.controller.truth).first?.lag)
            let lag = try #require(try await harness.metric(Self.removalSum))
            // Timed from the exporter's receipt of the event (a little after the world's write) to the poll that
            // saw the slow instance: within the fast-poll interval and scheduling of the truth.
            #expect(truth >= 2 && abs(lag - truth) <= 0.2, "lag \(lag), truth \(truth)")
            let fastTarget = try #require(APISIXTarget(adminURL: fast.baseURL)?.name)
            let slowTarget = try #require(APISIXTarget(adminURL: slow.baseURL)?.name)
            let fastLag = try #require(try await harness.metric(Self.instanceLag(fastTarget)))
            let slowLag = try #require(try await harness.metric(Self.instanceLag(slowTarget)))
            #expect(fastLag >= 0.45 && fastLag <= 0.75, "fast instance \(fastLag)")
            #expect(abs(slowLag - lag) < 0.001, "slow instance \(slowLag)")
        }
    }

    @Test func podDiscoveryFollowsAPISIXPodsAsTheyComeAndGo() async throws {
        let kubernetes = FakeKubernetesAPI(configuration: .init(bookmarkInterval: .seconds(1)))
        try await kubernetes.start()
        let first = FakeAPISIXAdmin(configuration: .init(host: "127.0.0.1", name: "apisix-0", controlPort: 0))
        let second = FakeAPISIXAdmin(configuration: .init(host: "127.0.0.2", name: "apisix-1", controlPort: 0))
        try await first.start()
        try await second.start()
        let world = SimulatedWorld(
            kubernetes: kubernetes,
            // The second pod is slow, so that a change can still be waiting for it when it goes.
            instances: [.init(apisix: first, lag: .fixed(0.2)), .init(apisix: second, lag: .fixed(3))],
            configuration: Self.configuration(apisixService: SimulatedAPISIXService())
        )
        try await Self.withExporter(world) { settings in
            Self.discoverPods(in: &settings, controlPort: false)
        } _: { harness in
            func up(_ pod: String) -> String { "apisix_sync_source_up{source=\"apisix\",target=\"\(pod)\"}" }
            #expect(try await harness.metric(up("apisix-0")) == 1)
            #expect(try await harness.metric(up("apisix-1")) == 1)

            // A pod that comes is polled (and named) as soon as its endpoint is ready.
            let third = FakeAPISIXAdmin(configuration: .init(host: "127.0.0.3", name: "apisix-2", controlPort: 0))
            #expect(try await world.addAPISIXInstance(.init(apisix: third, lag: .fixed(0.2))))
            try await harness.waitForMetric(up("apisix-2"), atLeast: 1)
            _ = try #require(world.scale(service: "checkout", to: 2))
            try await harness.waitForMetric(Self.removals, atLeast: 1)
            for (pod, injected) in [("apisix-0", 0.2), ("apisix-1", 3), ("apisix-2", 0.2)] {
                let lag = try #require(try await harness.metric(Self.instanceLag(pod)), "\(pod)")
                #expect(lag >= injected - 0.05 && lag <= injected + 0.3, "\(pod): \(lag)")
            }

            // A pod that goes while a change waits for it takes its part of the change with it: no sample, and
            // its series disappear.
            _ = try #require(world.scale(service: "checkout", to: 1))
            try await harness.waitForPending("checkout", change: "remove", count: 1, namespace: "demo")
            #expect(await world.removeAPISIXInstance(named: "apisix-1"))
            try await harness.waitForMetrics("apisix-1's series gone, the change unobserved") { text in
                !text.contains("\"apisix-1\"")
                    && (ExporterHarness.value(
                        of: "apisix_sync_changes_total{namespace=\"demo\",service=\"checkout\",change=\"remove\","
                            + "outcome=\"unobserved\"}",
                        in: text
                    ) ?? 0) >= 1
            }
            #expect(try await harness.metric(Self.removals) == 1)
            let sources = try #require(try await harness.state()["sources"] as? [[String: Any]])
            #expect(
                Set(sources.compactMap { $0["source"] as? String == "apisix" ? $0["target"] as? String : nil })
                    == ["apisix-0", "apisix-2"]
            )
            #expect(try await harness.get("/-/ready").status == 200)
        }
    }

    @Test func discoveredPodsAreMeasuredInTheWorkersViewThroughTheirControlPort() async throws {
        let kubernetes = FakeKubernetesAPI(configuration: .init(bookmarkInterval: .seconds(1)))
        try await kubernetes.start()
        // Each pod's workers route with a write 0.3 s after its Admin API shows it.
        let pods = [("127.0.0.1", "apisix-0"), ("127.0.0.2", "apisix-1")].map { host, name in
            FakeAPISIXAdmin(
                configuration: .init(host: host, name: name, controlPort: 0, workerDelay: .milliseconds(300))
            )
        }
        for pod in pods { try await pod.start() }
        let world = SimulatedWorld(
            kubernetes: kubernetes,
            instances: pods.map { .init(apisix: $0, lag: .fixed(0.2)) },
            configuration: Self.configuration(apisixService: SimulatedAPISIXService())
        )
        try await Self.withExporter(world) { settings in
            Self.discoverPods(in: &settings, controlPort: true)
        } _: { harness in
            for pod in ["apisix-0", "apisix-1"] {
                try await harness.waitForMetric("apisix_sync_upstreams{apisix=\"\(pod)\",state=\"mapped\"}", atLeast: 1)
            }
            _ = try #require(world.scale(service: "checkout", to: 2))
            try await harness.waitForMetric(Self.removals, atLeast: 1)
            for pod in ["apisix-0", "apisix-1"] {
                let lag = try #require(try await harness.metric(Self.instanceLag(pod)), "\(pod)")
                #expect(lag >= 0.45 && lag <= 0.8, "\(pod): \(lag)")
            }
            for pod in pods {
                #expect(pod.statistics.controlUpstreamRequests.values.reduce(0, +) > 0, "\(pod.name)")
            }
        }
    }
}
