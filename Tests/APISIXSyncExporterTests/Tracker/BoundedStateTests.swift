import Foundation
import Logging
import TestSupport
import Testing

@testable import APISIXSyncExporter

/// Memory stays bounded under churn: a deleted Service leaves no state or series behind, and the changes pending for
/// one Service port are capped.
@Suite struct BoundedStateTests {
    static let target = "apisix-0:9180"

    static func slice(_ service: String, ready: [Int]) -> EndpointSlice {
        EndpointSlice(
            metadata: .init(name: "\(service)-a", namespace: "shop", labels: [EndpointSlice.serviceNameLabel: service]),
            endpoints: ready.map { .init(addresses: ["10.2.0.\($0)"], conditions: .init(ready: true)) },
            ports: [.init(name: "http", port: 8080)]
        )
    }

    static func upstream(_ service: String, ready: [Int]) -> APISIXUpstream {
        APISIXUpstream(
            id: service,
            name: "shop_\(service)_80",
            nodes: Set(ready.map { NodeAddress(host: "10.2.0.\($0)", port: 8080) })
        )
    }

    @Test func aDeletedServiceLeavesNoStateOrSeriesBehind() async throws {
        var settings = ExporterSettings()
        settings.apisix.adminURLs = ["http://\(Self.target)"]
        let metrics = ExporterMetrics(resolution: 0.1)
        let targets = settings.apisix.adminURLs.compactMap(APISIXTarget.init(adminURL:))
        let tracker = SyncTracker(
            settings: settings.tracker,
            targets: targets,
            metrics: metrics,
            logger: Logger(label: "t")
        )
        let name = try #require(targets.first?.name)
        await tracker.kubernetesListed(
            [Self.slice("web", ready: [1, 2]), Self.slice("api", ready: [1, 2, 3])],
            namespace: nil,
            at: 100
        )
        await tracker.apisixRefreshed(
            target: name,
            upstreams: [Self.upstream("web", ready: [1, 2]), Self.upstream("api", ready: [1, 2, 3])],
            at: 101
        )
        // One timed removal and one pending addition give the api Service every kind of per-Service series.
        await tracker.kubernetesEvent(.modified(Self.slice("api", ready: [1, 2])), at: 110)
        await tracker.apisixRefreshed(
            target: name,
            upstreams: [Self.upstream("web", ready: [1, 2]), Self.upstream("api", ready: [1, 2])],
            at: 111
        )
        await tracker.kubernetesEvent(.modified(Self.slice("api", ready: [1, 2, 4])), at: 112)
        #expect(metrics.text(gauges: await tracker.gaugeSnapshot(at: 113)).contains("service=\"api\""))
        #expect(await tracker.retainedState() == (ports: 2, windows: 1, indexServices: 2))

        await tracker.kubernetesEvent(.deleted(Self.slice("api", ready: [1, 2, 4])), at: 120)
        // Its upstream stays in APISIX (the controller has not removed it yet): unmapped, but no state comes back.
        await tracker.apisixRefreshed(
            target: name,
            upstreams: [Self.upstream("web", ready: [1, 2]), Self.upstream("api", ready: [1, 2])],
            at: 121
        )
        let text = metrics.text(gauges: await tracker.gaugeSnapshot(at: 121))
        #expect(!text.contains("service=\"api\""), "series left behind:\n\(text)")
        #expect(text.contains("service=\"web\""))
        #expect(await tracker.retainedState() == (ports: 1, windows: 0, indexServices: 1))
        let state = await tracker.state(at: 122)
        #expect(state.services.map(\.name) == ["web"])
        #expect(await tracker.statusSnapshot(at: 122).services.map(\.name) == ["web"])
        #expect(await tracker.serviceRecommendations(at: 122).map(\.0.name).isEmpty)
    }

    @Test func pendingChangesPerPortAreCappedOldestFirst() {
        let key = ServicePortKey(service: ServiceKey(namespace: "shop", name: "web"), port: "http")
        func node(_ n: Int) -> NodeAddress { NodeAddress(host: "10.3.\(n / 250).\(n % 250)", port: 8080) }
        var engine = LagEngine(changeTimeout: 600, maxPendingPerPort: 3)
        _ = engine.desiredChanged(key, to: [node(0)], at: 0)
        _ = engine.observed(ObservedNodes([node(0)]), target: Self.target, for: key, at: 0)
        // A controller that stopped copying while pods roll: every new pod is a pending addition.
        var ended: [LagEvent] = []
        for n in 1...5 {
            ended += engine.desiredChanged(key, to: Set((0...n).map(node)), at: Double(n))
        }
        #expect(engine.pending(key).map(\.node) == [node(3), node(4), node(5)])
        #expect(
            ended == [
                .unobserved(key, .add, .pendingLimit, node: node(1)),
                .unobserved(key, .add, .pendingLimit, node: node(2)),
            ]
        )
        // The ones still tracked are timed as usual.
        let events = engine.observed(ObservedNodes(Set((0...5).map(node))), target: Self.target, for: key, at: 6)
        #expect(events.filter { if case .synced = $0 { true } else { false } }.count == 3)
    }
}
