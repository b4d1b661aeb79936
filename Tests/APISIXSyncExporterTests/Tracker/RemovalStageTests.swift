import Foundation
import Logging
import Synchronization
import TestSupport
import Testing

@testable import APISIXSyncExporter

/// Removals timed from their pod's deletion: the Kubernetes stage, the end-to-end lag in the recommendation and the
/// metrics, the exposure counter, the fallback to the pod's metadata, and every reason a removal keeps only the
/// APISIX lag.
@Suite struct RemovalStageTests {
    static let target = BoundedStateTests.target

    struct Fixture {
        let tracker: SyncTracker
        let metrics: ExporterMetrics
        let name: String
    }

    func fixture(watchPods: Bool = true, changeTimeout: Double = 600) async throws -> (Fixture, () -> [ChangeRecord]) {
        var settings = ExporterSettings()
        settings.apisix.adminURLs = ["http://\(Self.target)"]
        settings.measurement.recommendation.minSamples = 1
        settings.kubernetes.watchPods = watchPods
        settings.measurement.changeTimeout = changeTimeout
        let metrics = ExporterMetrics(resolution: 0.1)
        let targets = settings.apisix.adminURLs.compactMap(APISIXTarget.init(adminURL:))
        let tracker = SyncTracker(
            settings: settings.tracker,
            targets: targets,
            metrics: metrics,
            logger: Logger(label: "t")
        )
        let records = Records()
        await tracker.setObserver { record in records.values.withLock { $0.append(record) } }
        let fixture = Fixture(tracker: tracker, metrics: metrics, name: try #require(targets.first?.name))
        return (fixture, { records.values.withLock { $0 } })
    }

    final class Records: Sendable {
        let values = Mutex<[ChangeRecord]>([])
    }

    /// A slice of `web` whose endpoints name pods `web-<n>` (uid `uid-<n>`), except those in `withoutPods`.
    static func slice(ready: [Int], withoutPods: Set<Int> = []) -> EndpointSlice {
        EndpointSlice(
            metadata: .init(name: "web-a", namespace: "shop", labels: [EndpointSlice.serviceNameLabel: "web"]),
            endpoints: ready.map { index in
                .init(
                    addresses: ["10.2.0.\(index)"],
                    conditions: .init(ready: true),
                    targetRef: withoutPods.contains(index) ? nil : .init(name: "web-\(index)", uid: "uid-\(index)")
                )
            },
            ports: [.init(name: "http", port: 8080)]
        )
    }

    static func pod(
        _ index: Int,
        preStop: PreStopAction = .sleep(seconds: 1),
        deletionTimestamp: Double? = nil,
        grace: Int? = nil
    ) -> PodSummary {
        PodSummary(
            namespace: "shop",
            name: "web-\(index)",
            uid: "uid-\(index)",
            resourceVersion: "\(index)",
            ips: ["10.2.0.\(index)"],
            owner: OwnerReference(kind: "ReplicaSet", name: "web-5d9c7f", uid: "rs-uid"),
            deletionTimestamp: deletionTimestamp,
            deletionGracePeriodSeconds: grace,
            template: PodTemplateSummary(
                containers: [
                    ContainerSummary(name: "sidecar", ports: [9901]),
                    ContainerSummary(name: "app", ports: [8080], preStop: preStop),
                ],
                terminationGracePeriodSeconds: 30
            )
        )
    }

    static let replicaSet = ReplicaSetSummary(
        namespace: "shop",
        name: "web-5d9c7f",
        owner: OwnerReference(kind: "Deployment", name: "web")
    )

    static func upstream(_ ready: [Int]) -> APISIXUpstream { BoundedStateTests.upstream("web", ready: ready) }

    /// Lists three pods and their slice; APISIX routes to all three.
    func start(_ fixture: Fixture, pods: [PodSummary]? = nil, withoutPods: Set<Int> = []) async {
        await fixture.tracker.replicaSetsListed([Self.replicaSet], namespace: nil, at: 99)
        await fixture.tracker.podsListed(pods ?? (1...3).map { Self.pod($0) }, namespace: nil, at: 99)
        await fixture.tracker.kubernetesListed(
            [Self.slice(ready: [1, 2, 3], withoutPods: withoutPods)],
            namespace: nil,
            at: 100
        )
        await fixture.tracker.apisixRefreshed(target: fixture.name, upstreams: [Self.upstream([1, 2, 3])], at: 100.5)
    }

    @Test func aLiveDeletionAddsTheKubernetesStageToTheRecommendationAndTheMetrics() async throws {
        let (fixture, records) = try await fixture()
        await start(fixture)
        // Pod 3 is deleted (seen at 110.0); the EndpointSlice drops it at 110.2; APISIX follows at 111.7.
        await fixture.tracker.podEvent(
            .modified(Self.pod(3, deletionTimestamp: 1_000_030, grace: 30)),
            at: 110,
            live: true
        )
        await fixture.tracker.kubernetesEvent(.modified(Self.slice(ready: [1, 2])), at: 110.2)
        await fixture.tracker.apisixRefreshed(target: fixture.name, upstreams: [Self.upstream([1, 2, 3])], at: 110.3)
        await fixture.tracker.apisixRefreshed(target: fixture.name, upstreams: [Self.upstream([1, 2, 3])], at: 111.2)
        await fixture.tracker.apisixRefreshed(target: fixture.name, upstreams: [Self.upstream([1, 2])], at: 111.7)

        let record = try #require(records().first { $0.kind == .remove })
        #expect(record.outcome == .synced)
        #expect(abs((record.lag ?? 0) - 1.5) < 1e-9, "the APISIX stage stays the lag from the slice change")
        let stage = try #require(record.stage)
        #expect(abs(stage.kubernetes - 0.2) < 1e-9)
        #expect(stage.provenance == .watch)
        #expect(stage.workload == WorkloadKey(namespace: "shop", kind: "Deployment", name: "web"))
        #expect(stage.preStop == .sleep(seconds: 1), "the container serving port 8080, not the sidecar")

        let recommendation = await fixture.tracker.recommendation(at: 112)
        #expect(abs((recommendation.observedQuantile ?? 0) - 1.7) < 1e-6, "end to end: 0.2 + 1.5")
        #expect(recommendation.endToEndSamples == 1)
        let text = fixture.metrics.text(gauges: await fixture.tracker.gaugeSnapshot(at: 112))
        for (stage, sum) in [("kubernetes", "0.2"), ("apisix", "1.5"), ("end_to_end", "1.7")] {
            let line = #"apisix_sync_removal_stage_seconds_sum{stage="\#(stage)"} "#
            let value = text.split(separator: "\n").first { $0.hasPrefix(line) }.map {
                String($0.dropFirst(line.count))
            }
            #expect(
                value.flatMap(Double.init).map { abs($0 - Double(sum)!) < 1e-6 } == true,
                "\(stage): \(value ?? "none")"
            )
        }
        // preStop 1 s, end to end 1.7 s: routable for 0.7 s after its preStop ended; over its own preStop.
        let exposure = #"apisix_sync_routable_after_prestop_seconds_total{namespace="shop",service="web"} "#
        let value = text.split(separator: "\n").first { $0.hasPrefix(exposure) }.map {
            String($0.dropFirst(exposure.count))
        }
        #expect(value.flatMap(Double.init).map { abs($0 - 0.7) < 1e-6 } == true)
        #expect(text.contains(#"apisix_sync_removals_over_prestop_total{namespace="shop",service="web"} 1"#))
        #expect(text.contains("apisix_sync_pod_watch_enabled 1"))
        #expect(
            text.contains(
                #"apisix_sync_workload_info{namespace="shop",workload="web",kind="Deployment",prestop="sleep",verdict="too_short"} 1"#
            )
        )
        #expect(
            text.contains(#"apisix_sync_workload_prestop_seconds{namespace="shop",workload="web",kind="Deployment"} 1"#)
        )

