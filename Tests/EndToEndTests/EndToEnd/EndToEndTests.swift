import Foundation
import SimulatedCluster
import TestSupport
import Testing

@testable import APISIXSyncExporter

/// The real exporter against scripted fakes over real sockets. Delays injected by the tests play the part of the
/// ingress controller; the assertions read `/metrics` and `/recommendation` as Prometheus and users would.
@Suite(.serialized) struct EndToEndTests {
    static let lagCount = "apisix_sync_lag_seconds_count{namespace=\"shop\",service=\"web\",change=\"remove\"}"
    static let lagSum = "apisix_sync_lag_seconds_sum{namespace=\"shop\",service=\"web\",change=\"remove\"}"
    static let addCount = "apisix_sync_lag_seconds_count{namespace=\"shop\",service=\"web\",change=\"add\"}"
    static let addSum = "apisix_sync_lag_seconds_sum{namespace=\"shop\",service=\"web\",change=\"add\"}"

    static func outcome(_ change: String, _ outcome: String) -> String {
        "apisix_sync_changes_total{namespace=\"shop\",service=\"web\",change=\"\(change)\",outcome=\"\(outcome)\"}"
    }

    /// Runs a scenario and always stops the exporter and the fakes.
    /// What the simulated cluster holds before the exporter starts.
    struct Setup {
        var slices = [Cluster.slice("web-a", ready: [1, 2, 3])]
        var upstreams = [Cluster.upstream(nodes: [1, 2, 3])]
    }

    func scenario(_ setup: Setup = Setup(), _ body: (ExporterHarness) async throws -> Void) async throws {
        let harness = try await ExporterHarness.start { kubernetes, apisix in
            for slice in setup.slices { _ = kubernetes.apply(slice) }
            for upstream in setup.upstreams { apisix.putUpstream(upstream) }
        }
        do {
            try await harness.waitUntilReady()
            try await harness.waitUntilTiming()
            try await body(harness)
        } catch {
            await harness.stop()
            throw error
        }
        await harness.stop()
    }

    /// Sleeps until `delay` after `start`: the simulated ingress controller's reaction time.
    func controllerDelay(_ delay: Double, after start: ContinuousClock.Instant) async throws {
        try await Task.sleep(until: start + .milliseconds(Int(delay * 1000)), clock: .continuous)
    }

