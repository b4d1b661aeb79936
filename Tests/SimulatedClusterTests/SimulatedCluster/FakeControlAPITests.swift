import AsyncHTTPClient
import Foundation
import SimulatedCluster
import Testing

extension SimulatedClusterTests {
    /// The Control API: the workers' view, per instance (reference §3, fixtures `control-api-*.json` and
    /// `discovery-kubernetes-dump*.json`).
    @Suite struct FakeControlAPITests {
        typealias Shapes = APISIXShapes

        static func fake(
            mode: FakeAPISIXAdmin.DeploymentMode = .etcd,
            workerDelay: Duration = .zero,
            discovery: FakeAPISIXAdmin.KubernetesDiscoverySettings? = nil
        ) -> FakeAPISIXAdmin {
            FakeAPISIXAdmin(
                configuration: .init(
                    apiKey: Shapes.key,
                    mode: mode,
                    controlPort: 0,
                    workerDelay: workerDelay,
                    kubernetesDiscovery: discovery
                )
            )
        }

        @Test func upstreamsInTheEtcdItemShapeWithNormalisedNodes() async throws {
            let fake = Self.fake()
            try await Shapes.withStarted(fake) { client in
                let control = try #require(fake.controlBaseURL)
                #expect(fake.controlPort > 0 && fake.controlPort != fake.port)
                // An empty list is lua-cjson's empty table.
                #expect(try await Shapes.send(client, control + "/v1/upstreams", key: nil).text == "{}")

                fake.putUpstream(FakeUpstream(id: "1", nodes: .hash(["127.0.0.1:8002": 1])))
                fake.putUpstream(
                    FakeUpstream(id: "2", nodes: .array([.init(host: "httpbin.org", port: 80, weight: 1)]))
                )
                let response = try await Shapes.send(client, control + "/v1/upstreams", key: nil)
                #expect(response.status == 200)
                #expect(response.headers["content-type"] == "application/json")
                #expect(response.text.hasPrefix("["))
                let items = try #require(try Shapes.json(response) as? [[String: Any]])
                #expect(items.count == 2)
                // control-api-v1-upstreams.etcd-3.14plus.reconstructed.json
                #expect(
                    items.allSatisfy {
                        Set($0.keys) == ["key", "value", "createdIndex", "modifiedIndex", "has_domain"]
                    }
                )
                #expect(items[0]["key"] as? String == "/apisix/upstreams/1")
                #expect(items[0]["has_domain"] as? Bool == false)
                #expect(items[1]["has_domain"] as? Bool == true)
                let value = Shapes.value(items[0])
                // control-api-v1-upstreams.test-nodes-only.json: hash nodes come back as an array.
                let nodes = try JSONSerialization.data(withJSONObject: ["nodes": value["nodes"] as Any])
                #expect(
                    NSDictionary(dictionary: try JSON.object(Array(nodes)))
                        == NSDictionary(
                            dictionary: try JSON.object(#"{"nodes":[{"host":"127.0.0.1","port":8002,"weight":1}]}"#)
                        )
                )
                #expect(value["resource_key"] as? String == "/apisix/upstreams/1")
                #expect(value["resource_version"] as? Int == items[0]["modifiedIndex"] as? Int)
                #expect(value["resource_id"] as? String == "1")

                let single = try await Shapes.send(client, control + "/v1/upstream/2", key: nil)
                #expect(try single.jsonObject()["key"] as? String == "/apisix/upstreams/2")
                let missing = try await Shapes.send(client, control + "/v1/upstream/nope", key: nil)
                #expect(missing.status == 404)
                #expect(missing.text == #"{"error_msg":"upstream[nope] not found"}"#)
                #expect(try await Shapes.send(client, control + "/v1/nothing", key: nil).status == 404)
                #expect(fake.statistics.controlUpstreamListRequests == 2)
                #expect(fake.statistics.controlUpstreamRequests == ["2": 1, "nope": 1])
                #expect(fake.statistics.controlRequests == 5)
                // The Admin API is not counted there.
                #expect(fake.statistics.listRequests == 0)
            }
        }

