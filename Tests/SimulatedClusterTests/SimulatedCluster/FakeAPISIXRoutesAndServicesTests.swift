import AsyncHTTPClient
import Foundation
import SimulatedCluster
import Testing

extension SimulatedClusterTests {
    /// Routes and services with inline upstreams, `upstream_id`, `service_id` and `traffic-split` (reference §1.4
    /// and §6, fixtures `admin-v3-route-*`, `admin-v3-service-*`).
    @Suite struct FakeAPISIXRoutesAndServicesTests {
        typealias Shapes = APISIXShapes

        static func fake(_ version: FakeAPISIXAdmin.AdminAPIVersion = .v3) -> FakeAPISIXAdmin {
            FakeAPISIXAdmin(configuration: .init(apiKey: Shapes.key, adminAPIVersion: version))
        }

        /// `value` without the fields the store adds.
        static func storedFields(_ item: [String: Any]) -> [String: Any] {
            var value = Shapes.value(item)
            value["create_time"] = nil
            value["update_time"] = nil
            return value
        }

        @Test func aRouteWithAnInlineUpstreamMatchesAPISIXsTestOutput() async throws {
            let fake = Self.fake()
            fake.putRoute(
                FakeRoute(
                    id: "1",
                    uri: "/index",
                    methods: ["GET"],
                    upstream: FakeUpstream(id: "ignored", nodes: .hash(["127.0.0.1:8080": 1]))
                )
            )
            try await Shapes.withStarted(fake) { client in
                let response = try await Shapes.send(client, fake.baseURL + "/apisix/admin/routes/1")
                #expect(response.status == 200)
                #expect(response.headers["x-api-version"] == "v3")
                let document = try response.jsonObject()
                #expect(Set(document.keys) == ["key", "value", "createdIndex", "modifiedIndex"])
                #expect(document["key"] as? String == "/apisix/routes/1")
                // admin-v3-route-inline-upstream.test-normalized.json, exactly (the test strips the timestamps).
                let expected = try JSON.object(
                    #"{"id":"1","methods":["GET"],"upstream":{"nodes":{"127.0.0.1:8080":1},"type":"roundrobin"},"#
                        + #""uri":"/index"}"#
                )
                #expect(NSDictionary(dictionary: Self.storedFields(document)) == NSDictionary(dictionary: expected))
                #expect(Shapes.value(document)["update_time"] is Int)
                #expect(fake.statistics.singleRouteRequests["1"] == 1)
            }
        }

        @Test func servicesInlineAndSplitAsIngressController2WritesThem() async throws {
            let fake = Self.fake()
            let labels = [
                "k8s/kind": "Ingress", "k8s/name": "resource-manager-ingress", "k8s/namespace": "ai-infra",
                "k8s/controller-name": "apisix.apache.org/apisix-ingress-controller",
                "manager-by": "apisix-ingress-controller",
            ]
            let nodes = FakeUpstream.Nodes.array([.init(host: "10.138.131.252", port: 8099, weight: 1)])
            // admin-v3-service-ic2-adc-inline-legacy (ADC < 0.22) ...
            fake.putService(
                FakeService(
                    id: "inline",
                    labels: labels,
                    hosts: ["fat-resource-manager.example.com"],
                    upstream: FakeUpstream(
                        id: "inline",
                        labels: ["managed-by": "apisix-ingress-controller"],
                        scheme: "http",
                        nodes: nodes
                    )
                )
            )
            // ... and admin-v3-service-ic2-adc-split / admin-v3-upstream-ic2-adc-split (ADC >= 0.22).
            fake.put(
                upstreams: [
                    FakeUpstream(
                        id: "3f62e9ff",
                        name: "ai-infra_resource-manager-ingress_0-0",
                        labels: ["managed-by": "apisix-ingress-controller"],
                        scheme: "http",
                        nodes: nodes
                    )
                ],
                services: [
                    FakeService(
                        id: "3f62e9ff",
                        name: "ai-infra_resource-manager-ingress_0-0",
                        labels: labels,
                        hosts: ["fat-resource-manager.example.com"],
                        upstreamID: "3f62e9ff"
                    )
                ]
            )
            try await Shapes.withStarted(fake) { client in
                let list = try await Shapes.send(client, fake.baseURL + "/apisix/admin/services").jsonObject()
                #expect(list["total"] as? Int == 2)
                let items = try #require(list["list"] as? [[String: Any]])
                #expect(items.map { $0["key"] as? String } == ["/apisix/services/3f62e9ff", "/apisix/services/inline"])
                let split = Shapes.value(items[0])
                #expect(
                    Set(split.keys) == ["id", "name", "labels", "hosts", "upstream_id", "create_time", "update_time"]
                )
                #expect(split["upstream_id"] as? String == "3f62e9ff")
                #expect(split["labels"] as? [String: String] == labels)
                let inline = try #require(Shapes.value(items[1])["upstream"] as? [String: Any])
                #expect(Set(inline.keys) == ["scheme", "type", "labels", "nodes"])
                #expect(Shapes.nodeKeys(inline["nodes"]) == ["10.138.131.252:8099"])

                let upstream = try await Shapes.send(client, fake.baseURL + "/apisix/admin/upstreams/3f62e9ff")
                let upstreamValue = Shapes.value(try upstream.jsonObject())
                #expect(upstreamValue["name"] as? String == "ai-infra_resource-manager-ingress_0-0")
                #expect(fake.statistics.serviceListRequests == 1)
            }
        }

