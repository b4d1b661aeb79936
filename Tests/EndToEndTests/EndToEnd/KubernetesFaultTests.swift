import Foundation
import SimulatedCluster
import Testing

@testable import APISIXSyncExporter

/// The Kubernetes rows of the fault matrix (`docs/reliability.md`): each fault is injected while a change is in
/// flight, another change happens while it lasts; the one in flight is still timed (no event is lost when the watch
/// resumes or relists), the other has an unknown start; a change after the fault is timed.
@Suite(.serialized) struct KubernetesFaultTests {
    @Test func aWatchStreamCutMidEventReconnectsAndKeepsTheChangeInFlight() async throws {
        try await FaultMatrix.scenario { h in
            try await FaultMatrix.startChangeInFlight(h)
            let watches = h.kubernetes.statistics.watchRequests
            // The stream breaks inside the event that removes pod 4: the half line must not be applied.
            h.kubernetes.applyCuttingWatchesMidEvent(FaultMatrix.sliceWithoutPod4)
            try await h.waitForFault("kubernetes", reason: "stream_cut", down: false)
            try await h.kubernetes.waitForWatchRequests(atLeast: watches + 1)
            // Resumed from the last complete event: the removal of pod 4 arrives whole, with no relist.
            try await h.waitForPending("web", change: "remove", count: 2)
            FaultMatrix.reflectBoth(h)
            try await FaultMatrix.expectInFlightTimed(h)
            try await FaultMatrix.expectResumed(h, samplesBefore: 1)
        }
    }

    @Test func anExpiredWatchAndAnExpiredRelistRelistAgain() async throws {
        try await FaultMatrix.scenario { h in
            try await FaultMatrix.startChangeInFlight(h)
            let lists = h.kubernetes.statistics.listRequests
            h.kubernetes.compactHistory()
            h.kubernetes.failNext(requests: 1, status: 410)  // the first relist is answered 410 too
            h.kubernetes.injectWatchError410()
            _ = h.kubernetes.apply(FaultMatrix.sliceWithoutPod4)
            try await h.kubernetes.waitForListRequests(atLeast: lists + 2)
            try await h.waitForMetrics("two expired requests") { text in
                (ExporterHarness.value(of: h.errorSeries("kubernetes", "expired"), in: text) ?? 0) >= 2
            }
            try await h.expectAnswering(ready: true)
            try await h.waitForPending("web", change: "remove", count: 2)
            FaultMatrix.reflectBoth(h)
            try await FaultMatrix.expectInFlightTimed(h)
            try await FaultMatrix.expectResumed(h, samplesBefore: 1)
        }
    }

    @Test(arguments: [(429, "rate_limited"), (503, "server_error")])
    func throttlingHonoursRetryAfter(status: Int, reason: String) async throws {
        try await FaultMatrix.scenario { h in
            try await FaultMatrix.startChangeInFlight(h)
            let watches = h.kubernetes.statistics.watchRequests
            h.kubernetes.failNext(requests: 2, status: status, retryAfterSeconds: 2)
            let injected = ContinuousClock.now
            h.kubernetes.cutWatches()
            try await h.waitForFault("kubernetes", reason: reason)
            _ = h.kubernetes.apply(FaultMatrix.sliceWithoutPod4)
            try await h.kubernetes.waitUntil(timeout: .seconds(20), "a watch after the throttled ones") {
                $0.watchRequests >= watches + 3 && $0.openWatches >= 1
            }
            // Two refusals, each followed by the 2 s the server asked for (the backoff alone would wait 1.5 s).
            #expect(ContinuousClock.now - injected >= .seconds(4))
            #expect(try await h.errors("kubernetes", reason) == 2)
            try await h.waitForPending("web", change: "remove", count: 2)
            FaultMatrix.reflectBoth(h)
            try await FaultMatrix.expectInFlightTimed(h)
            try await FaultMatrix.expectResumed(h, samplesBefore: 1)
        }
    }

    @Test func a401GoesAwayOnceTheTokenFileIsReplaced() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("token-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let tokenFile = directory.appendingPathComponent("token")
        try "token-one\n".write(to: tokenFile, atomically: true, encoding: .utf8)
        try await FaultMatrix.scenario(tokenFile: tokenFile.path, requiredBearerToken: "token-one") { h in
            try await FaultMatrix.startChangeInFlight(h)
            // The API server no longer accepts the old token, and the kubelet has not rewritten the file yet.
            h.kubernetes.requiredBearerToken = "token-two"
            h.kubernetes.endWatches()
            try await h.waitForFault("kubernetes", reason: "unauthorized")
            _ = h.kubernetes.apply(FaultMatrix.sliceWithoutPod4)
            let before = try await h.errors("kubernetes", "unauthorized")
            try await h.waitForFault("kubernetes", reason: "unauthorized", after: before)
            try "token-two\n".write(to: tokenFile, atomically: true, encoding: .utf8)
            try await h.kubernetes.waitUntil(timeout: .seconds(20), "a watch with the new token") {
                $0.openWatches >= 1 && $0.lastWatchRequest?.authorization == "Bearer token-two"
            }
            try await h.waitForPending("web", change: "remove", count: 2)
            FaultMatrix.reflectBoth(h)
            try await FaultMatrix.expectInFlightTimed(h)
            try await FaultMatrix.expectResumed(h, samplesBefore: 1)
        }
    }

