import Foundation
import TestSupport
import Testing

@testable import APISIXSyncExporter

/// Which upstreams the data plane uses, from upstreams, routes and services.
@Suite struct APISIXRoutingResolverTests {
    let inlineA = APISIXInlineUpstream(name: "own-name", nodes: nodes("10.6.0.1"))
    let inlineB = APISIXInlineUpstream(nodes: nodes("10.6.0.2"))

    func resolve(
        _ upstreams: [APISIXUpstream] = [],
        _ routes: [APISIXRoute] = [],
        _ services: [APISIXService] = []
    ) -> APISIXRoutingResolver.Resolution {
        APISIXRoutingResolver.resolve(upstreams: upstreams, routes: routes, services: services)
    }

    @Test func upstreamObjectsAreAlwaysListed() {
        let upstreams = [
            APISIXUpstream(id: "u1", name: "shop_web_80", nodes: nodes("10.6.1.1"), modifiedIndex: 4),
            APISIXUpstream(id: "u2", nodes: nil, discovery: .init(type: "kubernetes", serviceName: "shop/web:http")),
        ]
        let resolution = resolve(upstreams)
        #expect(resolution.inUse.map(\.identity) == ["upstream/u1", "upstream/u2"])
        let first = resolution.inUse[0]
        #expect(first.name == "shop_web_80")
        #expect(first.nodes == nodes("10.6.1.1"))
        #expect(first.modifiedIndex == 4)
        #expect(first.adminPath == "/apisix/admin/upstreams/u1")
        #expect(first.reason == "upstream object, not used by any route")
        #expect(first.upstream == upstreams[0])
        #expect(resolution.inUse[1].discovery == upstreams[1].discovery)
        #expect(resolution.notes.isEmpty)
    }

    @Test func routeUpstreamIDBeatsItsInlineUpstream() {
        let resolution = resolve(
            [APISIXUpstream(id: "u1", nodes: [])],
            [APISIXRoute(id: "r1", upstreamID: "u1", upstream: inlineA)]
        )
        #expect(resolution.inUse.map(\.identity) == ["upstream/u1"])
        #expect(resolution.inUse[0].reason == "upstream object used by route r1 (upstream_id)")
        #expect(resolution.notes == ["inline upstream of route r1 is not used: its upstream_id u1 wins"])
    }

