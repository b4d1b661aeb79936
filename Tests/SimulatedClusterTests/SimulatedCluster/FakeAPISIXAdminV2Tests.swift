import AsyncHTTPClient
import Foundation
import SimulatedCluster
import Testing

extension SimulatedClusterTests {
    /// The v2 envelope of APISIX 2.x and of 3.x with `admin_api_version: v2` (reference §1.5, fixtures
    /// `admin-v2-*.json`), and the Admin API on the proxy port.
    @Suite struct FakeAPISIXAdminV2Tests {
        typealias Shapes = APISIXShapes
        static let list = "/apisix/admin/upstreams"

        static func fake(
            _ version: FakeAPISIXAdmin.AdminAPIVersion,
            _ configure: (inout FakeAPISIXAdmin.Configuration) -> Void = { _ in }
        ) -> FakeAPISIXAdmin {
            var configuration = FakeAPISIXAdmin.Configuration(apiKey: Shapes.key, adminAPIVersion: version)
            configure(&configuration)
            return FakeAPISIXAdmin(configuration: configuration)
        }

        @Test func listAndSingleUseTheV2Envelope() async throws {
            let fake = Self.fake(.v2)
            // admin-v2-upstream-list.reconstructed.json: one array-node and one hash-node upstream.
            fake.putUpstream(FakeUpstream(id: "1", nodes: .array([.init(host: "10.244.1.17", port: 8080)])))
            fake.putUpstream(FakeUpstream(id: "2", nodes: .hash(["10.244.3.5:9000": 1])))
            try await Shapes.withStarted(fake) { client in
                let list = try await Shapes.send(client, fake.baseURL + Self.list)
                #expect(list.status == 200)
                #expect(list.headers["x-api-version"] == "v2")
                #expect(
                    list.text.hasPrefix(#"{"action":"get","count":2,"node":{"dir":true,"key":"\/apisix\/upstreams","#)
                )
                let document = try list.jsonObject()
                #expect(Set(document.keys) == ["action", "count", "node"])
                #expect(document["action"] as? String == "get")
                #expect(document["count"] as? Int == 2)
                let node = try #require(document["node"] as? [String: Any])
                #expect(Set(node.keys) == ["dir", "key", "nodes"])
                #expect(node["dir"] as? Bool == true)
                #expect(node["key"] as? String == "/apisix/upstreams")
                let items = try #require(node["nodes"] as? [[String: Any]])
                #expect(
                    items.map { Set($0.keys) }
                        == Array(repeating: ["key", "value", "createdIndex", "modifiedIndex"], count: 2)
                )
                #expect(items.map { $0["key"] as? String } == ["/apisix/upstreams/1", "/apisix/upstreams/2"])
                #expect(Shapes.value(items[1])["nodes"] as? [String: Int] == ["10.244.3.5:9000": 1])

                // admin-v2-upstream-get.2.15-test-normalized.json (+ the `count` the test strips): no indexes.
                let single = try await Shapes.send(client, fake.baseURL + Self.list + "/2")
                #expect(single.status == 200)
                let singleDocument = try single.jsonObject()
                #expect(Set(singleDocument.keys) == ["action", "count", "node"])
                #expect(singleDocument["count"] as? Int == 1)
                let singleNode = try #require(singleDocument["node"] as? [String: Any])
                #expect(Set(singleNode.keys) == ["key", "value"])
                #expect(singleNode["key"] as? String == "/apisix/upstreams/2")
                #expect(Shapes.value(singleNode)["id"] as? String == "2")

                // Same 404 as v3, without `action`.
                let missing = try await Shapes.send(client, fake.baseURL + Self.list + "/nope")
                #expect(missing.status == 404)
                #expect(missing.text == #"{"message":"Key not found"}"#)

                // No paging in v2: a page size APISIX 3 rejects is ignored.
                let paged = try await Shapes.send(client, fake.baseURL + Self.list + "?page=1&page_size=5")
                #expect(paged.status == 200)
                #expect(try paged.jsonObject()["count"] as? Int == 2)

                // Other known resource types answer an empty v2 directory.
                let consumers = try await Shapes.send(client, fake.baseURL + "/apisix/admin/consumers").jsonObject()
                #expect((consumers["node"] as? [String: Any])?["key"] as? String == "/apisix/consumers")
            }
        }

