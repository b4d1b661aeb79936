import Testing

@testable import APISIXSyncExporter

/// Each group of families as a whole text block for a small state, as kube-state-metrics tests each family: HELP and
/// TYPE lines, label names and their order, every bucket of a histogram, value formatting, and which families a state
/// leaves out. (The workload families: ``WorkloadExpositionGoldenTests``.)
@Suite struct ExpositionGoldenTests {
    static let web = ServiceKey(namespace: "shop", name: "web")

    /// The exposition of `metrics` for `snapshot`, its series in canonical order.
    static func text(_ metrics: ExporterMetrics, _ snapshot: ExporterMetrics.GaugeSnapshot = .init()) -> String {
        ExpositionText.canonical(metrics.text(gauges: snapshot))
    }

    static func lagHistograms() -> String {
        let metrics = ExporterMetrics(resolution: 0.25)
        metrics.recordLag(0.3, service: web, kind: .add, configuredDelay: 5)
        metrics.recordCensoredLag(lowerBound: 5.5, upperBound: 8, service: web, kind: .remove, configuredDelay: 5)
        metrics.recordInstanceLag(0.3, target: "apisix-0:9180", kind: .add)
        var snapshot = ExporterMetrics.GaugeSnapshot()
        snapshot.configuredDelay = 5
        return text(metrics, snapshot)
    }

    static func removalStages() -> String {
        let metrics = ExporterMetrics(resolution: 0.1)
        metrics.recordStages(kubernetes: 0.5, apisix: 1.25)
        metrics.countStageSkipped(.podUnknown, count: 2)
        metrics.countStageSkipped(.noTargetRef, count: 0)
        metrics.addRoutableAfterPrestop(1.5, service: web)
        metrics.addRoutableAfterPrestop(0.25, service: web)
        metrics.addRoutableAfterPrestop(-1, service: web)
        return text(metrics)
    }

    static func changesAndSourceErrors() -> String {
        let metrics = ExporterMetrics(resolution: 0.1)
        metrics.countChange(service: web, kind: .remove, outcome: .synced)
        metrics.countChange(service: web, kind: .remove, outcome: .synced)
        metrics.countChange(service: web, kind: .add, outcome: .superseded)
        metrics.countSourceError(source: "apisix", target: "apisix-0:9180", reason: "timeout")
        metrics.countSourceError(source: "kubernetes", target: "https://10.96.0.1:443", reason: "http_503")
        return text(metrics)
    }

    static func serviceGauges() -> String {
        var state = ExporterMetrics.GaugeSnapshot.ServiceState()
        state.add(pending: [.remove: (2, 1_700_000_010.5)], stale: 1, missing: 0)
        state.add(pending: [.remove: (1, 1_700_000_005)], stale: 0, missing: 2)
        var snapshot = ExporterMetrics.GaugeSnapshot()
        snapshot.services[web] = state
        return text(ExporterMetrics(resolution: 0.1), snapshot)
    }

    static func sourceGauges() -> String {
        let metrics = ExporterMetrics(resolution: 0.1)
        metrics.setBuildInfo(version: "0.4.0", revision: "52bdbdc", swiftVersion: "6.2")
        var snapshot = ExporterMetrics.GaugeSnapshot()
        snapshot.sources = [
            .init(source: "kubernetes", target: "https://10.96.0.1:443", up: true, lastSuccess: 1_700_000_000.25),
            .init(source: "apisix", target: "apisix-0:9180", up: false, lastSuccess: nil),
        ]
        snapshot.upstreams["apisix-0:9180"] = [.mapped: 3, .discovery: 1]
        var policy = RecommendationPolicy()
        policy.minSamples = 2
        snapshot.recommendation = Recommendation.compute(
            samples: 2,
            quantileValue: 1.5,
            maximum: 2,
            overDelay: 0,
            policy: policy
        )
        snapshot.configuredDelay = 5
        return text(metrics, snapshot)
    }

