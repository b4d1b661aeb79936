import Testing

@testable import APISIXSyncExporter

/// The workload families as a whole text block for a small state, as kube-state-metrics tests each family: headers,
/// label order and escaping, which series a workload without a number leaves out.
struct WorkloadExpositionGoldenTests {
    static func report(
        _ name: String,
        kind: String = "Deployment",
        preStop: PreStopAction,
        grace: Int,
        p99: Double?,
        recommended: Int?,
        verdict: WorkloadVerdict
    ) -> WorkloadReport {
        WorkloadReport(
            workload: WorkloadKey(namespace: "shop", kind: kind, name: name),
            services: [ServiceKey(namespace: "shop", name: "web")],
            container: "app",
            preStop: preStop,
            terminationGracePeriodSeconds: grace,
            removalLagP99: p99,
            samples: 40,
            recommendedPreStop: recommended,
            recommendedTerminationGracePeriodSeconds: recommended.map { $0 + 25 },
            verdict: verdict
        )
    }

    @Test func workloadFamilies() {
        var snapshot = ExporterMetrics.GaugeSnapshot()
        snapshot.podWatchEnabled = true
        var gap = Self.report(
            "web-5d9c7f",
            kind: "ReplicaSet",
            preStop: .unknown(form: "http_get"),
            grace: 30,
            p99: nil,
            recommended: nil,
            verdict: .unknown
        )
        gap.ownerGap = PodIndex.WorkloadGap.ownerMissing.rawValue
        snapshot.workloads = [
            Self.report(
                "pay\"ments",
                preStop: .sleep(seconds: 2),
                grace: 30,
                p99: 3.25,
                recommended: 5,
                verdict: .tooShort
            ),
            gap,
        ]
        let text = ExporterMetrics(resolution: 0.1).text(gauges: snapshot)
        let families = text.split(separator: "\n", omittingEmptySubsequences: false)
            .drop { !$0.hasPrefix("# HELP apisix_sync_pod_watch_enabled") }
            .prefix { line in
                !line.hasPrefix("# HELP") || line.hasPrefix("# HELP apisix_sync_workload")
                    || line.hasPrefix("# HELP apisix_sync_pod_watch")
            }
            .joined(separator: "\n")
        #expect(families == Self.expected)
    }

    static let expected = #"""
        # HELP apisix_sync_pod_watch_enabled 1 if removals are timed from pod deletion (pods and ReplicaSets watched), 0 if turned off or forbidden.
        # TYPE apisix_sync_pod_watch_enabled gauge
        apisix_sync_pod_watch_enabled 1
        # HELP apisix_sync_workloads_unresolved Workloads behind measured Services whose owner chain did not resolve, by reason (owner_missing: the pods' ReplicaSet is not known; the ReplicaSet stands for the workload).
        # TYPE apisix_sync_workloads_unresolved gauge
        apisix_sync_workloads_unresolved{reason="owner_missing"} 1
        # HELP apisix_sync_workload_info Workloads behind measured Services: the form of their preStop and the verdict (ok, too_short, unknown, no_data, prestop_exceeds_grace); the value is always 1.
        # TYPE apisix_sync_workload_info gauge
        apisix_sync_workload_info{namespace="shop",workload="pay\"ments",kind="Deployment",prestop="sleep",verdict="too_short"} 1
        apisix_sync_workload_info{namespace="shop",workload="web-5d9c7f",kind="ReplicaSet",prestop="http_get",verdict="unknown"} 1
        # HELP apisix_sync_workload_prestop_seconds The preStop delay read from the workload's pod spec; absent when it cannot be read.
        # TYPE apisix_sync_workload_prestop_seconds gauge
        apisix_sync_workload_prestop_seconds{namespace="shop",workload="pay\"ments",kind="Deployment"} 2
        # HELP apisix_sync_workload_termination_grace_period_seconds terminationGracePeriodSeconds of the workload's pods.
        # TYPE apisix_sync_workload_termination_grace_period_seconds gauge
        apisix_sync_workload_termination_grace_period_seconds{namespace="shop",workload="pay\"ments",kind="Deployment"} 30
        apisix_sync_workload_termination_grace_period_seconds{namespace="shop",workload="web-5d9c7f",kind="ReplicaSet"} 30
        # HELP apisix_sync_workload_removal_lag_p99_seconds p99 end-to-end removal lag of the workload's Services; absent until enough samples.
        # TYPE apisix_sync_workload_removal_lag_p99_seconds gauge
        apisix_sync_workload_removal_lag_p99_seconds{namespace="shop",workload="pay\"ments",kind="Deployment"} 3.25
        # HELP apisix_sync_workload_recommended_prestop_seconds Recommended preStop sleep for the workload, from its Services' removal lags.
        # TYPE apisix_sync_workload_recommended_prestop_seconds gauge
        apisix_sync_workload_recommended_prestop_seconds{namespace="shop",workload="pay\"ments",kind="Deployment"} 5
        """#
}