    @Test func aListSlowerThanItsTimeoutIsRetried() async throws {
        let shortListTimeout: (inout ExporterSettings) -> Void = { $0.kubernetes.listTimeout = 0.5 }
        try await FaultMatrix.scenario(configure: shortListTimeout) { h in
            try await FaultMatrix.startChangeInFlight(h)
            h.kubernetes.listDelay = .seconds(3)
            h.kubernetes.compactHistory()
            h.kubernetes.injectWatchError410()  // forces a relist, which now hangs
            _ = h.kubernetes.apply(FaultMatrix.sliceWithoutPod4)
            try await h.waitForFault("kubernetes", reason: "timeout")
            h.kubernetes.listDelay = nil
            try await h.waitForSource("kubernetes", up: true)
            try await h.waitForPending("web", change: "remove", count: 2)
            FaultMatrix.reflectBoth(h)
            try await FaultMatrix.expectInFlightTimed(h)
            try await FaultMatrix.expectResumed(h, samplesBefore: 1)
        }
    }

    @Test func anEventThatIsNotJSONRestartsTheWatchFromTheLastGoodVersion() async throws {
        try await FaultMatrix.scenario { h in
            try await FaultMatrix.startChangeInFlight(h)
            let lists = h.kubernetes.statistics.listRequests
            h.kubernetes.injectWatchLine(#"{"type":"MODIFIED","object":{"kind":"EndpointSl"#)
            _ = h.kubernetes.apply(FaultMatrix.sliceWithoutPod4)
            try await h.waitForFault("kubernetes", reason: "bad_response", down: false)
            try await h.waitForPending("web", change: "remove", count: 2)
            #expect(h.kubernetes.statistics.listRequests == lists)  // resumed, not relisted
            FaultMatrix.reflectBoth(h)
            try await FaultMatrix.expectInFlightTimed(h)
            try await FaultMatrix.expectResumed(h, samplesBefore: 1)
        }
    }

    @Test func aSliceWithUnknownAndMissingFieldsIsReadAndTimed() async throws {
        try await FaultMatrix.scenario { h in
            // Fields a newer API server adds, `conditions` missing (ready), empty (ready), `null` hints: not a
            // fault. Pod 5 is gone from the endpoints, so that is a change like any other and is timed.
            let version = h.kubernetes.resourceVersion
            h.kubernetes.injectWatchLine(
                #"{"type":"MODIFIED","object":{"kind":"EndpointSlice","apiVersion":"discovery.k8s.io/v1","#
                    + #""metadata":{"name":"web-a","namespace":"shop","resourceVersion":"\#(version)","#
                    + #""labels":{"kubernetes.io/service-name":"web"},"futureField":{"x":[1,2]}},"#
                    + #""addressType":"IPv4","trafficDistribution":"PreferClose","endpoints":["#
                    + #"{"addresses":["10.1.0.1"],"conditions":{"ready":true},"hints":null,"newThing":7},"#
                    + #"{"addresses":["10.1.0.2"]},{"addresses":["10.1.0.3"],"conditions":{}},"#
                    + #"{"addresses":["10.1.0.4","fd00::4"],"conditions":{"ready":null,"serving":true}}],"#
                    + #""ports":[{"name":"http","port":8080,"protocol":"TCP","appProtocol":"kubernetes.io/h2c"}]}}"#
            )
            try await h.waitForPending("web", change: "remove", count: 1)
            h.apisix.setNodes(id: FaultMatrix.upstreamID, nodes: Cluster.nodes([1, 2, 3, 4]))
            try await h.waitForRecords(1)
            let text = try await h.metricsText()
            #expect(!text.contains("source=\"kubernetes\",target=\"\(h.target("kubernetes"))\",reason="))
            #expect(ExporterHarness.value(of: h.upSeries("kubernetes"), in: text) == 1)
        }
    }

    @Test func aSliceObjectThatDoesNotDecodeIsAFaultNotACrash() async throws {
        try await FaultMatrix.scenario { h in
            try await FaultMatrix.startChangeInFlight(h)
            let version = h.kubernetes.resourceVersion
            // Wrong types where the exporter reads: `endpoints` an object, `port` a string.
            h.kubernetes.injectWatchLine(
                #"{"type":"MODIFIED","object":{"metadata":{"name":"web-a","namespace":"shop","#
                    + #""resourceVersion":"\#(version)","labels":{"kubernetes.io/service-name":"web"}},"#
                    + #""endpoints":{"addresses":"10.1.0.1"},"ports":[{"name":"http","port":"8080"}]}}"#
            )
            _ = h.kubernetes.apply(FaultMatrix.sliceWithoutPod4)
            try await h.waitForFault("kubernetes", reason: "bad_response", down: false)
            try await h.waitForPending("web", change: "remove", count: 2)
            FaultMatrix.reflectBoth(h)
            try await FaultMatrix.expectInFlightTimed(h)
            try await FaultMatrix.expectResumed(h, samplesBefore: 1)
        }
    }
}
