import Foundation
import SimulatedCluster
import Testing

@testable import APISIXSyncExporter

/// The real exporter against each APISIX shape it must read without configuration beyond the URL: the Admin API v2
/// envelope of APISIX 2.x, upstreams inline in routes, ingress controller 2.x services, and API-driven standalone
/// mode. Each scenario times one removal against a delay the test injects.
@Suite(.serialized) struct APISIXShapeTests {
    static let removals = "apisix_sync_lag_seconds_count{namespace=\"shop\",service=\"web\",change=\"remove\"}"
    static let removalSum = "apisix_sync_lag_seconds_sum{namespace=\"shop\",service=\"web\",change=\"remove\"}"

    /// Starts the exporter on a fake in `configuration`, lets `prepare` fill it, removes pod 3 from Kubernetes and
    /// calls `apply` 0.6 s later (the controller's delay); returns the measured lag and the harness for more checks.
    func measureRemoval(
        _ configuration: FakeAPISIXAdmin.Configuration,
        controlView: APISIXView? = nil,
        prepare: @escaping @Sendable (FakeAPISIXAdmin, [Int]) -> Void,
        check: (ExporterHarness) async throws -> Void = { _ in }
    ) async throws -> Double {
        let harness = try await ExporterHarness.start(
            apisixConfiguration: configuration,
            controlView: controlView
        ) { kubernetes, apisix in
            _ = kubernetes.apply(Cluster.slice("web-a", ready: [1, 2, 3]))
            prepare(apisix, [1, 2, 3])
        }
        do {
            try await harness.waitUntilReady()
            try await harness.waitUntilTiming()
            // Workers may show the first write later than the first refresh: wait until the upstream is measured.
            let target = APISIXTarget.parse(harness.apisix.baseURL)?.name ?? ""
            try await harness.waitForMetric("apisix_sync_upstreams{apisix=\"\(target)\",state=\"mapped\"}", atLeast: 1)
            _ = harness.kubernetes.apply(Cluster.slice("web-a", ready: [1, 2], terminating: [3]))
            try await harness.waitForPending("web", change: "remove", count: 1)
            // Timed from when the exporter is known to have the event: the lag is at least 0.6 s, and more by at most
            // the time it took to notice it pending plus one fast poll.
            try await Task.sleep(for: .milliseconds(600))
            prepare(harness.apisix, [1, 2])
            try await harness.waitForMetric(Self.removals, atLeast: 1)
            let lag = try #require(try await harness.metric(Self.removalSum))
            try await check(harness)
            await harness.stop()
            return lag
        } catch {
            await harness.stop()
            throw error
        }
    }

    func expectNear(_ lag: Double, _ expected: Double) {
        #expect(lag >= expected - 0.001 && lag <= expected + 0.35, "lag \(lag)")
    }

    @Test func apisix2EnvelopeIsDetectedPerResponse() async throws {
        let lag = try await measureRemoval(.init(apiKey: ExporterHarness.apiKey, adminAPIVersion: .apisix2)) {
            apisix,
            nodes in
            apisix.putUpstream(Cluster.upstream(nodes: nodes))
        }
        expectNear(lag, 0.6)
    }

    @Test func upstreamsInlineInRoutesAreMeasuredAndFastPolledByRoute() async throws {
        let lag = try await measureRemoval(.init(apiKey: ExporterHarness.apiKey)) { apisix, nodes in
            apisix.putRoute(
                FakeRoute(id: "r1", name: "shop_web_80", uri: "/", upstream: Cluster.upstream(nodes: nodes))
            )
        } check: { harness in
            let state = try await harness.state()
            let upstreams = try #require(state["upstreams"] as? [[String: Any]])
            #expect(upstreams.contains { $0["id"] as? String == "route/r1" })
            #expect(harness.apisix.statistics.singleRouteRequests["r1", default: 0] > 0)
        }
        expectNear(lag, 0.6)
    }