        @Test func standaloneItemsHaveNoCreatedIndexAndNoApisixPrefix() async throws {
            let fake = Self.fake(mode: .standalone)
            fake.put(
                upstreams: [
                    FakeUpstream(
                        id: "3f9a5e49",
                        name: "default_httproute-demo_0",
                        nodes: .hash(["10.244.1.17:8080": 1])
                    )
                ],
                routes: [
                    FakeRoute(
                        id: "r",
                        uris: ["/get"],
                        upstream: FakeUpstream(id: "r", nodes: .hash(["10.244.2.23:8080": 1]))
                    )
                ]
            )
            try await Shapes.withStarted(fake) { client in
                let control = try #require(fake.controlBaseURL)
                let items = try #require(
                    try Shapes.json(try await Shapes.send(client, control + "/v1/upstreams", key: nil))
                        as? [[String: Any]]
                )
                // control-api-v1-upstreams.standalone-3.14plus.reconstructed.json
                #expect(Set(items[0].keys) == ["key", "modifiedIndex", "value", "has_domain"])
                #expect(items[0]["key"] as? String == "/upstreams/3f9a5e49")
                let value = Shapes.value(items[0])
                #expect(value["modifiedIndex"] as? Int == items[0]["modifiedIndex"] as? Int)
                #expect(value["resource_key"] as? String == "/upstreams/3f9a5e49")
                #expect(Shapes.nodeKeys(value["nodes"]) == ["10.244.1.17:8080"])

                let routes = try #require(
                    try Shapes.json(try await Shapes.send(client, control + "/v1/routes", key: nil)) as? [[String: Any]]
                )
                #expect(routes.first?["key"] as? String == "/routes/r")
                let upstream = Shapes.value(routes[0])["upstream"] as? [String: Any]
                #expect(Shapes.nodeKeys(upstream?["nodes"]) == ["10.244.2.23:8080"])
                let route = try await Shapes.send(client, control + "/v1/route/r", key: nil)
                #expect(route.status == 200)
                #expect(
                    try await Shapes.send(client, control + "/v1/service/x", key: nil).text
                        == #"{"error_msg":"service[x] not found"}"#
                )
            }
        }

        @Test func theWorkersLagTheAdminAPIByTheWorkerDelay() async throws {
            let fake = Self.fake(workerDelay: .milliseconds(400))
            fake.putUpstream(FakeUpstream(id: "u", nodes: .array(Shapes.nodes(["10.0.0.1:80"]))))
            try await fake.waitForWorkers { $0.count == 1 }
            try await Shapes.withStarted(fake) { client in
                let control = try #require(fake.controlBaseURL)
                let clock = ContinuousClock()
                let start = clock.now
                #expect(fake.setNodes(id: "u", nodes: Shapes.nodes(["10.0.0.2:80"])))
                // The Admin API shows the write at once; the workers still route to the old node.
                let admin = try await Shapes.send(client, fake.baseURL + "/apisix/admin/upstreams/u").jsonObject()
                #expect(Shapes.nodeKeys(Shapes.value(admin)["nodes"]) == ["10.0.0.2:80"])
                let before = try await Shapes.send(client, control + "/v1/upstream/u", key: nil).jsonObject()
                if clock.now - start < .milliseconds(350) {
                    #expect(Shapes.nodeKeys(Shapes.value(before)["nodes"]) == ["10.0.0.1:80"])
                    #expect(fake.workerUpstream(id: "u").map { Set($0.backendNodeKeys) } == ["10.0.0.1:80"])
                }
                try await fake.waitForWorkers("the new node") { upstreams in
                    upstreams.first.map { Set($0.backendNodeKeys) } == ["10.0.0.2:80"]
                }
                #expect(clock.now - start >= .milliseconds(400))
                let after = try await Shapes.send(client, control + "/v1/upstream/u", key: nil).jsonObject()
                #expect(Shapes.nodeKeys(Shapes.value(after)["nodes"]) == ["10.0.0.2:80"])
            }
        }

        @Test func withoutRoutesAndServicesThosePathsAnswer404AndUpstreamsStillAnswer() async throws {
            let fake = FakeAPISIXAdmin(
                configuration: .init(apiKey: Shapes.key, controlPort: 0, controlAPIServesRoutesAndServices: false)
            )
            fake.putUpstream(FakeUpstream(id: "u", nodes: .array(Shapes.nodes(["10.0.0.1:80"]))))
            fake.putRoute(FakeRoute(id: "r", uri: "/", upstreamID: "u"))
            fake.putService(FakeService(id: "s", upstreamID: "u"))
            try await Shapes.withStarted(fake) { client in
                let control = try #require(fake.controlBaseURL)
                for path in ["/v1/routes", "/v1/route/r", "/v1/services", "/v1/service/s"] {
                    #expect(try await Shapes.send(client, control + path, key: nil).status == 404, "\(path)")
                }
                let upstreams = try await Shapes.send(client, control + "/v1/upstreams", key: nil)
                #expect(upstreams.status == 200)
                #expect((try Shapes.json(upstreams) as? [[String: Any]])?.count == 1)
                #expect(try await Shapes.send(client, control + "/v1/upstream/u", key: nil).status == 200)
                // Switched at run time: the paths answer again.
                fake.controlAPIServesRoutesAndServices = true
                #expect(try await Shapes.send(client, control + "/v1/routes", key: nil).status == 200)
                #expect(try await Shapes.send(client, control + "/v1/service/s", key: nil).status == 200)
            }
        }

        @Test func theDiscoveryDumpEncodesValuesAsJSONStringsAndEchoesTheToken() async throws {
            let fake = Self.fake(discovery: .init())
            fake.setDiscoveryEndpoints(
                service: "default/httpbin",
                ports: ["http": Shapes.nodes(["10.244.2.23:8080", "10.244.1.17:8080"])]
            )
            fake.setDiscoveryEndpoints(service: "default/no-ready-pods", ports: [:])
            try await Shapes.withStarted(fake) { client in
                let control = try #require(fake.controlBaseURL)
                let response = try await Shapes.send(client, control + "/v1/discovery/kubernetes/dump", key: nil)
                #expect(response.status == 200)
                #expect(response.text.contains("fake-token-SECRET"))
                // discovery-kubernetes-dump.single-mode.reconstructed.json
                let document = try response.jsonObject()
                #expect(Set(document.keys) == ["endpoints", "config"])
                let config = try #require(document["config"] as? [String: Any])
                #expect((config["client"] as? [String: Any])?["token"] as? String == "fake-token-SECRET")
                #expect(config["default_weight"] as? Int == 50)
                let groups = try #require(document["endpoints"] as? [[String: Any]])
                #expect(groups.count == 1 && groups[0]["id"] == nil)
                let entries = try #require(groups[0]["endpoints"] as? [[String: Any]])
                #expect(entries.map { $0["name"] as? String } == ["default/httpbin", "default/no-ready-pods"])
                let encoded = try #require(entries[0]["value"] as? String)
                #expect(
                    encoded
                        == #"{"http":[{"host":"10.244.1.17","port":8080,"weight":50},"#
                        + #"{"host":"10.244.2.23","port":8080,"weight":50}]}"#
                )
                #expect(entries[1]["value"] as? String == "{}")
                #expect(fake.statistics.discoveryDumpRequests == 1)
            }
            let without = Self.fake()
            try await Shapes.withStarted(without) { client in
                let control = try #require(without.controlBaseURL)
                let response = try await Shapes.send(client, control + "/v1/discovery/kubernetes/dump", key: nil)
                #expect(response.status == 404)
            }
        }
    }
}

extension FakeUpstream {
    /// The static nodes as `host:port` strings (empty for a discovery upstream).
    var backendNodeKeys: [String] {
        guard case .nodes(let nodes) = self.backend else { return [] }
        return nodes.nodes.map(\.hashKey)
    }
}
