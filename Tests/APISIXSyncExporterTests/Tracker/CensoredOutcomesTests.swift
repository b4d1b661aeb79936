import Foundation
import Logging
import Testing

@testable import APISIXSyncExporter

/// What the tracker serves about censored, superseded and unobserved changes: the recommendation's sample counts,
/// `/api/v1/state`'s causes, the censored metric and the status page.
@Suite struct CensoredOutcomesTests {
    static let target = BoundedStateTests.target

    func tracker() throws -> (SyncTracker, ExporterMetrics, String) {
        var settings = ExporterSettings()
        settings.apisix.adminURLs = ["http://\(Self.target)"]
        settings.measurement.recommendation.minSamples = 1
        let metrics = ExporterMetrics(resolution: 0.1)
        let targets = settings.apisix.adminURLs.compactMap(APISIXTarget.init(adminURL:))
        let tracker = SyncTracker(
            settings: settings.tracker,
            targets: targets,
            metrics: metrics,
            logger: Logger(label: "t")
        )
        return (tracker, metrics, try #require(targets.first?.name))
    }

    @Test func everyOutcomeIsCountedWhereItIsServed() async throws {
        let (tracker, metrics, name) = try tracker()
        let web = { (ready: [Int]) in BoundedStateTests.slice("web", ready: ready) }
        let upstream = { (ready: [Int]) in BoundedStateTests.upstream("web", ready: ready) }
        // APISIX still routes to 4, which Kubernetes no longer lists at start-up: unobserved (startup).
        await tracker.kubernetesListed([web([1, 2, 3])], namespace: nil, at: 100)
        await tracker.apisixRefreshed(target: name, upstreams: [upstream([1, 2, 3, 4])], at: 100.5)
        await tracker.apisixRefreshed(target: name, upstreams: [upstream([1, 2, 3])], at: 101)
        // 3 is removed; APISIX fails, drops 3 meanwhile, and the next good look shows it: censored in [0.1, 2].
        await tracker.kubernetesEvent(.modified(web([1, 2])), at: 110)
        await tracker.apisixRefreshed(target: name, upstreams: [upstream([1, 2, 3])], at: 110.1)
        await tracker.apisixFailed(target: name, SourceFailure(.serverError, "HTTP 503"), at: 110.5)
        await tracker.apisixRefreshed(target: name, upstreams: [upstream([1, 2])], at: 112)
        // 2 is removed and comes back before APISIX acts: superseded; forgotten after the timeout, with its bound.
        await tracker.kubernetesEvent(.modified(web([1])), at: 120)
        await tracker.apisixRefreshed(target: name, upstreams: [upstream([1, 2])], at: 120.4)
        await tracker.kubernetesEvent(.modified(web([1, 2])), at: 120.5)
        await tracker.tick(at: 120 + ExporterSettings().measurement.changeTimeout + 1)
        let time = 120 + ExporterSettings().measurement.changeTimeout + 2

        let recommendation = await tracker.recommendation(at: time)
        #expect(recommendation.sampleCounts == SampleCounts(exact: 0, censored: 1, censoredWide: 0, rightCensored: 1))
        #expect(recommendation.samples == 1)
        let state = await tracker.state(at: time)
        #expect(state.unobservedByCause == ["startup": 1])
        let text = metrics.text(gauges: await tracker.gaugeSnapshot(at: time))
        #expect(
            text.contains(
                #"apisix_sync_changes_total{namespace="shop",service="web",change="remove",outcome="censored"} 1"#
            )
        )
        #expect(
            text.contains(
                #"apisix_sync_changes_total{namespace="shop",service="web",change="remove",outcome="superseded"} 1"#
            )
        )
        #expect(
            text.contains(
                #"apisix_sync_censored_lag_upper_bound_seconds_count{namespace="shop",service="web",change="remove"} 1"#
            )
        )
        let status = await tracker.statusSnapshot(at: time)
        #expect(status.recommendation.censoredSamples == 1 && status.recommendation.rightCensoredSamples == 1)
        let json = String(decoding: try JSONEncoder().encode(status.recommendation), as: UTF8.self)
        #expect(json.contains(#""censored_samples":1"#) && json.contains(#""right_censored_samples":1"#))
        let page = StatusPage.render(status, telemetryPath: "/metrics")
        #expect(page.contains("Exact / censored"))
    }
}