    @Test func removalAndAdditionLagsMatchTheInjectedDelays() async throws {
        try await scenario { h in
            let tolerance = h.settings.polling.fastPollInterval + 0.05
            // A pod starts terminating; APISIX drops it 0.8 s later.
            let removedAt = ContinuousClock.now
            _ = h.kubernetes.apply(Cluster.slice("web-a", ready: [1, 2], terminating: [3]))
            try await h.waitForPending("web", change: "remove", count: 1)
            try await controllerDelay(0.8, after: removedAt)
            h.apisix.setNodes(id: "4405a246", nodes: Cluster.nodes([1, 2]))
            try await h.waitForRecords(1)
            let removal = try #require(try await h.metric(Self.lagSum))
            #expect(abs(removal - 0.8) <= tolerance, "removal lag \(removal)")

            // A new pod becomes ready; APISIX routes to it 1.5 s later.
            let addedAt = ContinuousClock.now
            _ = h.kubernetes.apply(Cluster.slice("web-a", ready: [1, 2, 4]))
            try await h.waitForPending("web", change: "add", count: 1)
            try await controllerDelay(1.5, after: addedAt)
            h.apisix.setNodes(id: "4405a246", nodes: Cluster.nodes([1, 2, 4]))
            try await h.waitForMetric(Self.addCount, atLeast: 1)
            let addition = try #require(try await h.metric(Self.addSum))
            #expect(abs(addition - 1.5) <= tolerance, "addition lag \(addition)")

            let text = try await h.metricsText()
            #expect(ExporterHarness.value(of: Self.outcome("remove", "synced"), in: text) == 1)
            #expect(ExporterHarness.value(of: Self.outcome("add", "synced"), in: text) == 1)
            #expect(
                ExporterHarness.value(
                    of:
                        "apisix_sync_instance_lag_seconds_count{apisix=\"127.0.0.1:\(h.apisix.port)\",change=\"remove\"}",
                    in: text
                ) == 1
            )
            #expect(
                ExporterHarness.value(of: "apisix_sync_stale_nodes{namespace=\"shop\",service=\"web\"}", in: text) == 0
            )
        }
    }

    @Test func sliceRebalancingRecordsNothing() async throws {
        let setup = Setup(
            slices: [Cluster.slice("web-a", ready: [1, 2]), Cluster.slice("web-b", ready: [3])],
            upstreams: [Cluster.upstream(nodes: [1, 2, 3])]
        )
        try await scenario(setup) { h in
            // The controller moves endpoint 2 from web-a to web-b: briefly in both slices, then only in web-b.
            _ = h.kubernetes.apply(Cluster.slice("web-b", ready: [3, 2]))
            _ = h.kubernetes.apply(Cluster.slice("web-a", ready: [1]))
            // A real removal afterwards: events are processed in order, so once it is recorded, the rebalancing was
            // processed too.
            _ = h.kubernetes.apply(Cluster.slice("web-b", ready: [2], terminating: [3]))
            try await h.waitForPending("web", change: "remove", count: 1)
            h.apisix.setNodes(id: "4405a246", nodes: Cluster.nodes([1, 2]))
            try await h.waitForRecords(1)
            let text = try await h.metricsText()
            #expect(ExporterHarness.value(of: Self.lagCount, in: text) == 1)
            #expect(ExporterHarness.value(of: Self.outcome("remove", "synced"), in: text) == 1)
            #expect(ExporterHarness.value(of: Self.outcome("add", "synced"), in: text) == nil)
            #expect(!text.contains("outcome=\"unobserved\""))
        }
    }

    @Test func aRevertIsSupersededAndRecordsNoSample() async throws {
        try await scenario { h in
            _ = h.kubernetes.apply(Cluster.slice("web-a", ready: [1, 2], terminating: [3]))
            try await h.waitForPending("web", change: "remove", count: 1)
            _ = h.kubernetes.apply(Cluster.slice("web-a", ready: [1, 2, 3]))
            try await h.waitForRecords(1, .remove, .superseded)
            try await h.waitForPending("web", change: "remove", count: 0)
            let text = try await h.metricsText()
            #expect(ExporterHarness.value(of: Self.lagCount, in: text) == nil)
            #expect(ExporterHarness.value(of: Self.outcome("add", "synced"), in: text) == nil)
        }
    }

    @Test func anAPISIXWriteDuringAnOutageIsCensoredNotLost() async throws {
        try await scenario { h in
            let target = "127.0.0.1:\(h.apisix.port)"
            _ = h.kubernetes.apply(Cluster.slice("web-a", ready: [1, 2], terminating: [3]))
            try await h.waitForPending("web", change: "remove", count: 1)
            try await h.apisix.setFault(.status(503))
            try await h.waitForMetrics("the APISIX source down") { text in
                ExporterHarness.value(of: "apisix_sync_source_up{source=\"apisix\",target=\"\(target)\"}", in: text)
                    == 0
            }
            h.apisix.setNodes(id: "4405a246", nodes: Cluster.nodes([1, 2]))
            try await h.apisix.setFault(.none)
            let censored = try await h.records.wait(for: 1, .remove, .censored)
            let bounds = try #require(censored.first?.bounds)
            #expect(bounds.lowerBound < bounds.upperBound)
            let text = try await h.metricsText()
            #expect(ExporterHarness.value(of: Self.lagCount, in: text) == nil)
            #expect(ExporterHarness.value(of: Self.outcome("remove", "unobserved"), in: text) == nil)
            let state = try await h.get("/recommendation")
            #expect(
                state.body.contains("\"censored_samples\" : 1") || state.body.contains("\"censored_wide_samples\" : 1")
            )
            #expect(
                ExporterHarness.value(of: "apisix_sync_source_up{source=\"apisix\",target=\"\(target)\"}", in: text)
                    == 1
            )
            #expect(
                (ExporterHarness.value(
                    of:
                        "apisix_sync_source_errors_total{source=\"apisix\",target=\"\(target)\",reason=\"server_error\"}",
                    in: text
                ) ?? 0) >= 1
            )

            // Measurement resumes once APISIX answers again.
            _ = h.kubernetes.apply(Cluster.slice("web-a", ready: [1], terminating: [2]))
            try await h.waitForPending("web", change: "remove", count: 1)
            h.apisix.setNodes(id: "4405a246", nodes: Cluster.nodes([1]))
            try await h.waitForRecords(1)
        }
    }

    @Test func aWatch410RelistsAndCensorsAChangeMadeInTheGap() async throws {
        try await scenario { h in
            let listsBefore = h.kubernetes.statistics.listRequests
            h.kubernetes.compactHistory()
            h.kubernetes.injectWatchError410()
            // Happens while the exporter relists: it learns of it from the list; it happened between the last live
            // line of the watch and the list, and its lag is censored by that gap.
            _ = h.kubernetes.apply(Cluster.slice("web-a", ready: [1, 2], terminating: [3]))
            try await h.kubernetes.waitForListRequests(atLeast: listsBefore + 1)
            try await h.waitForPending("web", change: "remove", count: 1)
            h.apisix.setNodes(id: "4405a246", nodes: Cluster.nodes([1, 2]))
            let censored = try await h.records.wait(for: 1, .remove, .censored)
            let bounds = try #require(censored.first?.bounds)
            #expect(bounds.lowerBound < bounds.upperBound && bounds.upperBound.isFinite)
            #expect(try await h.metric(Self.lagCount) == nil)
            #expect(
                (try await h.metric(
                    "apisix_sync_source_errors_total{source=\"kubernetes\",target=\"127.0.0.1:\(h.kubernetes.port)\",reason=\"expired\"}"
                ) ?? 0) >= 1
            )

            // After the relist the watch is live again and changes are timed.
            try await h.waitUntilTiming()
            _ = h.kubernetes.apply(Cluster.slice("web-a", ready: [1], terminating: [2]))
            try await h.waitForPending("web", change: "remove", count: 1)
            h.apisix.setNodes(id: "4405a246", nodes: Cluster.nodes([1]))
            try await h.waitForRecords(1)
        }
    }

    @Test func aStaleNodeAtStartUpRecordsNoSample() async throws {
        // Node 3 was removed from Kubernetes before the exporter started; APISIX still routes to it.
        let setup = Setup(
            slices: [Cluster.slice("web-a", ready: [1, 2])],
            upstreams: [Cluster.upstream(nodes: [1, 2, 3])]
        )
        try await scenario(setup) { h in
            try await h.waitForMetrics("one stale node") { text in
                ExporterHarness.value(of: "apisix_sync_stale_nodes{namespace=\"shop\",service=\"web\"}", in: text) == 1
            }
            h.apisix.setNodes(id: "4405a246", nodes: Cluster.nodes([1, 2]))
            try await h.waitForRecords(1, .remove, .unobserved)
            let text = try await h.metricsText()
            #expect(ExporterHarness.value(of: Self.lagCount, in: text) == nil)
            #expect(
                ExporterHarness.value(of: "apisix_sync_stale_nodes{namespace=\"shop\",service=\"web\"}", in: text) == 0
            )
        }
    }

    @Test func theRecommendationIsTheCeilingOfP99PlusMargin() async throws {
        let batchA = Array(10..<20)
        let batchB = Array(20..<30)
        let setup = Setup(
            slices: [Cluster.slice("web-a", ready: [1, 2] + batchA + batchB)],
            upstreams: [Cluster.upstream(nodes: [1, 2] + batchA + batchB)]
        )
        try await scenario(setup) { h in
            // Ten removals reflected after 0.3 s, ten after 1.3 s: p99 ≈ 1.3 s, so preStop = ceil(1.3 + 1) = 3.
            var start = ContinuousClock.now
            _ = h.kubernetes.apply(Cluster.slice("web-a", ready: [1, 2] + batchB, terminating: batchA))
            try await h.waitForPending("web", change: "remove", count: 10)
            try await controllerDelay(0.3, after: start)
            h.apisix.setNodes(id: "4405a246", nodes: Cluster.nodes([1, 2] + batchB))
            try await h.waitForRecords(10)

            start = ContinuousClock.now
            _ = h.kubernetes.apply(Cluster.slice("web-a", ready: [1, 2], terminating: batchB))
            try await h.waitForPending("web", change: "remove", count: 10)
            try await controllerDelay(1.3, after: start)
            h.apisix.setNodes(id: "4405a246", nodes: Cluster.nodes([1, 2]))
            try await h.waitForRecords(20)

            let document = try await h.recommendation()
            #expect(document["status"] as? String == "ok")
            #expect(document["samples"] as? Int == 20)
            let observed = try #require(document["observed_quantile_seconds"] as? Double)
            #expect(abs(observed - 1.3) <= h.settings.polling.fastPollInterval + 0.05, "p99 \(observed)")
            let expected = Int((observed + 1).rounded(.up))
            #expect(document["prestop_seconds"] as? Int == expected)
            #expect(document["termination_grace_period_seconds"] as? Int == 30)
            #expect(document["verdict"] as? String == "enough")
            #expect(document["removals_over_configured_delay"] as? Int == 0)
            let services = try #require(document["services"] as? [[String: Any]])
            #expect(services.first?["service"] as? String == "web")
            #expect(services.first?["prestop_seconds"] as? Int == expected)

            let yaml = try await h.get("/recommendation?format=yaml")
            #expect(yaml.status == 200)
            #expect(yaml.body.contains("terminationGracePeriodSeconds: 30"))
            #expect(yaml.body.contains("preStop:"))
            #expect(yaml.body.contains("seconds: \(expected)\n"))
            #expect(yaml.body.contains("# exec:"))
            let text = try await h.metricsText()
            #expect(ExporterHarness.value(of: "apisix_sync_recommended_prestop_seconds", in: text) == Double(expected))
            #expect(
                ExporterHarness.value(of: "apisix_sync_recommended_termination_grace_period_seconds", in: text) == 30
            )
            #expect(ExporterHarness.value(of: "apisix_sync_recommendation_samples", in: text) == 20)
        }
    }

    @Test func watchesAskForBookmarksAndResumeFromTheLastResourceVersion() async throws {
        try await scenario { h in
            try await h.kubernetes.waitForOpenWatches(count: 1)
            let watch = try #require(h.kubernetes.statistics.lastWatchQuery)
            #expect(watch["allowWatchBookmarks"] == "true")
            let timeout = try #require(watch["timeoutSeconds"].flatMap(Int.init))
            #expect((300...600).contains(timeout))
            #expect(h.kubernetes.statistics.lastListQuery?["limit"] != nil)

            _ = h.kubernetes.apply(Cluster.slice("web-a", ready: [1, 2], terminating: [3]))
            try await h.waitForPending("web", change: "remove", count: 1)
            let lists = h.kubernetes.statistics.listRequests
            let watches = h.kubernetes.statistics.watchRequests
            let version = h.kubernetes.resourceVersion
            h.kubernetes.cutWatches()
            try await h.kubernetes.waitForWatchRequests(atLeast: watches + 1)
            try await h.waitUntilTiming()
            let resumed = try #require(h.kubernetes.statistics.lastWatchQuery)
            // Resumed from the last event or a later bookmark, without a relist.
            #expect(Int(resumed["resourceVersion"] ?? "") ?? 0 >= version)
            #expect(h.kubernetes.statistics.listRequests == lists)
        }
    }

    @Test func endpointsAnswerAsDocumented() async throws {
        try await scenario { h in
            let metrics = try await h.get("/metrics")
            #expect(metrics.status == 200)
            #expect(metrics.contentType == "text/plain; version=0.0.4; charset=utf-8")
            #expect(metrics.body.contains("apisix_sync_build_info{version=\"\(BuildInfo.version)\""))
            #expect(metrics.body.contains("apisix_sync_configured_prestop_seconds 5"))
            #expect(!metrics.body.contains("NaN") && !metrics.body.contains("Inf\n") && !metrics.body.contains(" nan"))
            #expect(try await h.get("/-/healthy").status == 200)
            #expect(try await h.get("/-/ready").status == 200)
            let landing = try await h.get("/")
            #expect(landing.contentType?.hasPrefix("text/html") == true)
            #expect(landing.body.contains("href=\"./metrics\""))
            let state = try await h.state()
            let upstreams = try #require(state["upstreams"] as? [[String: Any]])
            #expect((upstreams.first?["mapping"] as? [String: Any])?["key"] as? String == "shop/web:http")
            #expect(!(try await h.get("/api/v1/state").body.contains(ExporterHarness.apiKey)))
            #expect(try await h.get("/nope").status == 404)

            if let promtool = ExternalTool.find("promtool") {
                let result = try ExternalTool.run(promtool, ["check", "metrics"], stdin: Data(metrics.body.utf8))
                #expect(result.status == 0, "promtool: \(result.output)")
            } else {
                try #require(!ExternalTool.isCI, "promtool is required in CI")
            }
        }
    }

    @Test func notReadyUntilAPISIXAnswers() async throws {
        let harness = try await ExporterHarness.start { kubernetes, apisix in
            _ = kubernetes.apply(Cluster.slice("web-a", ready: [1]))
            apisix.putUpstream(Cluster.upstream(nodes: [1]))
            try await apisix.setFault(.status(500), scope: .list)
        }
        do {
            try await harness.waitForMetrics("a failed APISIX refresh") { text in
                text.contains("apisix_sync_source_errors_total{source=\"apisix\"")
            }
            #expect(try await harness.get("/-/ready").status == 503)
            #expect(try await harness.get("/-/healthy").status == 200)
            try await harness.apisix.setFault(.none)
            try await harness.waitUntilReady()
        } catch {
            await harness.stop()
            throw error
        }
        await harness.stop()
    }
}