    @Test func ingressController2ServicesWithInlineUpstreamsAreMatchedByNodes() async throws {
        let lag = try await measureRemoval(.init(apiKey: ExporterHarness.apiKey)) { apisix, nodes in
            var upstream = Cluster.upstream(nodes: nodes)
            upstream.name = "shop_web_0-0"
            apisix.put(
                services: [FakeService(id: "s1", name: "shop_web_0-0", upstream: upstream)],
                routes: [FakeRoute(id: "r1", name: "shop_web_0-0", uri: "/", serviceID: "s1")]
            )
        } check: { harness in
            let state = try await harness.state()
            let upstreams = try #require(state["upstreams"] as? [[String: Any]])
            let service = try #require(upstreams.first { $0["id"] as? String == "service/s1" })
            let mapping = try #require(service["mapping"] as? [String: Any])
            #expect(mapping["state"] as? String == "mapped")
        }
        expectNear(lag, 0.6)
    }

    @Test func standaloneModeIsPolledWithHeadUntilTheDigestChanges() async throws {
        let lag = try await measureRemoval(.init(apiKey: ExporterHarness.apiKey, mode: .standalone)) { apisix, nodes in
            apisix.replaceConfiguration(upstreams: [Cluster.upstream(nodes: nodes)])
        } check: { harness in
            let statistics = harness.apisix.statistics
            #expect(statistics.configHeadRequests > 0)
            #expect(statistics.listRequests == 0)
            // A GET only when the digest changed (plus the 1 s full refreshes), many HEADs while waiting.
            #expect(statistics.configHeadRequests > statistics.configGetRequests)
        }
        expectNear(lag, 0.6)
    }

    @Test(arguments: [APISIXView.control, .admin])
    func theControlAPIViewWaitsForTheWorkers(view: APISIXView) async throws {
        // The workers route with a write 0.4 s after the Admin API shows it.
        let configuration = FakeAPISIXAdmin.Configuration(
            apiKey: ExporterHarness.apiKey,
            controlPort: 0,
            workerDelay: .milliseconds(400)
        )
        let lag = try await measureRemoval(configuration, controlView: view) { apisix, nodes in
            apisix.putUpstream(Cluster.upstream(nodes: nodes))
        } check: { harness in
            // Fast polls go to the view measured.
            let controlPolls = harness.apisix.statistics.controlUpstreamRequests.values.reduce(0, +)
            #expect(view == .control ? controlPolls > 0 : controlPolls == 0)
        }
        expectNear(lag, view == .control ? 1.0 : 0.6)
    }

    @Test func theControlAPIViewReadsStandaloneItems() async throws {
        let configuration = FakeAPISIXAdmin.Configuration(
            apiKey: ExporterHarness.apiKey,
            mode: .standalone,
            controlPort: 0,
            workerDelay: .milliseconds(400)
        )
        let lag = try await measureRemoval(configuration, controlView: .control) { apisix, nodes in
            apisix.replaceConfiguration(upstreams: [Cluster.upstream(nodes: nodes)])
        }
        expectNear(lag, 1.0)
    }

    @Test func aControlAPIWithoutRoutesAndServicesStillMeasuresUpstreams() async throws {
        // An older APISIX: its Control API answers 404 on /v1/routes and /v1/services. That is no inline upstream to
        // resolve, not a failure: the upstream objects are measured in the workers' view.
        let configuration = FakeAPISIXAdmin.Configuration(
            apiKey: ExporterHarness.apiKey,
            controlPort: 0,
            controlAPIServesRoutesAndServices: false,
            workerDelay: .milliseconds(400)
        )
        let lag = try await measureRemoval(configuration, controlView: .control) { apisix, nodes in
            apisix.putUpstream(Cluster.upstream(nodes: nodes))
        } check: { harness in
            let metrics = try await harness.metricsText()
            #expect(!metrics.contains("apisix_sync_source_errors_total{source=\"apisix\""))
            #expect(ExporterHarness.value(of: harness.upSeries("apisix"), in: metrics) == 1)
            #expect(harness.apisix.statistics.controlUpstreamRequests.values.reduce(0, +) > 0)
        }
        expectNear(lag, 1.0)
    }

