import Foundation
import Testing

@testable import APISIXSyncExporter

/// Recording and dropping series; the expected families are whole text blocks (see ``ExpositionText``).
@Suite struct ExporterMetricsTests {
    let web = ServiceKey(namespace: "shop", name: "web")

    @Test func lagHistogramHasTheContractBucketsAndLabels() {
        let metrics = ExporterMetrics(resolution: 0.1)
        metrics.recordLag(1.2, service: web, kind: .remove, configuredDelay: 5)
        #expect(ExpositionText.family("apisix_sync_lag_seconds", in: metrics.text()) == Self.lagOfOneRemoval)
    }

    @Test func removalsOverTheDelayAreCounted() {
        let metrics = ExporterMetrics(resolution: 0.1)
        metrics.recordLag(6, service: web, kind: .remove, configuredDelay: 5)
        metrics.recordLag(4, service: web, kind: .remove, configuredDelay: 5)
        metrics.recordLag(9, service: web, kind: .add, configuredDelay: 5)
        #expect(
            ExpositionText.family("apisix_sync_removals_over_prestop_total", in: metrics.text()) == #"""
                # HELP apisix_sync_removals_over_prestop_total Endpoint removals whose lag exceeded the configured preStop delay.
                # TYPE apisix_sync_removals_over_prestop_total counter
                apisix_sync_removals_over_prestop_total{namespace="shop",service="web"} 1
                """#
        )
    }

    @Test func theExpositionIsWrittenInChunksOfWholeLines() {
        let metrics = ExporterMetrics(resolution: 0.1)
        for name in ["web", "api", "shop", "cart"] {
            metrics.recordLag(
                1.2,
                service: ServiceKey(namespace: "shop", name: name),
                kind: .remove,
                configuredDelay: 5
            )
        }
        let chunks = Array(metrics.exposition(gauges: .init(), chunkSize: 256)).map { Array($0.readableBytesView) }
        #expect(chunks.count > 4)
        #expect(chunks.allSatisfy { $0.last == UInt8(ascii: "\n") })
        #expect(chunks.dropLast().allSatisfy { $0.count >= 256 })
        #expect(chunks.flatMap { $0 } == metrics.exposition(gauges: .init()))
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
        #expect(ExpositionText.canonical(text) == Self.pendingRemovalWithoutRecommendation + "\n")
        snapshot.services[web] = .init()
        #expect(!metrics.text(gauges: snapshot).contains("oldest_pending_change_timestamp_seconds{"))
    }

    @Test func serviceLabelsCanBeDropped() {
        let metrics = ExporterMetrics(resolution: 0.1, serviceLabels: false)
        metrics.recordLag(1, service: web, kind: .remove, configuredDelay: 5)
        metrics.recordLag(1, service: ServiceKey(namespace: "other", name: "api"), kind: .remove, configuredDelay: 5)
        #expect(ExpositionText.family("apisix_sync_lag_seconds", in: metrics.text()) == Self.lagWithoutServiceLabels)
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
        #expect(ExpositionText.canonical(metrics.text(gauges: snapshot)) == Self.foldedServiceGauges + "\n")
    }

    @Test func histogramBucketsAreCumulativeAndNonFiniteLagsAreNotObservations() {
        let metrics = ExporterMetrics(resolution: 0.1)
        for lag in [0.05, 1.2, 400, .nan, .infinity] {
            metrics.recordLag(lag, service: web, kind: .add, configuredDelay: 5)
        }
        #expect(ExpositionText.family("apisix_sync_lag_seconds", in: metrics.text()) == Self.cumulativeAddLags)
    }

    @Test func labelValuesAreEscapedAndEachFamilyIsWrittenOnce() throws {
        let metrics = ExporterMetrics(resolution: 0.1)
        metrics.countSourceError(source: "apisix", target: "a\"b\\c\nd", reason: "timeout")
        #expect(metrics.text() == Self.escapedSourceError + "\n")
    }

    @Test func aTargetThatLeftTakesOnlyItsOwnSeries() {
        let metrics = ExporterMetrics(resolution: 0.1)
        for target in ["10.0.0.1:9090", "10.0.0.2:9090"] {
            metrics.recordInstanceLag(1, target: target, kind: .remove)
            metrics.countSourceError(source: "apisix", target: target, reason: "timeout")
        }
        metrics.countSourceError(source: "kubernetes", target: "10.0.0.1:9090", reason: "timeout")
        metrics.removeTarget("10.0.0.1:9090")
        #expect(ExpositionText.canonical(metrics.text()) == Self.afterTheTargetLeft + "\n")
    }

    static let lagOfOneRemoval = #"""
        # HELP apisix_sync_lag_seconds Time from receiving an EndpointSlice change to every APISIX target reflecting it, per Service (resolution: fast-poll interval 100ms plus request time).
        # TYPE apisix_sync_lag_seconds histogram
        apisix_sync_lag_seconds_bucket{namespace="shop",service="web",change="remove",le="0.05"} 0
        apisix_sync_lag_seconds_bucket{namespace="shop",service="web",change="remove",le="0.1"} 0
        apisix_sync_lag_seconds_bucket{namespace="shop",service="web",change="remove",le="0.25"} 0
        apisix_sync_lag_seconds_bucket{namespace="shop",service="web",change="remove",le="0.5"} 0
        apisix_sync_lag_seconds_bucket{namespace="shop",service="web",change="remove",le="1.0"} 0
        apisix_sync_lag_seconds_bucket{namespace="shop",service="web",change="remove",le="2.0"} 1
        apisix_sync_lag_seconds_bucket{namespace="shop",service="web",change="remove",le="3.0"} 1
        apisix_sync_lag_seconds_bucket{namespace="shop",service="web",change="remove",le="5.0"} 1
        apisix_sync_lag_seconds_bucket{namespace="shop",service="web",change="remove",le="7.5"} 1
        apisix_sync_lag_seconds_bucket{namespace="shop",service="web",change="remove",le="10.0"} 1
        apisix_sync_lag_seconds_bucket{namespace="shop",service="web",change="remove",le="15.0"} 1
        apisix_sync_lag_seconds_bucket{namespace="shop",service="web",change="remove",le="20.0"} 1
        apisix_sync_lag_seconds_bucket{namespace="shop",service="web",change="remove",le="30.0"} 1
        apisix_sync_lag_seconds_bucket{namespace="shop",service="web",change="remove",le="45.0"} 1
        apisix_sync_lag_seconds_bucket{namespace="shop",service="web",change="remove",le="60.0"} 1
        apisix_sync_lag_seconds_bucket{namespace="shop",service="web",change="remove",le="120.0"} 1
        apisix_sync_lag_seconds_bucket{namespace="shop",service="web",change="remove",le="300.0"} 1
        apisix_sync_lag_seconds_bucket{namespace="shop",service="web",change="remove",le="+Inf"} 1
        apisix_sync_lag_seconds_sum{namespace="shop",service="web",change="remove"} 1.2
        apisix_sync_lag_seconds_count{namespace="shop",service="web",change="remove"} 1
        """#
    static let pendingRemovalWithoutRecommendation = #"""
        # HELP apisix_sync_pending_changes Endpoint changes not yet reflected by every APISIX target.
        # TYPE apisix_sync_pending_changes gauge
        apisix_sync_pending_changes{namespace="shop",service="web",change="add"} 0
        apisix_sync_pending_changes{namespace="shop",service="web",change="remove"} 1
        # HELP apisix_sync_oldest_pending_change_timestamp_seconds Unix time the oldest pending endpoint change was received; absent when none is pending.
        # TYPE apisix_sync_oldest_pending_change_timestamp_seconds gauge
        apisix_sync_oldest_pending_change_timestamp_seconds{namespace="shop",service="web",change="remove"} 1700000000.5
        # HELP apisix_sync_stale_nodes Nodes APISIX routes to that Kubernetes does not list as ready (worst APISIX target, summed over ports).
        # TYPE apisix_sync_stale_nodes gauge
        apisix_sync_stale_nodes{namespace="shop",service="web"} 0
        # HELP apisix_sync_missing_nodes Ready endpoints APISIX does not route to (worst APISIX target, summed over ports).
        # TYPE apisix_sync_missing_nodes gauge
        apisix_sync_missing_nodes{namespace="shop",service="web"} 0
        # HELP apisix_sync_recommendation_samples Removal-lag samples in the recommendation window.
        # TYPE apisix_sync_recommendation_samples gauge
        apisix_sync_recommendation_samples 3
        # HELP apisix_sync_configured_prestop_seconds The preStop delay configured today (--prestop-delay), to compare the lag with.
        # TYPE apisix_sync_configured_prestop_seconds gauge
        apisix_sync_configured_prestop_seconds 0
        """#
    static let lagWithoutServiceLabels = #"""
        # HELP apisix_sync_lag_seconds Time from receiving an EndpointSlice change to every APISIX target reflecting it, per Service (resolution: fast-poll interval 100ms plus request time).
        # TYPE apisix_sync_lag_seconds histogram
        apisix_sync_lag_seconds_bucket{change="remove",le="0.05"} 0
        apisix_sync_lag_seconds_bucket{change="remove",le="0.1"} 0
        apisix_sync_lag_seconds_bucket{change="remove",le="0.25"} 0
        apisix_sync_lag_seconds_bucket{change="remove",le="0.5"} 0
        apisix_sync_lag_seconds_bucket{change="remove",le="1.0"} 2
        apisix_sync_lag_seconds_bucket{change="remove",le="2.0"} 2
        apisix_sync_lag_seconds_bucket{change="remove",le="3.0"} 2
        apisix_sync_lag_seconds_bucket{change="remove",le="5.0"} 2
        apisix_sync_lag_seconds_bucket{change="remove",le="7.5"} 2
        apisix_sync_lag_seconds_bucket{change="remove",le="10.0"} 2
        apisix_sync_lag_seconds_bucket{change="remove",le="15.0"} 2
        apisix_sync_lag_seconds_bucket{change="remove",le="20.0"} 2
        apisix_sync_lag_seconds_bucket{change="remove",le="30.0"} 2
        apisix_sync_lag_seconds_bucket{change="remove",le="45.0"} 2
        apisix_sync_lag_seconds_bucket{change="remove",le="60.0"} 2
        apisix_sync_lag_seconds_bucket{change="remove",le="120.0"} 2
        apisix_sync_lag_seconds_bucket{change="remove",le="300.0"} 2
        apisix_sync_lag_seconds_bucket{change="remove",le="+Inf"} 2
        apisix_sync_lag_seconds_sum{change="remove"} 2
        apisix_sync_lag_seconds_count{change="remove"} 2
        """#
    static let foldedServiceGauges = #"""
        # HELP apisix_sync_pending_changes Endpoint changes not yet reflected by every APISIX target.
        # TYPE apisix_sync_pending_changes gauge
        apisix_sync_pending_changes{change="add"} 1
        apisix_sync_pending_changes{change="remove"} 3
        # HELP apisix_sync_oldest_pending_change_timestamp_seconds Unix time the oldest pending endpoint change was received; absent when none is pending.
        # TYPE apisix_sync_oldest_pending_change_timestamp_seconds gauge
        apisix_sync_oldest_pending_change_timestamp_seconds{change="add"} 1700000020
        apisix_sync_oldest_pending_change_timestamp_seconds{change="remove"} 1700000005
        # HELP apisix_sync_stale_nodes Nodes APISIX routes to that Kubernetes does not list as ready (worst APISIX target, summed over ports).
        # TYPE apisix_sync_stale_nodes gauge
        apisix_sync_stale_nodes 3
        # HELP apisix_sync_missing_nodes Ready endpoints APISIX does not route to (worst APISIX target, summed over ports).
        # TYPE apisix_sync_missing_nodes gauge
        apisix_sync_missing_nodes 3
        # HELP apisix_sync_configured_prestop_seconds The preStop delay configured today (--prestop-delay), to compare the lag with.
        # TYPE apisix_sync_configured_prestop_seconds gauge
        apisix_sync_configured_prestop_seconds 0
        """#
    static let cumulativeAddLags = #"""
        # HELP apisix_sync_lag_seconds Time from receiving an EndpointSlice change to every APISIX target reflecting it, per Service (resolution: fast-poll interval 100ms plus request time).
        # TYPE apisix_sync_lag_seconds histogram
        apisix_sync_lag_seconds_bucket{namespace="shop",service="web",change="add",le="0.05"} 1
        apisix_sync_lag_seconds_bucket{namespace="shop",service="web",change="add",le="0.1"} 1
        apisix_sync_lag_seconds_bucket{namespace="shop",service="web",change="add",le="0.25"} 1
        apisix_sync_lag_seconds_bucket{namespace="shop",service="web",change="add",le="0.5"} 1
        apisix_sync_lag_seconds_bucket{namespace="shop",service="web",change="add",le="1.0"} 1
        apisix_sync_lag_seconds_bucket{namespace="shop",service="web",change="add",le="2.0"} 2
        apisix_sync_lag_seconds_bucket{namespace="shop",service="web",change="add",le="3.0"} 2
        apisix_sync_lag_seconds_bucket{namespace="shop",service="web",change="add",le="5.0"} 2
        apisix_sync_lag_seconds_bucket{namespace="shop",service="web",change="add",le="7.5"} 2
        apisix_sync_lag_seconds_bucket{namespace="shop",service="web",change="add",le="10.0"} 2
        apisix_sync_lag_seconds_bucket{namespace="shop",service="web",change="add",le="15.0"} 2
        apisix_sync_lag_seconds_bucket{namespace="shop",service="web",change="add",le="20.0"} 2
        apisix_sync_lag_seconds_bucket{namespace="shop",service="web",change="add",le="30.0"} 2
        apisix_sync_lag_seconds_bucket{namespace="shop",service="web",change="add",le="45.0"} 2
        apisix_sync_lag_seconds_bucket{namespace="shop",service="web",change="add",le="60.0"} 2
        apisix_sync_lag_seconds_bucket{namespace="shop",service="web",change="add",le="120.0"} 2
        apisix_sync_lag_seconds_bucket{namespace="shop",service="web",change="add",le="300.0"} 2
        apisix_sync_lag_seconds_bucket{namespace="shop",service="web",change="add",le="+Inf"} 3
        apisix_sync_lag_seconds_sum{namespace="shop",service="web",change="add"} 401.25
        apisix_sync_lag_seconds_count{namespace="shop",service="web",change="add"} 3
        """#
    static let escapedSourceError = #"""
        # HELP apisix_sync_source_errors_total Failed requests to a source, by reason.
        # TYPE apisix_sync_source_errors_total counter
        apisix_sync_source_errors_total{source="apisix",target="a\"b\\c\nd",reason="timeout"} 1
        # HELP apisix_sync_configured_prestop_seconds The preStop delay configured today (--prestop-delay), to compare the lag with.
        # TYPE apisix_sync_configured_prestop_seconds gauge
        apisix_sync_configured_prestop_seconds 0
        """#
    static let afterTheTargetLeft = #"""
        # HELP apisix_sync_instance_lag_seconds Time from receiving an EndpointSlice change to one APISIX target reflecting it (resolution: fast-poll interval 100ms plus request time).
        # TYPE apisix_sync_instance_lag_seconds histogram
        apisix_sync_instance_lag_seconds_bucket{apisix="10.0.0.2:9090",change="remove",le="0.05"} 0
        apisix_sync_instance_lag_seconds_bucket{apisix="10.0.0.2:9090",change="remove",le="0.1"} 0
        apisix_sync_instance_lag_seconds_bucket{apisix="10.0.0.2:9090",change="remove",le="0.25"} 0
        apisix_sync_instance_lag_seconds_bucket{apisix="10.0.0.2:9090",change="remove",le="0.5"} 0
        apisix_sync_instance_lag_seconds_bucket{apisix="10.0.0.2:9090",change="remove",le="1.0"} 1
        apisix_sync_instance_lag_seconds_bucket{apisix="10.0.0.2:9090",change="remove",le="2.0"} 1
        apisix_sync_instance_lag_seconds_bucket{apisix="10.0.0.2:9090",change="remove",le="3.0"} 1
        apisix_sync_instance_lag_seconds_bucket{apisix="10.0.0.2:9090",change="remove",le="5.0"} 1
        apisix_sync_instance_lag_seconds_bucket{apisix="10.0.0.2:9090",change="remove",le="7.5"} 1
        apisix_sync_instance_lag_seconds_bucket{apisix="10.0.0.2:9090",change="remove",le="10.0"} 1
        apisix_sync_instance_lag_seconds_bucket{apisix="10.0.0.2:9090",change="remove",le="15.0"} 1
        apisix_sync_instance_lag_seconds_bucket{apisix="10.0.0.2:9090",change="remove",le="20.0"} 1
        apisix_sync_instance_lag_seconds_bucket{apisix="10.0.0.2:9090",change="remove",le="30.0"} 1
        apisix_sync_instance_lag_seconds_bucket{apisix="10.0.0.2:9090",change="remove",le="45.0"} 1
        apisix_sync_instance_lag_seconds_bucket{apisix="10.0.0.2:9090",change="remove",le="60.0"} 1
        apisix_sync_instance_lag_seconds_bucket{apisix="10.0.0.2:9090",change="remove",le="120.0"} 1
        apisix_sync_instance_lag_seconds_bucket{apisix="10.0.0.2:9090",change="remove",le="300.0"} 1
        apisix_sync_instance_lag_seconds_bucket{apisix="10.0.0.2:9090",change="remove",le="+Inf"} 1
        apisix_sync_instance_lag_seconds_sum{apisix="10.0.0.2:9090",change="remove"} 1
        apisix_sync_instance_lag_seconds_count{apisix="10.0.0.2:9090",change="remove"} 1
        # HELP apisix_sync_source_errors_total Failed requests to a source, by reason.
        # TYPE apisix_sync_source_errors_total counter
        apisix_sync_source_errors_total{source="apisix",target="10.0.0.2:9090",reason="timeout"} 1
        apisix_sync_source_errors_total{source="kubernetes",target="10.0.0.1:9090",reason="timeout"} 1
        # HELP apisix_sync_configured_prestop_seconds The preStop delay configured today (--prestop-delay), to compare the lag with.
        # TYPE apisix_sync_configured_prestop_seconds gauge
        apisix_sync_configured_prestop_seconds 0
        """#
}