        @Test func emptyV2ListsInBothEncodings() async throws {
            let modern = Self.fake(.apisix2)
            try await Shapes.withStarted(modern) { client in
                // admin-v2-upstream-list-empty.json (APISIX 2.15).
                let response = try await Shapes.send(client, modern.baseURL + Self.list)
                let document = try response.jsonObject()
                #expect(document["count"] as? Int == 0)
                let node = try #require(document["node"] as? [String: Any])
                #expect((node["nodes"] as? [Any])?.isEmpty == true)
                #expect(response.text.hasSuffix(#""nodes":[]}}"#))
            }
            let legacy = Self.fake(.apisix2) { $0.emptyV2ListEncoding = .object }
            try await Shapes.withStarted(legacy) { client in
                let response = try await Shapes.send(client, legacy.baseURL + Self.list)
                #expect(response.text.hasSuffix(#""nodes":{}}}"#))
            }
        }

        @Test func apisix2xHasNoVersionHeaderAndItsOwnErrors() async throws {
            let fake = Self.fake(.apisix2) {
                $0.unauthorizedBodyStyle = .legacy
                $0.serverHeader = "APISIX/2.15.0"
            }
            fake.putUpstream(FakeUpstream(id: "1", nodes: .hash(["127.0.0.1:8080": 1])))
            try await Shapes.withStarted(fake) { client in
                let list = try await Shapes.send(client, fake.baseURL + Self.list)
                #expect(list.status == 200)
                #expect(list.headers["x-api-version"] == nil)
                #expect(list.headers["server"] == "APISIX/2.15.0")
                let configs = try await Shapes.send(client, fake.baseURL + "/apisix/admin/configs")
                #expect(configs.status == 404)
                #expect(configs.text == #"{"error_msg":"not found"}"#)
                let unauthorized = try await Shapes.send(client, fake.baseURL + Self.list, key: nil)
                #expect(unauthorized.status == 401)
                #expect(unauthorized.text == #"{"error_msg":"failed to check token"}"#)
            }
        }

        @Test func theProxyPortServesTheAdminAPITooAndRoutesElsewhere() async throws {
            let fake = Self.fake(.apisix2) { $0.proxyPort = 0 }
            fake.putUpstream(FakeUpstream(id: "1", nodes: .hash(["127.0.0.1:8080": 1])))
            try await Shapes.withStarted(fake, connectTimeout: .milliseconds(200)) { client in
                let proxyURL = try #require(fake.proxyBaseURL)
                #expect(fake.proxyPort > 0 && fake.proxyPort != fake.port)
                let viaAdmin = try await Shapes.send(client, fake.baseURL + Self.list)
                let viaProxy = try await Shapes.send(client, proxyURL + Self.list)
                #expect(viaProxy.status == 200)
                #expect(viaProxy.text == viaAdmin.text)
                let proxied = try await Shapes.send(client, proxyURL + "/checkout/cart")
                #expect(proxied.status == 404)
                #expect(proxied.text == #"{"error_msg":"404 Route Not Found"}"#)
                #expect(fake.statistics.proxyPortRequests == 2)
                #expect(fake.statistics.listRequests == 2)

                try await fake.setFault(.refuseConnections)
                await #expect(throws: (any Error).self) {
                    _ = try await Shapes.send(client, proxyURL + Self.list)
                }
                try await fake.setFault(.none)
                #expect(try await Shapes.send(client, proxyURL + Self.list).status == 200)
            }
            #expect(Self.fake(.v3).proxyBaseURL == nil)
        }
    }
}
