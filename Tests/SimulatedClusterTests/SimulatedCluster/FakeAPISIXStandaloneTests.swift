import AsyncHTTPClient
import Foundation
import SimulatedCluster
import Testing

extension SimulatedClusterTests {
    /// API-driven standalone mode (reference §2, fixtures `standalone-configs-*.json`).
    @Suite struct FakeAPISIXStandaloneTests {
        typealias Shapes = APISIXShapes
        static let configs = "/apisix/admin/configs"

        /// The keys of standalone-configs-get-empty.doc.json, plus the two APISIX 3.14+ adds
        /// (`plugins_conf_version`, `stream_routes_conf_version`).
        static let versionKeys: Set<String> = [
            "consumer_groups_conf_version", "consumers_conf_version", "global_rules_conf_version",
            "plugin_configs_conf_version", "plugin_metadata_conf_version", "protos_conf_version",
            "routes_conf_version", "secrets_conf_version", "services_conf_version", "ssls_conf_version",
            "upstreams_conf_version", "plugins_conf_version", "stream_routes_conf_version",
        ]

        static func fake() -> FakeAPISIXAdmin {
            FakeAPISIXAdmin(configuration: .init(apiKey: Shapes.key, mode: .standalone))
        }

        /// The objects of standalone-configs-get-ic2-adc.reconstructed.json.
        static func push(_ fake: FakeAPISIXAdmin, nodes: [String]) {
            fake.put(
                upstreams: [
                    FakeUpstream(
                        id: "3f9a5e49",
                        name: "default_httproute-demo_0",
                        labels: ["managed-by": "apisix-ingress-controller"],
                        scheme: "http",
                        nodes: .array(Shapes.nodes(nodes))
                    )
                ],
                services: [
                    FakeService(
                        id: "3f9a5e49",
                        name: "default_httproute-demo_0",
                        hosts: ["httpbin.example"],
                        upstreamID: "3f9a5e49"
                    )
                ],
                routes: [
                    FakeRoute(id: "ea42cf99", name: "default_httproute-demo_0-0", uris: ["/get"], serviceID: "3f9a5e49")
                ]
            )
        }

        @Test func anUnconfiguredInstanceDumpsZeroVersionsWithoutDigest() async throws {
            let fake = Self.fake()
            try await Shapes.withStarted(fake) { client in
                let response = try await Shapes.send(client, fake.baseURL + Self.configs)
                #expect(response.status == 200)
                #expect(response.headers["content-type"] == "application/json")
                #expect(response.headers["x-digest"] == nil)
                #expect(response.headers["x-last-modified"] == nil)
                #expect(response.headers["x-api-version"] == nil)
                let document = try response.jsonObject()
                #expect(Set(document.keys) == Self.versionKeys)
                #expect(document.values.allSatisfy { $0 as? Int == 0 })
                let head = try await Shapes.send(client, fake.baseURL + Self.configs, head: true)
                #expect(head.status == 200)
                #expect(head.body.isEmpty)
                #expect(head.headers["x-digest"] == nil)
                #expect(fake.statistics.configGetRequests == 1)
                #expect(fake.statistics.configHeadRequests == 1)
            }
        }

        @Test func aPushStampsItemsVersionsAndHeaders() async throws {
            let fake = Self.fake()
            let before = Date().timeIntervalSince1970
            Self.push(fake, nodes: ["10.244.1.17:8080", "10.244.2.23:8080"])
            try await Shapes.withStarted(fake) { client in
                let response = try await Shapes.send(client, fake.baseURL + Self.configs)
                #expect(response.status == 200)
                let digest = try #require(response.headers["x-digest"])
                #expect(digest.count == 40 && digest.allSatisfy(\.isHexDigit))
                let lastModified = try #require(response.headers["x-last-modified"].flatMap { Int($0) })
                #expect(abs(Double(lastModified) - before) < 5)
                let document = try response.jsonObject()
                // The keys of standalone-configs-get-ic2-adc.reconstructed.json.
                #expect(
                    Set(document.keys)
                        == Self.versionKeys.union(["X-Last-Modified", "X-Digest", "routes", "services", "upstreams"])
                )
                #expect(document["X-Digest"] as? String == digest)
                #expect(document["X-Last-Modified"] as? Int == lastModified)
                let stamp = try #require(document["upstreams_conf_version"] as? Int)
                #expect(abs(Double(stamp) / 1000 - before) < 5)
                #expect(document["services_conf_version"] as? Int == stamp)
                #expect(document["routes_conf_version"] as? Int == stamp)
                #expect(document["ssls_conf_version"] as? Int == 0)
                let upstreams = try #require(document["upstreams"] as? [[String: Any]])
                #expect(
                    Set(upstreams[0].keys) == ["modifiedIndex", "id", "name", "labels", "type", "scheme", "nodes"]
                )
                #expect(upstreams[0]["modifiedIndex"] as? Int == stamp)
                #expect(Shapes.nodeKeys(upstreams[0]["nodes"]) == ["10.244.1.17:8080", "10.244.2.23:8080"])
                let services = try #require(document["services"] as? [[String: Any]])
                #expect(services[0]["upstream_id"] as? String == "3f9a5e49")
                let routes = try #require(document["routes"] as? [[String: Any]])
                #expect(routes[0]["service_id"] as? String == "3f9a5e49")
                #expect(routes[0]["key"] == nil && routes[0]["create_time"] == nil)

