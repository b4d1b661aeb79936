import AsyncHTTPClient
import Foundation
import SimulatedCluster
import TestSupport
import Testing

extension SimulatedClusterTests {
    /// Where the simulated controller writes the nodes: inline route upstreams, apisix-ingress-controller 2.x / ADC
    /// services and upstreams (reference §6 and §8), APISIX Kubernetes discovery, and standalone pushes.
    @Suite struct SimulatedIngressControllerStyleTests {
        typealias Shapes = APISIXShapes

        static func id(_ name: String) -> FakeUpstream.ID {
            .string(SimulatedIngressController.upstreamID(name: name))
        }

        static func makeWorld(
            services: Int = 1,
            style: SimulatedIngressController.UpstreamStyle,
            apisix: FakeAPISIXAdmin = FakeAPISIXAdmin()
        ) -> SimulatedWorld {
            SimulatedWorld(
                kubernetes: FakeKubernetesAPI(configuration: .init(historyLimit: 1_000)),
                apisix: apisix,
                configuration: .init(
                    seed: 5,
                    services: services,
                    replicas: 3...3,
                    churn: false,
                    startupDelay: 0.05...0.05,
                    terminationPeriod: 30,
                    controller: .init(lag: .fixed(0.05), slowService: nil, style: style)
                )
            )
        }

        static func nodes(_ upstream: FakeUpstream?) -> Set<String> {
            Set(upstream?.backendNodeKeys ?? [])
        }

        @Test func inlineRouteUpstreams() async throws {
            let world = Self.makeWorld(
                style: .inlineRoutes,
                apisix: FakeAPISIXAdmin(configuration: .init(apiKey: Shapes.key))
            )
            try await SimulatedWorldTests.whileRunning(world) {
                let routeID = Self.id("demo_checkout_80")
                let route = try #require(world.apisix.route(id: routeID))
                #expect(route.name == "demo_checkout_80")
                #expect(route.uris == ["/checkout", "/checkout/*"])
                #expect(Self.nodes(route.upstream) == world.readyNodes(service: "checkout"))
                #expect(world.apisix.upstreams.isEmpty)

                world.scale(service: "checkout", to: 2)
                try await world.controller.waitForTruth(count: 1)
                let record = try #require(world.controller.truth.first)
                #expect(record.upstreamID == routeID.description)
                #expect(record.instance == "apisix")
                #expect(Self.nodes(world.apisix.route(id: routeID)?.upstream) == world.readyNodes(service: "checkout"))

                try await Shapes.withStarted(world.apisix) { client in
                    let response = try await Shapes.send(client, world.apisix.baseURL + "/apisix/admin/routes")
                    let item = try #require((try response.jsonObject()["list"] as? [[String: Any]])?.first)
                    let upstream = Shapes.value(item)["upstream"] as? [String: Any]
                    #expect(Shapes.nodeKeys(upstream?["nodes"]) == world.readyNodes(service: "checkout"))
                }
            }
        }

        @Test func ingressController2SplitsUpstreamsOutOfServices() async throws {
            let world = Self.makeWorld(style: .ingressController2(.init(source: .ingress)))
            try await SimulatedWorldTests.whileRunning(world) {
                let name = "demo_checkout_0-0"
                let id = Self.id(name)
                let upstream = try #require(world.apisix.upstream(id: id))
                #expect(upstream.name == name)
                #expect(upstream.labels == ["managed-by": "apisix-ingress-controller"])
                #expect(upstream.scheme == "http")
                guard case .nodes(.array(let nodes)) = upstream.backend else {
                    Issue.record("nodes are not an array: \(upstream.backend)")
                    return
                }
                #expect(nodes.allSatisfy { $0.weight == 1 })
                #expect(Set(nodes.map(\.hashKey)) == world.readyNodes(service: "checkout"))
                let service = try #require(world.apisix.service(id: id))
                #expect(service.name == name)
                #expect(service.upstreamID == id)
                #expect(service.upstream == nil)
                #expect(service.labels["k8s/kind"] == "Ingress")
                #expect(service.labels["k8s/name"] == "checkout")
                #expect(service.labels["manager-by"] == "apisix-ingress-controller")
                #expect(service.hosts == ["checkout.example.com"])
                let route = try #require(world.apisix.route(id: id))
                #expect(route.name == name)
                #expect(route.serviceID == id)

                world.scale(service: "checkout", to: 2)
                try await world.controller.waitForTruth(count: 1)
                #expect(world.controller.truth.first?.upstreamID == id.description)
                #expect(Self.nodes(world.apisix.upstream(id: id)) == world.readyNodes(service: "checkout"))
            }
        }

        @Test func ingressController2WithOldADCKeepsNodesInTheService() async throws {
            let world = Self.makeWorld(style: .ingressController2(.init(source: .ingress, splitUpstreams: false)))
            try await SimulatedWorldTests.whileRunning(world) {
                let id = Self.id("demo_checkout_0-0")
                #expect(world.apisix.upstreams.isEmpty)
                let service = try #require(world.apisix.service(id: id))
                #expect(service.upstreamID == nil)
                #expect(Self.nodes(service.upstream) == world.readyNodes(service: "checkout"))
                world.scale(service: "checkout", to: 1)
                try await world.controller.waitForTruth(count: 2)
                #expect(Self.nodes(world.apisix.service(id: id)?.upstream) == world.readyNodes(service: "checkout"))
                #expect(world.controller.truth.allSatisfy { $0.upstreamID == id.description })
            }
        }

