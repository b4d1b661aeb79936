import TestSupport
import Testing

@testable import APISIXSyncExporter

@Suite struct UpstreamMapperTests {
    func index() -> EndpointSliceIndex {
        var index = EndpointSliceIndex()
        _ = index.upsert(slice("web-a", [("10.0.0.1", true, false), ("10.0.0.2", true, false)]))
        var twoPorts = slice("api-a", service: "api", [("10.0.1.1", true, false), ("10.0.1.2", true, false)])
        twoPorts.ports = [.init(name: "http", port: 8080), .init(name: "grpc", port: 9090)]
        _ = index.upsert(twoPorts)
        return index
    }

    @Test func ingressController1NamesMapToTheirService() {
        let upstream = APISIXUpstream(id: "4405a246", name: "shop_web_80", nodes: [])
        let mapping = UpstreamMapper().map([upstream], index: index(), previous: [:])["4405a246"]
        #expect(mapping?.key == ServicePortKey(namespace: "shop", service: "web", port: "http"))
        #expect(mapping?.method == .ingressControllerName)
    }

    @Test func ingressController1PortIsChosenByOverlap() {
        let upstream = APISIXUpstream(id: "u", name: "shop_api_9090", nodes: nodes("10.0.1.1", "10.0.1.2", port: 9090))
        let mapping = UpstreamMapper().map([upstream], index: index(), previous: [:])["u"]
        #expect(mapping?.key == ServicePortKey(namespace: "shop", service: "api", port: "grpc"))
    }

    @Test func routeNamedUpstreamsMapByOverlap() {
        let upstream = APISIXUpstream(id: "3f62e9ff", name: "shop_ingress_0-0", nodes: nodes("10.0.0.1", "10.0.0.2"))
        let mapping = UpstreamMapper().map([upstream], index: index(), previous: [:])["3f62e9ff"]
        #expect(mapping?.key == ServicePortKey(namespace: "shop", service: "web", port: "http"))
        #expect(mapping?.method == .overlap)
    }

    @Test func ingressController2TrafficSplitNamesMapToTheirService() {
        let upstream = APISIXUpstream(id: "x", name: "Service_shop_api_9090", nodes: nodes("10.0.1.1", port: 9090))
        let mapping = UpstreamMapper().map([upstream], index: index(), previous: [:])["x"]
        #expect(mapping?.key == ServicePortKey(namespace: "shop", service: "api", port: "grpc"))
        #expect(mapping?.method == .ingressControllerName)
        #expect(mapping?.reason.contains("2.x") == true)
    }

    @Test func aRouteNameShapedLikeA1xNameFallsBackToOverlap() {
        // `shop_httproute_0` reads as 1.x "Service httproute, port 0", which does not exist: the nodes decide.
        let upstream = APISIXUpstream(id: "r", name: "shop_httproute_0", nodes: nodes("10.0.0.1", "10.0.0.2"))
        let mapping = UpstreamMapper().map([upstream], index: index(), previous: [:])["r"]
        #expect(mapping?.key == ServicePortKey(namespace: "shop", service: "web", port: "http"))
        #expect(mapping?.method == .overlap)
        let lonely = APISIXUpstream(id: "l", name: "shop_gone_80", nodes: nodes("192.168.0.1"))
        #expect(
            UpstreamMapper().map([lonely], index: index(), previous: [:])["l"]?.reason
                == "named after Service shop/gone, which has no EndpointSlices"
        )
    }

    @Test func overlapMappingIsStickyUntilItDropsBelowHalf() {
        let mapper = UpstreamMapper()
        let first = mapper.map(
            [APISIXUpstream(id: "u", nodes: nodes("10.0.0.1", "10.0.0.2"))],
            index: index(),
            previous: [:]
        )
        // One of two nodes left: exactly half still overlaps, the mapping stays.
        let drifted = APISIXUpstream(id: "u", nodes: nodes("10.0.0.1", "10.0.0.9"))
        #expect(mapper.map([drifted], index: index(), previous: first)["u"] == first["u"])
        let gone = APISIXUpstream(id: "u", nodes: nodes("10.9.0.1", "10.9.0.2"))
        #expect(mapper.map([gone], index: index(), previous: first)["u"]?.state == .unmapped)
    }

    @Test func flagOverridesWin() {
        let key = ServicePortKey(namespace: "shop", service: "api", port: "grpc")
        let mapper = UpstreamMapper(overrides: [MappingOverride(key: key, upstreamID: "u")])
        let upstream = APISIXUpstream(id: "u", name: "shop_web_80", nodes: nodes("10.0.0.1"))
        #expect(mapper.map([upstream], index: index(), previous: [:])["u"]?.key == key)
    }

    @Test func discoveryAndEmptyUpstreamsAreNotMapped() {
        let mapped = UpstreamMapper().map(
            [
                APISIXUpstream(id: "d", nodes: nil, discovery: .init(type: "kubernetes", serviceName: "shop/web:http")),
                APISIXUpstream(id: "e", nodes: []),
            ],
            index: index(),
            previous: [:]
        )
        #expect(mapped["d"]?.state == .discovery)
        #expect(mapped["e"]?.state == .unmapped)
    }

    @Test func kubernetesDiscoveryUpstreamsWithDumpNodesMapByServiceName() {
        let discovery = APISIXUpstream.Discovery(type: "kubernetes", serviceName: "shop/web:http")
        let mapped = UpstreamMapper().map(
            [
                // Nodes from the discovery dump, none of them endpoints yet: the name decides, not the overlap.
                APISIXUpstream(id: "d", nodes: nodes("10.9.9.9"), discovery: discovery),
                APISIXUpstream(id: "x", nodes: [], discovery: .init(type: "kubernetes", serviceName: "shop/none:http")),
                APISIXUpstream(id: "c", nodes: [], discovery: .init(type: "consul", serviceName: "web")),
            ],
            index: index(),
            previous: [:]
        )
        #expect(mapped["d"]?.state == .mapped)
        #expect(mapped["d"]?.method == .discoveryServiceName)
        #expect(mapped["d"]?.key == ServicePortKey(namespace: "shop", service: "web", port: "http"))
        #expect(mapped["x"]?.state == .unmapped)
        #expect(mapped["c"]?.state == .discovery)
    }

    @Test func parsesMapFlags() {
        #expect(
            MappingOverride(parsing: "shop/web:http=42")?.key
                == ServicePortKey(namespace: "shop", service: "web", port: "http")
        )
        #expect(MappingOverride(parsing: "shop/web:=42")?.key.port == "")
        #expect(MappingOverride(parsing: "shop/web=42") == nil)
        #expect(MappingOverride(parsing: "shop/web:http=") == nil)
    }
}