        @Test func routeReferencesAndTrafficSplit() async throws {
            let fake = Self.fake()
            fake.putRoute(
                FakeRoute(
                    id: "r1",
                    name: "default_httproute-demo_0-0",
                    labels: ["k8s/kind": "HTTPRoute"],
                    uris: ["/get"],
                    priority: 4480,
                    status: 1,
                    serviceID: "svc",
                    upstreamID: "u1",
                    upstream: FakeUpstream(id: "x", nodes: .array([.init(host: "10.0.0.1", port: 80)])),
                    trafficSplit: FakeTrafficSplit(weightedUpstreams: [
                        .init(upstreamID: nil, weight: 1), .init(upstreamID: "u2", weight: 3),
                    ])
                )
            )
            fake.putRoute(FakeRoute(id: 7, name: "numeric", uri: "/n", upstreamID: 3))
            try await Shapes.withStarted(fake) { client in
                let list = try await Shapes.send(client, fake.baseURL + "/apisix/admin/routes").jsonObject()
                #expect(list["total"] as? Int == 2)
                let items = try #require(list["list"] as? [[String: Any]])
                #expect(items.map { $0["key"] as? String } == ["/apisix/routes/7", "/apisix/routes/r1"])
                let numeric = Shapes.value(items[0])
                #expect(numeric["id"] as? Int == 7)
                #expect(numeric["upstream_id"] as? Int == 3)
                let route = Shapes.value(items[1])
                #expect(route["service_id"] as? String == "svc")
                #expect(route["upstream_id"] as? String == "u1")
                #expect(route["uris"] as? [String] == ["/get"])
                #expect(route["priority"] as? Int == 4480)
                let plugins = try #require(route["plugins"] as? [String: Any])
                let split = try #require(plugins["traffic-split"] as? [String: Any])
                let rules = try #require(split["rules"] as? [[String: Any]])
                let weighted = try #require(rules.first?["weighted_upstreams"] as? [[String: Any]])
                #expect(weighted.count == 2)
                #expect(weighted[0]["upstream_id"] == nil && weighted[0]["weight"] as? Int == 1)
                #expect(weighted[1]["upstream_id"] as? String == "u2" && weighted[1]["weight"] as? Int == 3)

                let named = try await Shapes.send(client, fake.baseURL + "/apisix/admin/routes?name=httproute")
                #expect(try named.jsonObject()["total"] as? Int == 1)
                let labelled = try await Shapes.send(client, fake.baseURL + "/apisix/admin/routes?label=k8s/kind")
                #expect(try labelled.jsonObject()["total"] as? Int == 1)
                #expect(fake.statistics.routeListRequests == 3)

                #expect(fake.deleteRoute(id: "r1"))
                #expect(!fake.deleteRoute(id: "r1"))
                #expect(try await Shapes.send(client, fake.baseURL + "/apisix/admin/routes/r1").status == 404)
            }
        }

        @Test func routesInTheV2Envelope() async throws {
            let fake = Self.fake(.apisix2)
            fake.putRoute(
                FakeRoute(
                    id: "1",
                    uri: "/index",
                    methods: ["GET"],
                    upstream: FakeUpstream(id: "1", nodes: .hash(["127.0.0.1:8080": 1]))
                )
            )
            try await Shapes.withStarted(fake) { client in
                // admin-v2-route-inline-upstream.2.15-test-normalized.json (+ `count`).
                let single = try await Shapes.send(client, fake.baseURL + "/apisix/admin/routes/1").jsonObject()
                #expect(single["action"] as? String == "get")
                let node = try #require(single["node"] as? [String: Any])
                #expect(node["key"] as? String == "/apisix/routes/1")
                let upstream = try #require(Shapes.value(node)["upstream"] as? [String: Any])
                #expect(upstream["nodes"] as? [String: Int] == ["127.0.0.1:8080": 1])
                let list = try await Shapes.send(client, fake.baseURL + "/apisix/admin/services").jsonObject()
                #expect((list["node"] as? [String: Any])?["key"] as? String == "/apisix/services")
            }
        }
    }
}