        let workloads = await fixture.tracker.workloads(at: 112)
        #expect(workloads.enabled)
        let web = try #require(workloads.workloads.first)
        #expect(web.kind == "Deployment" && web.name == "web" && web.services == ["shop/web"])
        #expect(web.container == "app" && web.prestopSeconds == 1 && web.verdict == "too_short")
        #expect(web.recommendedPrestopSeconds == 3, "ceil(1.7 + 1 s margin)")
        #expect(web.kubectlPatch?.hasPrefix("kubectl patch deployment web -n shop --type strategic -p ") == true)
        #expect(web.patch?.contains(#""name":"app""#) == true && web.patch?.contains(#""seconds":3"#) == true)
        let page = StatusPage.render(await fixture.tracker.statusSnapshot(at: 112), telemetryPath: "/metrics")
        #expect(page.contains(#"id="workloads-at-risk">1 at risk"#))
        #expect(page.contains("kubectl patch deployment web -n shop"))
    }

    @Test func aPodListArrivesPageByPageAndARestartedListVoidsTheEarlierPages() async throws {
        let (fixture, _) = try await fixture()
        await fixture.tracker.podListPage([Self.pod(9)], first: true)  // a list that failed after one page
        await fixture.tracker.podListPage([Self.pod(1)], first: true)
        await fixture.tracker.podListPage(
            [Self.pod(2), Self.pod(3, deletionTimestamp: 1_000, grace: 30)],
            first: false
        )
        await fixture.tracker.podListEnded(namespace: nil, at: 99)
        let timing = await fixture.tracker.podTiming
        #expect(timing.pods.allPods().map(\.name) == ["web-1", "web-2", "web-3"])
        #expect(timing.pods.pod(namespace: "shop", name: "web-3", uid: "uid-3")?.deletion?.requested == 970)
        #expect(timing.podList.count == 0, "the collected list is released")
    }

    @Test func aDeletionNotSeenLiveFallsBackToTheApiserverRequestTime() async throws {
        let (fixture, records) = try await fixture()
        // Pod 3 was already deleting when listed: requested at 1000 - 30 = 970 (apiserver clock, whole seconds).
        await start(fixture, pods: [Self.pod(1), Self.pod(2), Self.pod(3, deletionTimestamp: 1_000, grace: 30)])
        await fixture.tracker.kubernetesEvent(.modified(Self.slice(ready: [1, 2])), at: 970.4)
        await fixture.tracker.apisixRefreshed(target: fixture.name, upstreams: [Self.upstream([1, 2, 3])], at: 970.5)
        await fixture.tracker.apisixRefreshed(target: fixture.name, upstreams: [Self.upstream([1, 2])], at: 971.4)
        let stage = try #require(records().first { $0.kind == .remove }?.stage)
        #expect(stage.provenance == .metadata)
        #expect(abs(stage.kubernetes - 0.4) < 1e-9)
    }

    @Test func aPodUpdateThatArrivesAfterTheSliceUsesTheMetadata() async throws {
        let (fixture, records) = try await fixture()
        await start(fixture)
        // The deleting update arrives late (live, but after the slice change): its receipt is not the deletion.
        await fixture.tracker.podEvent(.modified(Self.pod(3, deletionTimestamp: 140, grace: 30)), at: 109, live: false)
        await fixture.tracker.kubernetesEvent(.modified(Self.slice(ready: [1, 2])), at: 110.5)
        await fixture.tracker.apisixRefreshed(target: fixture.name, upstreams: [Self.upstream([1, 2, 3])], at: 110.6)
        await fixture.tracker.apisixRefreshed(target: fixture.name, upstreams: [Self.upstream([1, 2])], at: 111)
        let stage = try #require(records().first { $0.kind == .remove }?.stage)
        #expect(stage.provenance == .metadata && abs(stage.kubernetes - 0.5) < 1e-9)
    }

    @Test func aDeletingUpdateThatArrivesAfterTheSliceChangeStillGivesTheStage() async throws {
        let (fixture, records) = try await fixture()
        await start(fixture)
        // The slice change comes first (its watch stream was faster); the pod's deleting update 50 ms later, with
        // the apiserver's request time 110 (deletionTimestamp 140, grace 30).
        await fixture.tracker.kubernetesEvent(.modified(Self.slice(ready: [1, 2])), at: 110.2)
        await fixture.tracker.podEvent(
            .modified(Self.pod(3, deletionTimestamp: 140, grace: 30)),
            at: 110.25,
            live: true
        )
        await fixture.tracker.apisixRefreshed(target: fixture.name, upstreams: [Self.upstream([1, 2, 3])], at: 110.3)
        await fixture.tracker.apisixRefreshed(target: fixture.name, upstreams: [Self.upstream([1, 2])], at: 111)
        let stage = try #require(records().first { $0.kind == .remove }?.stage)
        #expect(stage.provenance == .metadata && abs(stage.kubernetes - 0.2) < 1e-9)
        await fixture.tracker.tick(at: 120)
        #expect(!fixture.metrics.text().contains("removal_stage_skipped"))
    }

    @Test(arguments: [
        // (pods, withoutPods, expected reason)
        ("no targetRef", RemovalStageSkip.noTargetRef),
        ("unknown pod", .podUnknown),
        ("not deleting", .notTerminating),
        ("deleted after the slice change", .negativeStage),
        ("deleted long before", .implausibleStage),
    ])
    func removalsWithoutAUsableDeletionKeepTheAPISIXLagAndCountWhy(
        _ scenario: String,
        _ reason: RemovalStageSkip
    ) async throws {
        let (fixture, records) = try await fixture(changeTimeout: 600)
        var pods = [Self.pod(1), Self.pod(2), Self.pod(3)]
        var withoutPods: Set<Int> = []
        switch reason {
        case .noTargetRef: withoutPods = [3]
        case .podUnknown: pods.removeLast()
        case .notTerminating: break
        case .negativeStage: pods[2] = Self.pod(3, deletionTimestamp: 150, grace: 30)  // requested at 120
        case .implausibleStage: pods[2] = Self.pod(3, deletionTimestamp: -1_000, grace: 30)
        }
        await start(fixture, pods: pods, withoutPods: withoutPods)
        await fixture.tracker.kubernetesEvent(.modified(Self.slice(ready: [1, 2], withoutPods: withoutPods)), at: 110)
        await fixture.tracker.apisixRefreshed(target: fixture.name, upstreams: [Self.upstream([1, 2, 3])], at: 110.1)
        await fixture.tracker.apisixRefreshed(target: fixture.name, upstreams: [Self.upstream([1, 2])], at: 111)
        let record = try #require(records().first { $0.kind == .remove })
        #expect(record.outcome == .synced && record.stage == nil, "\(scenario)")
        // A pod that is not deleting gets a few seconds for its deleting update before it counts.
        await fixture.tracker.tick(at: 110 + PodTiming.awaitSeconds)
        #expect(abs((record.lag ?? 0) - 1) < 1e-9)
        let recommendation = await fixture.tracker.recommendation(at: 112)
        #expect(recommendation.endToEndSamples == 0 && abs((recommendation.observedQuantile ?? 0) - 1) < 1e-6)
        let text = fixture.metrics.text()
        #expect(
            text.contains(#"apisix_sync_removal_stage_skipped_total{reason="\#(reason.rawValue)"} 1"#),
            "\(scenario)"
        )
        #expect(!text.contains("apisix_sync_removal_stage_seconds_count"))
    }

    @Test func aForbiddenPodWatchTurnsTheFeatureOffAndTheRestKeepsMeasuring() async throws {
        let (fixture, records) = try await fixture()
        await start(fixture)
        await fixture.tracker.podSourceForbidden(
            .pods,
            SourceFailure(.forbidden, "HTTP 403: pods is forbidden"),
            at: 105
        )
        await fixture.tracker.podEvent(.modified(Self.pod(3, deletionTimestamp: 140, grace: 30)), at: 110, live: true)
        await fixture.tracker.kubernetesEvent(.modified(Self.slice(ready: [1, 2])), at: 110.2)
        await fixture.tracker.apisixRefreshed(target: fixture.name, upstreams: [Self.upstream([1, 2, 3])], at: 110.3)
        await fixture.tracker.apisixRefreshed(target: fixture.name, upstreams: [Self.upstream([1, 2])], at: 111.2)
        let record = try #require(records().first { $0.kind == .remove })
        #expect(record.outcome == .synced && record.stage == nil && abs((record.lag ?? 0) - 1) < 1e-9)
        let workloads = await fixture.tracker.workloads(at: 112)
        #expect(!workloads.enabled && workloads.workloads.isEmpty)
        #expect(workloads.disabledReason?.contains("forbidden") == true)
        let text = fixture.metrics.text(gauges: await fixture.tracker.gaugeSnapshot(at: 112))
        #expect(text.contains("apisix_sync_pod_watch_enabled 0"))
        #expect(text.contains(#"source="kubernetes-pods""#) && text.contains(#"reason="forbidden""#))
    }

    @Test func aPodWhoseReplicaSetIsUnknownIsCountedAndItsReplicaSetStandsForTheWorkload() async throws {
        let (fixture, _) = try await fixture()
        await fixture.tracker.podsListed((1...3).map { Self.pod($0) }, namespace: nil, at: 99)
        await fixture.tracker.kubernetesListed([Self.slice(ready: [1, 2, 3])], namespace: nil, at: 100)
        await fixture.tracker.apisixRefreshed(target: fixture.name, upstreams: [Self.upstream([1, 2, 3])], at: 100.5)
        let workload = try #require(await fixture.tracker.workloads(at: 101).workloads.first)
        #expect(workload.kind == "ReplicaSet" && workload.name == "web-5d9c7f" && workload.ownerGap == "owner_missing")
        let text = fixture.metrics.text(gauges: await fixture.tracker.gaugeSnapshot(at: 101))
        #expect(text.contains(#"apisix_sync_workloads_unresolved{reason="owner_missing"} 1"#))
        // Once the ReplicaSet is known, the Deployment is the workload.
        await fixture.tracker.replicaSetsListed([Self.replicaSet], namespace: nil, at: 102)
        let resolved = try #require(await fixture.tracker.workloads(at: 103).workloads.first)
        #expect(resolved.kind == "Deployment" && resolved.ownerGap == nil)
        let after = fixture.metrics.text(gauges: await fixture.tracker.gaugeSnapshot(at: 103))
        #expect(after.contains(#"apisix_sync_workloads_unresolved{reason="owner_missing"} 0"#))
    }

    @Test func turnedOffThereIsNoStageAndNoWorkloadTable() async throws {
        let (fixture, records) = try await fixture(watchPods: false)
        await start(fixture)
        await fixture.tracker.podEvent(.modified(Self.pod(3, deletionTimestamp: 140, grace: 30)), at: 110, live: true)
        await fixture.tracker.kubernetesEvent(.modified(Self.slice(ready: [1, 2])), at: 110.2)
        await fixture.tracker.apisixRefreshed(target: fixture.name, upstreams: [Self.upstream([1, 2, 3])], at: 110.3)
        await fixture.tracker.apisixRefreshed(target: fixture.name, upstreams: [Self.upstream([1, 2])], at: 111.2)
        #expect(records().first { $0.kind == .remove }?.stage == nil)
        let workloads = await fixture.tracker.workloads(at: 112)
        #expect(!workloads.enabled && workloads.disabledReason?.contains("watch-pods=false") == true)
        #expect(!fixture.metrics.text().contains("removal_stage_skipped"))
    }
}