    static func processFamilies() -> String {
        var snapshot = ExporterMetrics.GaugeSnapshot()
        snapshot.process = ProcessMetrics(
            cpuSeconds: 4.25,
            residentMemoryBytes: 122_880_000,
            virtualMemoryBytes: 1_236_992_000,
            startTime: 1_795_586_775.55,
            openFileDescriptors: 17,
            maxFileDescriptors: 1_048_576
        )
        return text(ExporterMetrics(resolution: 0.1), snapshot)
    }

    @Test func serviceAndInstanceLagHistograms() {
        #expect(Self.lagHistograms() == Self.expectedLagHistograms + "\n")
    }

    @Test func removalStageFamilies() {
        #expect(Self.removalStages() == Self.expectedRemovalStages + "\n")
    }

    @Test func changeAndSourceErrorCounters() {
        #expect(Self.changesAndSourceErrors() == Self.expectedChangesAndSourceErrors + "\n")
    }

    @Test func serviceGaugeFamilies() {
        #expect(Self.serviceGauges() == Self.expectedServiceGauges + "\n")
    }

    @Test func sourceRecommendationAndBuildInfoFamilies() {
        #expect(Self.sourceGauges() == Self.expectedSourceGauges + "\n")
    }

    @Test func processFamilyBlock() {
        #expect(Self.processFamilies() == Self.expectedProcessFamilies + "\n")
    }