    @Test func inlineRouteUpstreamIsInUse() {
        let resolution = resolve([], [APISIXRoute(id: "r1", name: "shop_web_0-0", upstream: inlineA, modifiedIndex: 9)])
        let inline = resolution.inUse[0]
        #expect(inline.identity == "route/r1")
        #expect(inline.name == "shop_web_0-0")
        #expect(inline.nodes == nodes("10.6.0.1"))
        #expect(inline.modifiedIndex == 9)
        #expect(inline.adminPath == "/apisix/admin/routes/r1")
        #expect(inline.reason == "inline upstream of route r1")
        #expect(
            inline.upstream
                == APISIXUpstream(id: "route/r1", name: "shop_web_0-0", nodes: nodes("10.6.0.1"), modifiedIndex: 9)
        )
        // Without a route name the inline object's own name is used.
        #expect(resolve([], [APISIXRoute(id: "r2", upstream: inlineA)]).inUse[0].name == "own-name")
    }

    @Test func routeLevelUpstreamBeatsItsServicesUpstream() {
        let service = APISIXService(id: "s1", name: "svc", upstream: inlineB)
        let resolution = resolve([], [APISIXRoute(id: "r1", serviceID: "s1", upstream: inlineA)], [service])
        #expect(resolution.inUse.map(\.identity) == ["route/r1"])

        let byID = resolve(
            [APISIXUpstream(id: "u1", nodes: [])],
            [APISIXRoute(id: "r1", upstreamID: "u1", serviceID: "s1")],
            [service]
        )
        #expect(byID.inUse.map(\.identity) == ["upstream/u1"])
    }

    @Test func serviceInlineUpstreamIsInUseOnlyWhenARouteFallsThroughToIt() {
        let service = APISIXService(id: "s1", name: "shop_web_0", upstream: inlineB, modifiedIndex: 3)
        #expect(resolve([], [], [service]).inUse.isEmpty)
        #expect(resolve([], [APISIXRoute(id: "r0", serviceID: "s1", upstream: inlineA)], [service]).inUse.count == 1)

        let routes = (1...5).map { APISIXRoute(id: "r\($0)", serviceID: "s1") }
        let resolution = resolve([], routes, [service])
        let inline = resolution.inUse[0]
        #expect(inline.identity == "service/s1")
        #expect(inline.name == "shop_web_0")
        #expect(inline.modifiedIndex == 3)
        #expect(inline.adminPath == "/apisix/admin/services/s1")
        #expect(inline.reason == "inline upstream of service s1, used by route r1, route r2, route r3 and 2 more")
    }

    @Test func serviceUpstreamIDBeatsTheServicesInlineUpstream() {
        let service = APISIXService(id: "s1", upstreamID: "s1", upstream: inlineB)
        let resolution = resolve(
            [APISIXUpstream(id: "s1", name: "shop_web_0", nodes: [])],
            [APISIXRoute(id: "r1", serviceID: "s1")],
            [service]
        )
        #expect(resolution.inUse.map(\.identity) == ["upstream/s1"])
        #expect(resolution.inUse[0].reason == "upstream object used by route r1 (upstream_id of service s1)")
        #expect(resolution.notes == ["inline upstream of service s1 is not used: its upstream_id s1 wins"])
    }

    @Test func trafficSplitUpstreamsCountForTheRoute() {
        let upstreams = ["main", "canary", "extra"].map { APISIXUpstream(id: $0, nodes: []) }
        let routes = [
            APISIXRoute(id: "r1", upstreamID: "main", trafficSplitUpstreamIDs: ["canary"]),
            APISIXRoute(id: "r2", serviceID: "s1"),
            APISIXRoute(id: "r3", serviceID: "s1", trafficSplitUpstreamIDs: []),
        ]
        let services = [APISIXService(id: "s1", upstream: inlineB, trafficSplitUpstreamIDs: ["extra"])]
        let resolution = resolve(upstreams, routes, services)
        let reasons = Dictionary(uniqueKeysWithValues: resolution.inUse.map { ($0.identity, $0.reason) })
        #expect(reasons["upstream/main"] == "upstream object used by route r1 (upstream_id)")
        #expect(reasons["upstream/canary"] == "upstream object used by route r1 (traffic-split)")
        // r3's own (empty) traffic-split replaces the service's.
        #expect(reasons["upstream/extra"] == "upstream object used by route r2 (traffic-split of service s1)")
        #expect(reasons["service/s1"] == "inline upstream of service s1, used by route r2, route r3")
    }

    @Test func disabledRoutesUseNothing() {
        let service = APISIXService(id: "s1", upstream: inlineB)
        let routes = [
            APISIXRoute(id: "r1", upstream: inlineA, isEnabled: false),
            APISIXRoute(id: "r2", serviceID: "s1", isEnabled: false),
        ]
        let resolution = resolve([APISIXUpstream(id: "u", nodes: [])], routes, [service])
        #expect(resolution.inUse.map(\.identity) == ["upstream/u"])
    }

    @Test func danglingReferencesAreNoted() {
        let resolution = resolve(
            [],
            [
                APISIXRoute(id: "r1", upstreamID: "gone"), APISIXRoute(id: "r2", serviceID: "nosvc"),
                APISIXRoute(id: "r3", upstream: inlineA, trafficSplitUpstreamIDs: ["ghost"]),
            ]
        )
        #expect(resolution.inUse.map(\.identity) == ["route/r3"])
        #expect(
            resolution.notes == [
                "route r1 (upstream_id) names upstream gone, which does not exist",
                "route r2 names service nosvc, which does not exist",
                "route r3 (traffic-split) names upstream ghost, which does not exist",
            ]
        )
    }

    @Test func adminPathsAreEscaped() {
        #expect(APISIXUpstreamInUse.Origin.route(id: "a b").adminPath == "/apisix/admin/routes/a%20b")
        #expect(APISIXUpstreamInUse.Origin.upstream(id: "x/y").adminPath == "/apisix/admin/upstreams/x%2Fy")
    }

    @Test func tenThousandRoutesResolveQuickly() {
        let upstreams = (0..<10_000).map { APISIXUpstream(id: "u\($0)", nodes: nodes("10.7.0.1")) }
        let routes = (0..<10_000).map { APISIXRoute(id: "r\($0)", upstreamID: "u\($0 / 2)", serviceID: "s\($0 % 10)") }
        let services = (0..<10).map { APISIXService(id: "s\($0)", upstream: inlineB) }
        let clock = ContinuousClock()
        var resolution: APISIXRoutingResolver.Resolution?
        let elapsed = clock.measure { resolution = resolve(upstreams, routes, services) }
        #expect(resolution?.inUse.count == 10_000)
        #expect(resolution?.inUse[0].reason == "upstream object used by route r0 (upstream_id), route r1 (upstream_id)")
        #expect(elapsed < .seconds(2))
    }
}
