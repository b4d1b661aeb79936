import Testing

@testable import APISIXSyncExporter

/// The keys everything is indexed by: how nodes are parsed and normalised, how keys print and sort.
@Suite struct ModelKeyTests {
    @Test func nodeAddressesParseIPv4IPv6AndHostNames() {
        #expect(NodeAddress(parsing: "10.0.0.1:8080") == NodeAddress(host: "10.0.0.1", port: 8080))
        #expect(NodeAddress(parsing: "[fd00::1]:443") == NodeAddress(host: "fd00::1", port: 443))
        #expect(NodeAddress(parsing: "Web.Shop.SVC:80") == NodeAddress(host: "web.shop.svc", port: 80))
        #expect(NodeAddress(parsing: "10.0.0.1:0") == NodeAddress(host: "10.0.0.1", port: 0))
    }

    @Test func nodeAddressesWithoutAValidPortOrWithBareIPv6AreRejected() {
        for text in ["10.0.0.1", "10.0.0.1:", ":8080", "10.0.0.1:http", "10.0.0.1:65536", "10.0.0.1:-1", "fd00::1:443"]
        {
            #expect(NodeAddress(parsing: text) == nil, "\(text)")
        }
    }

    @Test func nodeAddressesPrintAsAPISIXWritesThemAndRoundTrip() {
        let nodes = [NodeAddress(host: "10.0.0.1", port: 8080), NodeAddress(host: "[FD00::1]", port: 443)]
        #expect(nodes.map(\.description) == ["10.0.0.1:8080", "[fd00::1]:443"])
        #expect(nodes.map { NodeAddress(parsing: $0.description) } == nodes)
    }

    @Test func nodeAddressesSortByHostThenPort() {
        let sorted = [
            NodeAddress(host: "10.0.0.2", port: 80),
            NodeAddress(host: "10.0.0.1", port: 9090),
            NodeAddress(host: "10.0.0.1", port: 80),
        ].sorted()
        #expect(sorted.map(\.description) == ["10.0.0.1:80", "10.0.0.1:9090", "10.0.0.2:80"])
    }

    @Test func serviceKeysPrintAsTheMapFlagWritesThemAndSortByNamespaceFirst() {
        let port = ServicePortKey(namespace: "shop", service: "web", port: "http")
        #expect(port.description == "shop/web:http")
        #expect(port == ServicePortKey(service: ServiceKey(namespace: "shop", name: "web"), port: "http"))
        #expect(ServicePortKey(namespace: "shop", service: "web", port: "").description == "shop/web:")
        let services = [
            ServiceKey(namespace: "shop", name: "api"),
            ServiceKey(namespace: "default", name: "web"),
            ServiceKey(namespace: "shop", name: "a"),
        ]
        #expect(services.sorted().map(\.description) == ["default/web", "shop/a", "shop/api"])
        let ports = [
            ServicePortKey(namespace: "shop", service: "web", port: "metrics"),
            ServicePortKey(namespace: "shop", service: "api", port: "http"),
            ServicePortKey(namespace: "shop", service: "web", port: "http"),
        ]
        #expect(ports.sorted().map(\.description) == ["shop/api:http", "shop/web:http", "shop/web:metrics"])
    }

    @Test func changeKindsAndOutcomesKeepTheirMetricLabelValues() {
        #expect(ChangeKind.allCases.map(\.rawValue) == ["remove", "add"])
        #expect(
            ChangeOutcome.allCases.map(\.rawValue) == ["synced", "censored", "superseded", "timeout", "unobserved"]
        )
    }
}