    @Test func kubernetesDiscoveryUpstreamsAreTimedFromTheDumpWhichNeverLeaksItsToken() async throws {
        let configuration = FakeAPISIXAdmin.Configuration(
            apiKey: ExporterHarness.apiKey,
            controlPort: 0,
            kubernetesDiscovery: .init(token: "fake-token-SECRET")
        )
        let lag = try await measureRemoval(configuration, controlView: .admin) { apisix, nodes in
            apisix.putUpstream(FakeUpstream(id: "d1", serviceName: "shop/web:http"))
            apisix.setDiscoveryEndpoints(service: "shop/web", ports: ["http": Cluster.nodes(nodes)])
        } check: { harness in
            let state = try await harness.state()
            let upstreams = try #require(state["upstreams"] as? [[String: Any]])
            let upstream = try #require(upstreams.first { $0["id"] as? String == "d1" })
            let mapping = try #require(upstream["mapping"] as? [String: Any])
            #expect(mapping["state"] as? String == "mapped")
            #expect(mapping["method"] as? String == "discovery_service_name")
            #expect(mapping["key"] as? String == "shop/web:http")
            #expect(harness.apisix.statistics.discoveryDumpRequests > 1)
            for path in ["/api/v1/state", "/metrics", "/", "/recommendation"] {
                #expect(!(try await harness.get(path).body.contains("fake-token-SECRET")), "\(path)")
            }
        }
        expectNear(lag, 0.6)
    }

    @Test func withoutKubernetesDiscoveryTheDumpIsMissingAndOnlyDiscoveryUpstreamsGoUnmeasured() async throws {
        // A Control API whose APISIX has no Kubernetes discovery answers 404 on the dump path.
        let configuration = FakeAPISIXAdmin.Configuration(apiKey: ExporterHarness.apiKey, controlPort: 0)
        let lag = try await measureRemoval(configuration, controlView: .admin) { apisix, nodes in
            apisix.putUpstream(Cluster.upstream(nodes: nodes))
            apisix.putUpstream(FakeUpstream(id: "d1", serviceName: "shop/web:http"))
        } check: { harness in
            let state = try await harness.state()
            let upstreams = try #require(state["upstreams"] as? [[String: Any]])
            let discovery = try #require(upstreams.first { $0["id"] as? String == "d1" })
            #expect((discovery["mapping"] as? [String: Any])?["state"] as? String == "discovery")
            let metrics = try await harness.metricsText()
            #expect(!metrics.contains("apisix_sync_source_errors_total{source=\"apisix\""))
        }
        expectNear(lag, 0.6)
    }

    @Test func aTargetThatIsNoAPISIXIsReportedDown() async throws {
        // Another server's JSON 404s (a second fake Kubernetes API) where an Admin API should be.
        let impostor = FakeKubernetesAPI(configuration: .init())
        try await impostor.start()
        let harness = try await ExporterHarness.start { settings in
            settings.apisix.adminURLs = [impostor.baseURL]
        } prepare: { kubernetes, _ in
            _ = kubernetes.apply(Cluster.slice("web-a", ready: [1, 2, 3]))
        }
        do {
            try await harness.waitForMetrics("a bad_response error from the impostor") { text in
                text.contains("apisix_sync_source_errors_total{source=\"apisix\"")
                    && text.contains("reason=\"bad_response\"")
            }
            let metrics = try await harness.metricsText()
            #expect(
                metrics.split(separator: "\n").contains {
                    $0.hasPrefix("apisix_sync_source_up{source=\"apisix\"") && $0.hasSuffix(" 0")
                }
            )
            let state = try await harness.state()
            let sources = try #require(state["sources"] as? [[String: Any]])
            let apisix = try #require(sources.first { $0["source"] as? String == "apisix" })
            #expect((apisix["last_error"] as? String)?.contains("not an APISIX Admin API") == true)
            #expect(try await harness.get("/-/ready").status == 503)
        } catch {
            await harness.stop()
            await impostor.stop()
            throw error
        }
        await harness.stop()
        await impostor.stop()
    }
}