        @Test func httpRouteTrafficSplitWritesEveryServicePortTwice() async throws {
            let layout = SimulatedIngressController.IngressController2Layout(source: .httpRoute, trafficSplit: true)
            let world = Self.makeWorld(services: 2, style: .ingressController2(layout))
            try await SimulatedWorldTests.whileRunning(world) {
                let checkoutService = try #require(world.apisix.service(id: Self.id("demo_checkout_0")))
                #expect(checkoutService.name == "demo_checkout_0")
                #expect(checkoutService.labels["k8s/kind"] == "HTTPRoute")
                #expect(
                    checkoutService.trafficSplit?.weightedUpstreams == [
                        .init(upstreamID: nil, weight: 1),
                        .init(upstreamID: Self.id("Service_demo_catalog_80"), weight: 1),
                    ]
                )
                let route = try #require(world.apisix.route(id: Self.id("demo_checkout_0-0")))
                #expect(route.serviceID == Self.id("demo_checkout_0"))
                let extra = try #require(world.apisix.upstream(id: Self.id("Service_demo_checkout_80")))
                #expect(extra.name == "Service_demo_checkout_80")
                #expect(world.apisix.upstreams.count == 4)

                world.scale(service: "checkout", to: 2)
                try await world.controller.waitForTruth(count: 1)
                let ready = world.readyNodes(service: "checkout")
                #expect(Self.nodes(world.apisix.upstream(id: Self.id("demo_checkout_0"))) == ready)
                #expect(Self.nodes(world.apisix.upstream(id: Self.id("Service_demo_checkout_80"))) == ready)
                #expect(
                    Self.nodes(world.apisix.upstream(id: Self.id("demo_catalog_0")))
                        == world.readyNodes(service: "catalog")
                )
            }
        }

        @Test func kubernetesDiscoveryUpdatesTheDumpNotTheUpstream() async throws {
            let apisix = FakeAPISIXAdmin(configuration: .init(controlPort: 0, kubernetesDiscovery: .init()))
            let world = Self.makeWorld(style: .kubernetesDiscovery, apisix: apisix)
            try await SimulatedWorldTests.whileRunning(world) {
                let upstream = try #require(world.apisix.upstream(id: Self.id("demo_checkout_80")))
                #expect(upstream.backend == .discovery(serviceName: "demo/checkout:http", discoveryType: "kubernetes"))
                #expect(
                    Set(world.apisix.discoveryEndpoints["demo/checkout"]?["http"]?.map(\.hashKey) ?? [])
                        == world.readyNodes(service: "checkout")
                )
                let revision = world.apisix.revision
                world.scale(service: "checkout", to: 2)
                try await world.controller.waitForTruth(count: 1)
                #expect(
                    Set(world.apisix.discoveryEndpoints["demo/checkout"]?["http"]?.map(\.hashKey) ?? [])
                        == world.readyNodes(service: "checkout")
                )
                #expect(world.apisix.revision == revision)

                try await Shapes.withStarted(world.apisix) { client in
                    let control = try #require(world.apisix.controlBaseURL)
                    let dump = try await Shapes.send(client, control + "/v1/discovery/kubernetes/dump").jsonObject()
                    let entries = (dump["endpoints"] as? [[String: Any]])?.first?["endpoints"] as? [[String: Any]]
                    let value = try #require(entries?.first?["value"] as? String)
                    let ports = try JSON.object(value)
                    #expect(Shapes.nodeKeys(ports["http"]) == world.readyNodes(service: "checkout"))
                }
            }
        }

        @Test func standalonePushesReachConfigsOverHTTP() async throws {
            let apisix = FakeAPISIXAdmin(configuration: .init(apiKey: Shapes.key, mode: .standalone))
            let world = Self.makeWorld(style: .ingressController2(.init(source: .httpRoute)), apisix: apisix)
            try await Shapes.withStarted(apisix) { client in
                try await SimulatedWorldTests.whileRunning(world) {
                    let url = apisix.baseURL + "/apisix/admin/configs"
                    let first = try await Shapes.send(client, url)
                    let document = try first.jsonObject()
                    let upstreams = try #require(document["upstreams"] as? [[String: Any]])
                    #expect(upstreams.map { $0["name"] as? String } == ["demo_checkout_0"])
                    #expect(Shapes.nodeKeys(upstreams[0]["nodes"]) == world.readyNodes(service: "checkout"))
                    #expect(
                        (document["services"] as? [[String: Any]])?.first?["upstream_id"] as? String
                            == Self.id("demo_checkout_0").description
                    )
                    let digest = try #require(first.headers["x-digest"])

                    world.scale(service: "checkout", to: 2)
                    try await world.controller.waitForTruth(count: 1)
                    let head = try await Shapes.send(client, url, head: true)
                    #expect(head.headers["x-digest"] != digest)
                    let second = try await Shapes.send(client, url).jsonObject()
                    let updated = try #require((second["upstreams"] as? [[String: Any]])?.first)
                    #expect(Shapes.nodeKeys(updated["nodes"]) == world.readyNodes(service: "checkout"))
                    #expect(second["upstreams_conf_version"] as? Int == updated["modifiedIndex"] as? Int)
                    #expect(
                        (second["routes_conf_version"] as? Int ?? 0) < (second["upstreams_conf_version"] as? Int ?? 0)
                    )
                }
            }
        }
    }
}
