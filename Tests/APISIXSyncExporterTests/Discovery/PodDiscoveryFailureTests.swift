import Logging
import TestSupport
import Testing

@testable import APISIXSyncExporter

/// A failing APISIX pod watch is a Kubernetes error, but not a gap in the measured Services' watch: pending changes
/// keep their timing.
@Suite struct PodDiscoveryFailureTests {
    @Test func aPodWatchFailureIsCountedButCostsNoSample() async throws {
        var settings = ExporterSettings()
        settings.apisix.adminURLs = ["http://apisix-0:9180"]
        let metrics = ExporterMetrics(resolution: 0.1)
        let targets = try #require(settings.apisix.staticTargets)
        let tracker = SyncTracker(
            settings: settings.tracker,
            targets: targets,
            metrics: metrics,
            logger: Logger(label: "t")
        )
        let name = try #require(targets.first?.name)
        func slice(_ ready: [Int]) -> EndpointSlice {
            EndpointSlice(
                metadata: .init(name: "web-a", namespace: "shop", labels: [EndpointSlice.serviceNameLabel: "web"]),
                endpoints: ready.map { .init(addresses: ["10.2.0.\($0)"], conditions: .init(ready: true)) },
                ports: [.init(name: "http", port: 8080)]
            )
        }
        func upstream(_ ready: [Int]) -> APISIXUpstream {
            APISIXUpstream(
                id: "web",
                name: "shop_web_80",
                nodes: Set(ready.map { NodeAddress(host: "10.2.0.\($0)", port: 8080) })
            )
        }
        await tracker.kubernetesListed([slice([1, 2])], namespace: nil, at: 100)
        await tracker.apisixRefreshed(target: name, upstreams: [upstream([1, 2])], at: 101)
        await tracker.kubernetesEvent(.modified(slice([1])), at: 110)
        await tracker.podDiscoveryFailed(SourceFailure(.expired, "too old resource version"), at: 110.5)
        await tracker.apisixFetched(target: name, id: "web", upstream: upstream([1]), at: 111)
        let text = metrics.text()
        #expect(text.contains("apisix_sync_lag_seconds_count{namespace=\"shop\",service=\"web\",change=\"remove\"} 1"))
        #expect(text.contains("apisix_sync_source_errors_total{source=\"kubernetes\""))
        #expect(text.contains("reason=\"expired\"} 1"))
    }
}