    @Test func canonicalOrderSortsSeriesButKeepsFamiliesAndHistogramLines() {
        let text = """
            # HELP b_total B.
            # TYPE b_total counter
            b_total{x="2"} 1
            b_total{x="1"} 1
            # HELP a A.
            # TYPE a histogram
            a_bucket{x="2",le="1.0"} 0
            a_bucket{x="2",le="+Inf"} 1
            a_sum{x="2"} 3
            a_count{x="2"} 1
            a_bucket{x="1",le="1.0"} 1
            a_bucket{x="1",le="+Inf"} 1
            a_sum{x="1"} 0.5
            a_count{x="1"} 1

            """
        #expect(
            ExpositionText.canonical(text) == """
                # HELP b_total B.
                # TYPE b_total counter
                b_total{x="1"} 1
                b_total{x="2"} 1
                # HELP a A.
                # TYPE a histogram
                a_bucket{x="1",le="1.0"} 1
                a_bucket{x="1",le="+Inf"} 1
                a_sum{x="1"} 0.5
                a_count{x="1"} 1
                a_bucket{x="2",le="1.0"} 0
                a_bucket{x="2",le="+Inf"} 1
                a_sum{x="2"} 3
                a_count{x="2"} 1

                """
        )
        #expect(ExpositionText.family("b_total", in: text).hasSuffix(#"b_total{x="2"} 1"#))
        #expect(ExpositionText.family("c", in: text) == "")
    }

    static let expectedLagHistograms = #"""
        # HELP apisix_sync_lag_seconds Time from receiving an EndpointSlice change to every APISIX target reflecting it, per Service (resolution: fast-poll interval 250ms plus request time).
        # TYPE apisix_sync_lag_seconds histogram
        apisix_sync_lag_seconds_bucket{namespace="shop",service="web",change="add",le="0.05"} 0
        apisix_sync_lag_seconds_bucket{namespace="shop",service="web",change="add",le="0.1"} 0
        apisix_sync_lag_seconds_bucket{namespace="shop",service="web",change="add",le="0.25"} 0
        apisix_sync_lag_seconds_bucket{namespace="shop",service="web",change="add",le="0.5"} 1
        apisix_sync_lag_seconds_bucket{namespace="shop",service="web",change="add",le="1.0"} 1
        apisix_sync_lag_seconds_bucket{namespace="shop",service="web",change="add",le="2.0"} 1
        apisix_sync_lag_seconds_bucket{namespace="shop",service="web",change="add",le="3.0"} 1
        apisix_sync_lag_seconds_bucket{namespace="shop",service="web",change="add",le="5.0"} 1
        apisix_sync_lag_seconds_bucket{namespace="shop",service="web",change="add",le="7.5"} 1
        apisix_sync_lag_seconds_bucket{namespace="shop",service="web",change="add",le="10.0"} 1
        apisix_sync_lag_seconds_bucket{namespace="shop",service="web",change="add",le="15.0"} 1
        apisix_sync_lag_seconds_bucket{namespace="shop",service="web",change="add",le="20.0"} 1
        apisix_sync_lag_seconds_bucket{namespace="shop",service="web",change="add",le="30.0"} 1
        apisix_sync_lag_seconds_bucket{namespace="shop",service="web",change="add",le="45.0"} 1
        apisix_sync_lag_seconds_bucket{namespace="shop",service="web",change="add",le="60.0"} 1
        apisix_sync_lag_seconds_bucket{namespace="shop",service="web",change="add",le="120.0"} 1
        apisix_sync_lag_seconds_bucket{namespace="shop",service="web",change="add",le="300.0"} 1
        apisix_sync_lag_seconds_bucket{namespace="shop",service="web",change="add",le="+Inf"} 1
        apisix_sync_lag_seconds_sum{namespace="shop",service="web",change="add"} 0.3
        apisix_sync_lag_seconds_count{namespace="shop",service="web",change="add"} 1
        # HELP apisix_sync_censored_lag_upper_bound_seconds Upper bounds of censored lags: changes whose end is known only within an interval (a request failed or polling stalled in between), per Service.
        # TYPE apisix_sync_censored_lag_upper_bound_seconds histogram
        apisix_sync_censored_lag_upper_bound_seconds_bucket{namespace="shop",service="web",change="remove",le="0.05"} 0
        apisix_sync_censored_lag_upper_bound_seconds_bucket{namespace="shop",service="web",change="remove",le="0.1"} 0
        apisix_sync_censored_lag_upper_bound_seconds_bucket{namespace="shop",service="web",change="remove",le="0.25"} 0
        apisix_sync_censored_lag_upper_bound_seconds_bucket{namespace="shop",service="web",change="remove",le="0.5"} 0
        apisix_sync_censored_lag_upper_bound_seconds_bucket{namespace="shop",service="web",change="remove",le="1.0"} 0
        apisix_sync_censored_lag_upper_bound_seconds_bucket{namespace="shop",service="web",change="remove",le="2.0"} 0
        apisix_sync_censored_lag_upper_bound_seconds_bucket{namespace="shop",service="web",change="remove",le="3.0"} 0
        apisix_sync_censored_lag_upper_bound_seconds_bucket{namespace="shop",service="web",change="remove",le="5.0"} 0
        apisix_sync_censored_lag_upper_bound_seconds_bucket{namespace="shop",service="web",change="remove",le="7.5"} 0
        apisix_sync_censored_lag_upper_bound_seconds_bucket{namespace="shop",service="web",change="remove",le="10.0"} 1
        apisix_sync_censored_lag_upper_bound_seconds_bucket{namespace="shop",service="web",change="remove",le="15.0"} 1
        apisix_sync_censored_lag_upper_bound_seconds_bucket{namespace="shop",service="web",change="remove",le="20.0"} 1
        apisix_sync_censored_lag_upper_bound_seconds_bucket{namespace="shop",service="web",change="remove",le="30.0"} 1
        apisix_sync_censored_lag_upper_bound_seconds_bucket{namespace="shop",service="web",change="remove",le="45.0"} 1
        apisix_sync_censored_lag_upper_bound_seconds_bucket{namespace="shop",service="web",change="remove",le="60.0"} 1
        apisix_sync_censored_lag_upper_bound_seconds_bucket{namespace="shop",service="web",change="remove",le="120.0"} 1
        apisix_sync_censored_lag_upper_bound_seconds_bucket{namespace="shop",service="web",change="remove",le="300.0"} 1
        apisix_sync_censored_lag_upper_bound_seconds_bucket{namespace="shop",service="web",change="remove",le="+Inf"} 1
        apisix_sync_censored_lag_upper_bound_seconds_sum{namespace="shop",service="web",change="remove"} 8
        apisix_sync_censored_lag_upper_bound_seconds_count{namespace="shop",service="web",change="remove"} 1
        # HELP apisix_sync_instance_lag_seconds Time from receiving an EndpointSlice change to one APISIX target reflecting it (resolution: fast-poll interval 250ms plus request time).
        # TYPE apisix_sync_instance_lag_seconds histogram
        apisix_sync_instance_lag_seconds_bucket{apisix="apisix-0:9180",change="add",le="0.05"} 0
        apisix_sync_instance_lag_seconds_bucket{apisix="apisix-0:9180",change="add",le="0.1"} 0
        apisix_sync_instance_lag_seconds_bucket{apisix="apisix-0:9180",change="add",le="0.25"} 0
        apisix_sync_instance_lag_seconds_bucket{apisix="apisix-0:9180",change="add",le="0.5"} 1
        apisix_sync_instance_lag_seconds_bucket{apisix="apisix-0:9180",change="add",le="1.0"} 1
        apisix_sync_instance_lag_seconds_bucket{apisix="apisix-0:9180",change="add",le="2.0"} 1
        apisix_sync_instance_lag_seconds_bucket{apisix="apisix-0:9180",change="add",le="3.0"} 1
        apisix_sync_instance_lag_seconds_bucket{apisix="apisix-0:9180",change="add",le="5.0"} 1
        apisix_sync_instance_lag_seconds_bucket{apisix="apisix-0:9180",change="add",le="7.5"} 1
        apisix_sync_instance_lag_seconds_bucket{apisix="apisix-0:9180",change="add",le="10.0"} 1
        apisix_sync_instance_lag_seconds_bucket{apisix="apisix-0:9180",change="add",le="15.0"} 1
        apisix_sync_instance_lag_seconds_bucket{apisix="apisix-0:9180",change="add",le="20.0"} 1
        apisix_sync_instance_lag_seconds_bucket{apisix="apisix-0:9180",change="add",le="30.0"} 1
        apisix_sync_instance_lag_seconds_bucket{apisix="apisix-0:9180",change="add",le="45.0"} 1
        apisix_sync_instance_lag_seconds_bucket{apisix="apisix-0:9180",change="add",le="60.0"} 1
        apisix_sync_instance_lag_seconds_bucket{apisix="apisix-0:9180",change="add",le="120.0"} 1
        apisix_sync_instance_lag_seconds_bucket{apisix="apisix-0:9180",change="add",le="300.0"} 1
        apisix_sync_instance_lag_seconds_bucket{apisix="apisix-0:9180",change="add",le="+Inf"} 1
        apisix_sync_instance_lag_seconds_sum{apisix="apisix-0:9180",change="add"} 0.3
        apisix_sync_instance_lag_seconds_count{apisix="apisix-0:9180",change="add"} 1
        # HELP apisix_sync_removals_over_prestop_total Endpoint removals whose lag exceeded the configured preStop delay.
        # TYPE apisix_sync_removals_over_prestop_total counter
        apisix_sync_removals_over_prestop_total{namespace="shop",service="web"} 1
        # HELP apisix_sync_configured_prestop_seconds The preStop delay configured today (--prestop-delay), to compare the lag with.
        # TYPE apisix_sync_configured_prestop_seconds gauge
        apisix_sync_configured_prestop_seconds 5
        """#
    static let expectedRemovalStages = #"""
        # HELP apisix_sync_removal_stage_seconds Endpoint removals timed from their pod's deletion, by stage: kubernetes (pod deletion to EndpointSlice change), apisix (EndpointSlice change to every APISIX target), end_to_end (sum); over all Services (per Service: apisix_sync_lag_seconds and the workload gauges).
        # TYPE apisix_sync_removal_stage_seconds histogram
        apisix_sync_removal_stage_seconds_bucket{stage="apisix",le="0.05"} 0
        apisix_sync_removal_stage_seconds_bucket{stage="apisix",le="0.1"} 0
        apisix_sync_removal_stage_seconds_bucket{stage="apisix",le="0.25"} 0
        apisix_sync_removal_stage_seconds_bucket{stage="apisix",le="0.5"} 0
        apisix_sync_removal_stage_seconds_bucket{stage="apisix",le="1.0"} 0
        apisix_sync_removal_stage_seconds_bucket{stage="apisix",le="2.0"} 1
        apisix_sync_removal_stage_seconds_bucket{stage="apisix",le="3.0"} 1
        apisix_sync_removal_stage_seconds_bucket{stage="apisix",le="5.0"} 1
        apisix_sync_removal_stage_seconds_bucket{stage="apisix",le="7.5"} 1
        apisix_sync_removal_stage_seconds_bucket{stage="apisix",le="10.0"} 1
        apisix_sync_removal_stage_seconds_bucket{stage="apisix",le="15.0"} 1
        apisix_sync_removal_stage_seconds_bucket{stage="apisix",le="20.0"} 1
        apisix_sync_removal_stage_seconds_bucket{stage="apisix",le="30.0"} 1
        apisix_sync_removal_stage_seconds_bucket{stage="apisix",le="45.0"} 1
        apisix_sync_removal_stage_seconds_bucket{stage="apisix",le="60.0"} 1
        apisix_sync_removal_stage_seconds_bucket{stage="apisix",le="120.0"} 1
        apisix_sync_removal_stage_seconds_bucket{stage="apisix",le="300.0"} 1
        apisix_sync_removal_stage_seconds_bucket{stage="apisix",le="+Inf"} 1
        apisix_sync_removal_stage_seconds_sum{stage="apisix"} 1.25
        apisix_sync_removal_stage_seconds_count{stage="apisix"} 1
        apisix_sync_removal_stage_seconds_bucket{stage="end_to_end",le="0.05"} 0
        apisix_sync_removal_stage_seconds_bucket{stage="end_to_end",le="0.1"} 0
        apisix_sync_removal_stage_seconds_bucket{stage="end_to_end",le="0.25"} 0
        apisix_sync_removal_stage_seconds_bucket{stage="end_to_end",le="0.5"} 0
        apisix_sync_removal_stage_seconds_bucket{stage="end_to_end",le="1.0"} 0
        apisix_sync_removal_stage_seconds_bucket{stage="end_to_end",le="2.0"} 1
        apisix_sync_removal_stage_seconds_bucket{stage="end_to_end",le="3.0"} 1
        apisix_sync_removal_stage_seconds_bucket{stage="end_to_end",le="5.0"} 1
        apisix_sync_removal_stage_seconds_bucket{stage="end_to_end",le="7.5"} 1
        apisix_sync_removal_stage_seconds_bucket{stage="end_to_end",le="10.0"} 1
        apisix_sync_removal_stage_seconds_bucket{stage="end_to_end",le="15.0"} 1
        apisix_sync_removal_stage_seconds_bucket{stage="end_to_end",le="20.0"} 1
        apisix_sync_removal_stage_seconds_bucket{stage="end_to_end",le="30.0"} 1
        apisix_sync_removal_stage_seconds_bucket{stage="end_to_end",le="45.0"} 1
        apisix_sync_removal_stage_seconds_bucket{stage="end_to_end",le="60.0"} 1
        apisix_sync_removal_stage_seconds_bucket{stage="end_to_end",le="120.0"} 1
        apisix_sync_removal_stage_seconds_bucket{stage="end_to_end",le="300.0"} 1
        apisix_sync_removal_stage_seconds_bucket{stage="end_to_end",le="+Inf"} 1
        apisix_sync_removal_stage_seconds_sum{stage="end_to_end"} 1.75
        apisix_sync_removal_stage_seconds_count{stage="end_to_end"} 1
        apisix_sync_removal_stage_seconds_bucket{stage="kubernetes",le="0.05"} 0
        apisix_sync_removal_stage_seconds_bucket{stage="kubernetes",le="0.1"} 0
        apisix_sync_removal_stage_seconds_bucket{stage="kubernetes",le="0.25"} 0
        apisix_sync_removal_stage_seconds_bucket{stage="kubernetes",le="0.5"} 1
        apisix_sync_removal_stage_seconds_bucket{stage="kubernetes",le="1.0"} 1
        apisix_sync_removal_stage_seconds_bucket{stage="kubernetes",le="2.0"} 1
        apisix_sync_removal_stage_seconds_bucket{stage="kubernetes",le="3.0"} 1
        apisix_sync_removal_stage_seconds_bucket{stage="kubernetes",le="5.0"} 1
        apisix_sync_removal_stage_seconds_bucket{stage="kubernetes",le="7.5"} 1
        apisix_sync_removal_stage_seconds_bucket{stage="kubernetes",le="10.0"} 1
        apisix_sync_removal_stage_seconds_bucket{stage="kubernetes",le="15.0"} 1
        apisix_sync_removal_stage_seconds_bucket{stage="kubernetes",le="20.0"} 1
        apisix_sync_removal_stage_seconds_bucket{stage="kubernetes",le="30.0"} 1
        apisix_sync_removal_stage_seconds_bucket{stage="kubernetes",le="45.0"} 1
        apisix_sync_removal_stage_seconds_bucket{stage="kubernetes",le="60.0"} 1
        apisix_sync_removal_stage_seconds_bucket{stage="kubernetes",le="120.0"} 1
        apisix_sync_removal_stage_seconds_bucket{stage="kubernetes",le="300.0"} 1
        apisix_sync_removal_stage_seconds_bucket{stage="kubernetes",le="+Inf"} 1
        apisix_sync_removal_stage_seconds_sum{stage="kubernetes"} 0.5
        apisix_sync_removal_stage_seconds_count{stage="kubernetes"} 1
        # HELP apisix_sync_removal_stage_skipped_total Endpoint removals timed from the EndpointSlice change only, by why the pod's deletion could not be used.
        # TYPE apisix_sync_removal_stage_skipped_total counter
        apisix_sync_removal_stage_skipped_total{reason="pod_unknown"} 2
        # HELP apisix_sync_routable_after_prestop_seconds_total Seconds terminated pods stayed routable in APISIX after their own preStop ended (sum over removals of end-to-end lag minus the workload's preStop, when positive).
        # TYPE apisix_sync_routable_after_prestop_seconds_total counter
        apisix_sync_routable_after_prestop_seconds_total{namespace="shop",service="web"} 1.75
        # HELP apisix_sync_configured_prestop_seconds The preStop delay configured today (--prestop-delay), to compare the lag with.
        # TYPE apisix_sync_configured_prestop_seconds gauge
        apisix_sync_configured_prestop_seconds 0
        """#
    static let expectedChangesAndSourceErrors = #"""
        # HELP apisix_sync_changes_total Endpoint changes by how they ended: synced (lag recorded), censored (lag within bounds), superseded, timeout, unobserved.
        # TYPE apisix_sync_changes_total counter
        apisix_sync_changes_total{namespace="shop",service="web",change="add",outcome="superseded"} 1
        apisix_sync_changes_total{namespace="shop",service="web",change="remove",outcome="synced"} 2
        # HELP apisix_sync_source_errors_total Failed requests to a source, by reason.
        # TYPE apisix_sync_source_errors_total counter
        apisix_sync_source_errors_total{source="apisix",target="apisix-0:9180",reason="timeout"} 1
        apisix_sync_source_errors_total{source="kubernetes",target="https://10.96.0.1:443",reason="http_503"} 1
        # HELP apisix_sync_configured_prestop_seconds The preStop delay configured today (--prestop-delay), to compare the lag with.
        # TYPE apisix_sync_configured_prestop_seconds gauge
        apisix_sync_configured_prestop_seconds 0
        """#
    static let expectedServiceGauges = #"""
        # HELP apisix_sync_pending_changes Endpoint changes not yet reflected by every APISIX target.
        # TYPE apisix_sync_pending_changes gauge
        apisix_sync_pending_changes{namespace="shop",service="web",change="add"} 0
        apisix_sync_pending_changes{namespace="shop",service="web",change="remove"} 3
        # HELP apisix_sync_oldest_pending_change_timestamp_seconds Unix time the oldest pending endpoint change was received; absent when none is pending.
        # TYPE apisix_sync_oldest_pending_change_timestamp_seconds gauge
        apisix_sync_oldest_pending_change_timestamp_seconds{namespace="shop",service="web",change="remove"} 1700000005
        # HELP apisix_sync_stale_nodes Nodes APISIX routes to that Kubernetes does not list as ready (worst APISIX target, summed over ports).
        # TYPE apisix_sync_stale_nodes gauge
        apisix_sync_stale_nodes{namespace="shop",service="web"} 1
        # HELP apisix_sync_missing_nodes Ready endpoints APISIX does not route to (worst APISIX target, summed over ports).
        # TYPE apisix_sync_missing_nodes gauge
        apisix_sync_missing_nodes{namespace="shop",service="web"} 2
        # HELP apisix_sync_configured_prestop_seconds The preStop delay configured today (--prestop-delay), to compare the lag with.
        # TYPE apisix_sync_configured_prestop_seconds gauge
        apisix_sync_configured_prestop_seconds 0
        """#
    static let expectedSourceGauges = #"""
        # HELP apisix_sync_build_info Build information of the exporter; the value is always 1.
        # TYPE apisix_sync_build_info gauge
        apisix_sync_build_info{version="0.4.0",revision="52bdbdc",swift_version="6.2"} 1
        # HELP apisix_sync_source_up 1 if the last request to the source succeeded, else 0.
        # TYPE apisix_sync_source_up gauge
        apisix_sync_source_up{source="apisix",target="apisix-0:9180"} 0
        apisix_sync_source_up{source="kubernetes",target="https://10.96.0.1:443"} 1
        # HELP apisix_sync_source_last_success_timestamp_seconds Unix time of the last successful request to the source.
        # TYPE apisix_sync_source_last_success_timestamp_seconds gauge
        apisix_sync_source_last_success_timestamp_seconds{source="kubernetes",target="https://10.96.0.1:443"} 1700000000.25
        # HELP apisix_sync_upstreams APISIX upstreams by mapping state: mapped to a Service port, unmapped, or using discovery.
        # TYPE apisix_sync_upstreams gauge
        apisix_sync_upstreams{apisix="apisix-0:9180",state="discovery"} 1
        apisix_sync_upstreams{apisix="apisix-0:9180",state="mapped"} 3
        apisix_sync_upstreams{apisix="apisix-0:9180",state="unmapped"} 0
        # HELP apisix_sync_recommendation_samples Removal-lag samples in the recommendation window.
        # TYPE apisix_sync_recommendation_samples gauge
        apisix_sync_recommendation_samples 2
        # HELP apisix_sync_recommended_prestop_seconds Recommended preStop sleep: ceil(removal-lag quantile + margin); absent until enough samples.
        # TYPE apisix_sync_recommended_prestop_seconds gauge
        apisix_sync_recommended_prestop_seconds 3
        # HELP apisix_sync_recommended_termination_grace_period_seconds Recommended terminationGracePeriodSeconds: max(30, preStop + shutdown budget); absent until enough samples.
        # TYPE apisix_sync_recommended_termination_grace_period_seconds gauge
        apisix_sync_recommended_termination_grace_period_seconds 30
        # HELP apisix_sync_configured_prestop_seconds The preStop delay configured today (--prestop-delay), to compare the lag with.
        # TYPE apisix_sync_configured_prestop_seconds gauge
        apisix_sync_configured_prestop_seconds 5
        """#
    static let expectedProcessFamilies = #"""
        # HELP apisix_sync_configured_prestop_seconds The preStop delay configured today (--prestop-delay), to compare the lag with.
        # TYPE apisix_sync_configured_prestop_seconds gauge
        apisix_sync_configured_prestop_seconds 0
        # HELP process_cpu_seconds_total Total user and system CPU time spent in seconds.
        # TYPE process_cpu_seconds_total counter
        process_cpu_seconds_total 4.25
        # HELP process_resident_memory_bytes Resident memory size in bytes.
        # TYPE process_resident_memory_bytes gauge
        process_resident_memory_bytes 122880000
        # HELP process_virtual_memory_bytes Virtual memory size in bytes.
        # TYPE process_virtual_memory_bytes gauge
        process_virtual_memory_bytes 1236992000
        # HELP process_start_time_seconds Start time of the process since unix epoch in seconds.
        # TYPE process_start_time_seconds gauge
        process_start_time_seconds 1795586775.55
        # HELP process_open_fds Number of open file descriptors.
        # TYPE process_open_fds gauge
        process_open_fds 17
        # HELP process_max_fds Maximum number of open file descriptors.
        # TYPE process_max_fds gauge
        process_max_fds 1048576
        """#
}
