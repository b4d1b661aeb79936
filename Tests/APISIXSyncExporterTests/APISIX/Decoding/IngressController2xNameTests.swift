import Testing

@testable import APISIXSyncExporter

/// apisix-ingress-controller 2.x names: route-based, except extra HTTPRoute backends.
@Suite struct IngressController2xNameTests {
    @Test(arguments: [
        (
            "Service_shop_api_80",
            IngressController2xName.serviceBackend(service: .init(namespace: "shop", name: "api"), port: 80)
        ),
        ("Service_shop_api_0", .serviceBackend(service: .init(namespace: "shop", name: "api"), port: 0)),
        (
            "default_httproute-demo_0",
            .routeRule(namespace: "default", route: "httproute-demo", rule: 0, match: nil, suffix: nil)
        ),
        (
            "default_httproute-demo_1-2",
            .routeRule(namespace: "default", route: "httproute-demo", rule: 1, match: 2, suffix: nil)
        ),
        (
            "ai-infra_resource-manager-ingress_0-0",
            .routeRule(namespace: "ai-infra", route: "resource-manager-ingress", rule: 0, match: 0, suffix: nil)
        ),
        (
            "shop_grpc.route_3_grpc",
            .routeRule(namespace: "shop", route: "grpc.route", rule: 3, match: nil, suffix: .grpc)
        ),
        ("shop_tcp_0_TCP", .routeRule(namespace: "shop", route: "tcp", rule: 0, match: nil, suffix: .tcp)),
        ("shop_ar_2_1", .apisixRouteBackend(namespace: "shop", route: "ar", rule: 2, backend: 1)),
    ])
    func parsesEveryForm(name: String, expected: IngressController2xName) {
        #expect(UpstreamMapper.ingressController2xName(name) == expected)
    }

    @Test(arguments: [
        "", "shop", "shop_web", "shop__0", "_web_0", "shop_web_x", "shop_web_0-", "shop_web_0-1-2", "shop_web_01",
        "shop_web_-1", "shop_web_0_1_2", "Service_shop_api", "Service_shop_api_http", "Service_shop_api_70000",
        "Service__api_80", "shop_web_0-1_2", "shop_web_0_grpcs", "shop_web_+1",
    ])
    func rejectsOtherNames(name: String) {
        #expect(UpstreamMapper.ingressController2xName(name) == nil)
    }

    @Test func onlyServiceBackendsNameAServicePort() throws {
        let backend = try #require(UpstreamMapper.ingressController2xName("Service_shop_api_8080")?.serviceBackend)
        #expect(backend.service == ServiceKey(namespace: "shop", name: "api"))
        #expect(backend.port == 8080)
        #expect(UpstreamMapper.ingressController2xName("shop_web_0")?.serviceBackend == nil)
    }
}