                let head = try await Shapes.send(client, fake.baseURL + Self.configs, head: true)
                #expect(head.status == 200)
                #expect(head.body.isEmpty)
                #expect(head.headers["x-digest"] == digest)
                #expect(head.headers["x-last-modified"] == String(lastModified))

                // A push that changes only the upstream's nodes: only its item and type get a new stamp.
                Self.push(fake, nodes: ["10.244.1.17:8080"])
                let second = try await Shapes.send(client, fake.baseURL + Self.configs)
                #expect(second.headers["x-digest"] != digest)
                let secondDocument = try second.jsonObject()
                let newStamp = try #require(secondDocument["upstreams_conf_version"] as? Int)
                #expect(newStamp > stamp)
                #expect(secondDocument["routes_conf_version"] as? Int == stamp)
                #expect((secondDocument["routes"] as? [[String: Any]])?.first?["modifiedIndex"] as? Int == stamp)

                // The same push again changes nothing (APISIX answers an unchanged digest with 204).
                let digestAfter = try #require(second.headers["x-digest"])
                Self.push(fake, nodes: ["10.244.1.17:8080"])
                let third = try await Shapes.send(client, fake.baseURL + Self.configs, head: true)
                #expect(third.headers["x-digest"] == digestAfter)
                #expect(fake.configurationVersion(of: "upstreams") == newStamp)
                #expect(fake.configurationDigest == digestAfter)

                #expect(fake.statistics.configGetRequests == 2)
                #expect(fake.statistics.configHeadRequests == 2)
            }
        }

        @Test func onlyConfigsExistsInStandaloneMode() async throws {
            let fake = Self.fake()
            Self.push(fake, nodes: ["10.0.0.1:80"])
            try await Shapes.withStarted(fake) { client in
                for path in ["/apisix/admin/upstreams", "/apisix/admin/upstreams/3f9a5e49", "/apisix/admin/routes"] {
                    let response = try await Shapes.send(client, fake.baseURL + path)
                    #expect(response.status == 404, "\(path)")
                    #expect(response.headers["content-type"] == "text/html", "\(path)")
                    #expect(response.text.contains("<title>404 Not Found</title>"), "\(path)")
                }
                let root = try await Shapes.send(client, fake.baseURL + "/apisix/admin", head: true)
                #expect(root.status == 200)
                let unauthorized = try await Shapes.send(client, fake.baseURL + Self.configs, key: nil)
                #expect(unauthorized.status == 401)
                #expect(fake.statistics.listRequests == 1)

                fake.replaceConfiguration(upstreams: [FakeUpstream(id: "only", nodes: .emptyArray)])
                let replaced = try await Shapes.send(client, fake.baseURL + Self.configs).jsonObject()
                #expect((replaced["upstreams"] as? [[String: Any]])?.map { $0["id"] as? String } == ["only"])
                #expect(replaced["routes"] == nil && replaced["services"] == nil)
            }
        }

        @Test func configsIsAnUnsupportedResourceInEtcdMode() async throws {
            let fake = FakeAPISIXAdmin(configuration: .init(apiKey: Shapes.key))
            try await Shapes.withStarted(fake) { client in
                let response = try await Shapes.send(client, fake.baseURL + Self.configs)
                #expect(response.status == 404)
                #expect(response.text == #"{"error_msg":"Unsupported resource type: configs"}"#)
                #expect(response.headers["content-type"] == "application/json")
                #expect(fake.statistics.configGetRequests == 1)
                // No etcd-mode admin route takes HEAD: nginx's 404.
                let head = try await Shapes.send(client, fake.baseURL + Self.configs, head: true)
                #expect(head.status == 404)
                #expect(head.headers["content-type"] == "text/html")
                #expect(fake.statistics.configHeadRequests == 1)
            }
        }
    }
}
