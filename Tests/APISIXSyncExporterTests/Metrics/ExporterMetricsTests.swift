import Foundation
import Testing

@testable import APISIXSyncExporter

@Suite struct ExporterMetricsTests {
    let web = ServiceKey(namespace: "shop", name: "web")

    func sortedLines(_ metrics: ExporterMetrics) -> [String] {
        metrics.text().split(separator: "\n").map(String.init).sorted()
    }

    @Test func lagHistogramHasTheContractBucketsAndLabels() {
        let metrics = ExporterMetrics(resolution: 0.1)
        metrics.recordLag(1.2, service: web, kind: .remove, configuredDelay: 5)
        let lines = sortedLines(metrics)
        #expect(
            lines.contains(
                "apisix_sync_lag_seconds_bucket{namespace=\"shop\",service=\"web\",change=\"remove\",le=\"1.0\"} 0"
            )
        )
        #expect(
            lines.contains(
                "apisix_sync_lag_seconds_bucket{namespace=\"shop\",service=\"web\",change=\"remove\",le=\"2.0\"} 1"
            )
        )
        #expect(
            lines.contains(
                "apisix_sync_lag_seconds_bucket{namespace=\"shop\",service=\"web\",change=\"remove\",le=\"300.0\"} 1"
            )
        )
        #expect(lines.contains("apisix_sync_lag_seconds_count{namespace=\"shop\",service=\"web\",change=\"remove\"} 1"))
        #expect(lines.contains { $0.hasPrefix("# HELP apisix_sync_lag_seconds ") && $0.contains("100ms") })
    }

    @Test func removalsOverTheDelayAreCounted() {
        let metrics = ExporterMetrics(resolution: 0.1)
        metrics.recordLag(6, service: web, kind: .remove, configuredDelay: 5)
        metrics.recordLag(4, service: web, kind: .remove, configuredDelay: 5)
        metrics.recordLag(9, service: web, kind: .add, configuredDelay: 5)
        #expect(
            sortedLines(metrics).contains(
                "apisix_sync_removals_over_prestop_total{namespace=\"shop\",service=\"web\"} 1"
            )
        )
    }

    @Test func seriesOfADeletedServiceDisappear() {
        let metrics = ExporterMetrics(resolution: 0.1)
        metrics.recordLag(1, service: web, kind: .remove, configuredDelay: 5)
        metrics.countChange(service: web, kind: .remove, outcome: .synced)
        var snapshot = ExporterMetrics.GaugeSnapshot()
        snapshot.services[web] = .init()
        #expect(metrics.text(gauges: snapshot).contains("service=\"web\""))
        metrics.removeService(web)
        #expect(!metrics.text().contains("service=\"web\""))
    }

    @Test func oldestPendingAndRecommendationSeriesAreAbsentWhenThereIsNothingToReport() {
        let metrics = ExporterMetrics(resolution: 0.1)
        var snapshot = ExporterMetrics.GaugeSnapshot()
        var state = ExporterMetrics.GaugeSnapshot.ServiceState()
        state.pending[.remove] = 1
        state.oldestPending[.remove] = 1_700_000_000.5
        snapshot.services[web] = state
        snapshot.recommendation = Recommendation.compute(
            samples: 3,
            quantileValue: 1,
            maximum: 1,
            overDelay: 0,
            policy: .init()
        )
        let text = metrics.text(gauges: snapshot)
        #expect(
            text.contains(
                "apisix_sync_oldest_pending_change_timestamp_seconds{namespace=\"shop\",service=\"web\",change=\"remove\"}"
            )
        )
        #expect(
            !text.contains(
                "apisix_sync_oldest_pending_change_timestamp_seconds{namespace=\"shop\",service=\"web\",change=\"add\"}"
            )
        )
        #expect(!text.contains("apisix_sync_recommended_prestop_seconds "))
        #expect(text.contains("apisix_sync_recommendation_samples 3"))
        snapshot.services[web] = .init()
        #expect(!metrics.text(gauges: snapshot).contains("oldest_pending_change_timestamp_seconds{"))
    }

    @Test func serviceLabelsCanBeDropped() {
        let metrics = ExporterMetrics(resolution: 0.1, serviceLabels: false)
        metrics.recordLag(1, service: web, kind: .remove, configuredDelay: 5)
        metrics.recordLag(1, service: ServiceKey(namespace: "other", name: "api"), kind: .remove, configuredDelay: 5)
        #expect(sortedLines(metrics).contains("apisix_sync_lag_seconds_count{change=\"remove\"} 2"))
    }

    @Test func withoutServiceLabelsTheGaugesFoldIntoOneSeries() {
        let metrics = ExporterMetrics(resolution: 0.1, serviceLabels: false)
        var snapshot = ExporterMetrics.GaugeSnapshot()
        var first = ExporterMetrics.GaugeSnapshot.ServiceState()
        first.add(pending: [.remove: (2, 1_700_000_010)], stale: 1, missing: 0)
        var second = ExporterMetrics.GaugeSnapshot.ServiceState()
        second.add(pending: [.remove: (1, 1_700_000_005), .add: (1, 1_700_000_020)], stale: 2, missing: 3)
        snapshot.services[web] = first
        snapshot.services[ServiceKey(namespace: "other", name: "api")] = second
        let lines = metrics.text(gauges: snapshot).split(separator: "\n").map(String.init)
        #expect(lines.contains("apisix_sync_pending_changes{change=\"remove\"} 3"))
        #expect(lines.contains("apisix_sync_pending_changes{change=\"add\"} 1"))
        #expect(lines.contains("apisix_sync_oldest_pending_change_timestamp_seconds{change=\"remove\"} 1700000005"))
        #expect(lines.contains("apisix_sync_stale_nodes 3"))
        #expect(lines.contains("apisix_sync_missing_nodes 3"))
        #expect(lines.filter { $0.hasPrefix("apisix_sync_stale_nodes") }.count == 1)
    }

    @Test func histogramBucketsAreCumulativeAndNonFiniteLagsAreNotObservations() {
        let metrics = ExporterMetrics(resolution: 0.1)
        for lag in [0.05, 1.2, 400, .nan, .infinity] {
            metrics.recordLag(lag, service: web, kind: .add, configuredDelay: 5)
        }
        let lines = sortedLines(metrics)
        let series = "namespace=\"shop\",service=\"web\",change=\"add\""
        for (bound, count) in [("0.05", 1), ("1.0", 1), ("2.0", 2), ("300.0", 2), ("+Inf", 3)] {
            #expect(lines.contains("apisix_sync_lag_seconds_bucket{\(series),le=\"\(bound)\"} \(count)"))
        }
        #expect(lines.contains("apisix_sync_lag_seconds_sum{\(series)} 401.25"))
        #expect(lines.contains("apisix_sync_lag_seconds_count{\(series)} 3"))
    }

    @Test func labelValuesAreEscapedAndEachFamilyIsWrittenOnce() throws {
        let metrics = ExporterMetrics(resolution: 0.1)
        metrics.countSourceError(source: "apisix", target: "a\"b\\c\nd", reason: "timeout")
        let text = metrics.text()
        #expect(text.contains(#"target="a\"b\\c\nd""#))
        #expect(text.components(separatedBy: "# TYPE apisix_sync_source_errors_total counter").count == 2)
    }

    @Test func aTargetThatLeftTakesOnlyItsOwnSeries() {
        let metrics = ExporterMetrics(resolution: 0.1)
        for target in ["10.0.0.1:9090", "10.0.0.2:9090"] {
            metrics.recordInstanceLag(1, target: target, kind: .remove)
            metrics.countSourceError(source: "apisix", target: target, reason: "timeout")
        }
        metrics.countSourceError(source: "kubernetes", target: "10.0.0.1:9090", reason: "timeout")
        metrics.removeTarget("10.0.0.1:9090")
        let lines = sortedLines(metrics).filter { !$0.hasPrefix("#") }
        #expect(!lines.contains { $0.contains("apisix=\"10.0.0.1:9090\"") })
        #expect(!lines.contains { $0.contains("source=\"apisix\",target=\"10.0.0.1:9090\"") })
        #expect(lines.contains { $0.contains("source=\"kubernetes\",target=\"10.0.0.1:9090\"") })
        #expect(lines.contains { $0.contains("apisix=\"10.0.0.2:9090\"") })
        #expect(lines.contains { $0.contains("source=\"apisix\",target=\"10.0.0.2:9090\"") })
    }

    @Test func exposionPassesPromtool() throws {
        guard let promtool = ExternalTool.find("promtool") else {
            try #require(!ExternalTool.isCI, "promtool is required in CI")
            return
        }
        let metrics = ExporterMetrics(resolution: 0.1)
        metrics.setBuildInfo(version: "0.1.0", revision: "abc", swiftVersion: "6.3")
        metrics.recordLag(1.5, service: web, kind: .remove, configuredDelay: 5)
        metrics.recordInstanceLag(1.5, target: "apisix:9180", kind: .remove)
        metrics.countChange(service: web, kind: .add, outcome: .superseded)
        metrics.countChange(service: ServiceKey(namespace: "odd", name: "a\"b\\c"), kind: .add, outcome: .timeout)
        metrics.countSourceError(source: "apisix", target: "apisix:9180", reason: "timeout")
        var snapshot = ExporterMetrics.GaugeSnapshot()
        snapshot.services[web] = .init()
        snapshot.sources = [.init(source: "apisix", target: "apisix:9180", up: true, lastSuccess: 1_700_000_000)]
        snapshot.upstreams["apisix:9180"] = [.mapped: 1]
        var policy = RecommendationPolicy()
        policy.minSamples = 1
        snapshot.recommendation = Recommendation.compute(
            samples: 1,
            quantileValue: 1.5,
            maximum: 1.5,
            overDelay: 0,
            policy: policy
        )
        let result = try ExternalTool.run(
            promtool,
            ["check", "metrics"],
            stdin: Data(metrics.text(gauges: snapshot).utf8)
        )
        #expect(result.status == 0, "promtool: \(result.output)")
    }
}
