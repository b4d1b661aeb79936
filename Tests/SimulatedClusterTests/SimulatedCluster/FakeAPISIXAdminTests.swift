import AsyncHTTPClient
import Foundation
import NIOCore
import SimulatedCluster
import Testing

extension SimulatedClusterTests {
    @Suite struct FakeAPISIXAdminTests {
        static let key = "edd1c9f034335f136f87ad84b625c8f1"
        static let list = "/apisix/admin/upstreams"

        /// Starts a fake with an admin key, runs `body` with it and a client, and stops it.
        static func withFake(
            connectTimeout: TimeAmount = .seconds(5),
            _ body: (FakeAPISIXAdmin, HTTPClient) async throws -> Void
        ) async throws {
            let fake = FakeAPISIXAdmin(configuration: .init(apiKey: key))
            try await fake.start()
            do {
                try await withTestClient(connectTimeout: connectTimeout) { client in try await body(fake, client) }
            } catch {
                await fake.stop()
                throw error
            }
            await fake.stop()
        }

        static func get(_ client: HTTPClient, _ fake: FakeAPISIXAdmin, _ path: String) async throws -> FetchedResponse {
            try await fetch(client, fake.baseURL + path, headers: [("X-API-KEY", key)])
        }

        static func value(_ item: [String: Any]) throws -> [String: Any] {
            try #require(item["value"] as? [String: Any])
        }

        @Test func emptyListHasTheExactV3Shape() async throws {
            try await Self.withFake { fake, client in
                let response = try await Self.get(client, fake, Self.list)
                #expect(response.status == 200)
                #expect(response.text == #"{"list":[],"total":0}"#)
                #expect(response.headers["x-api-version"] == "v3")
                #expect(response.headers["content-type"] == "application/json")
                #expect(response.headers["server"] == "APISIX/3.13.0")
            }
        }

        @Test func listIsInKeyOrderWithIndexesAndEscapedSlashes() async throws {
            try await Self.withFake { fake, client in
                fake.putUpstream(FakeUpstream(id: "2", nodes: .hash(["10.244.3.5:9000": 1])))
                fake.putUpstream(FakeUpstream(id: "10", nodes: .array([.init(host: "10.244.1.17", port: 8080)])))
                fake.putUpstream(FakeUpstream(id: "1", nodes: .emptyArray))
                let response = try await Self.get(client, fake, Self.list)
                #expect(response.text.contains(#""key":"\/apisix\/upstreams\/1""#))
                let document = try response.jsonObject()
                #expect(document["total"] as? Int == 3)
                let items = try #require(document["list"] as? [[String: Any]])
                #expect(
                    items.map { $0["key"] as? String } == [
                        "/apisix/upstreams/1", "/apisix/upstreams/10",
                        "/apisix/upstreams/2",
                    ]
                )
                #expect(items.map { $0["createdIndex"] as? Int } == [4, 3, 2])
                #expect(items.map { $0["modifiedIndex"] as? Int } == [4, 3, 2])
                #expect(document["action"] == nil)
                #expect(document["node"] == nil)
            }
        }

        @Test func singleGetAndKeyNotFound() async throws {
            try await Self.withFake { fake, client in
                fake.putUpstream(
                    FakeUpstream(
                        id: "4405a246",
                        name: "apis_sa-front-service_80",
                        desc: "Created by apisix-ingress-controller, DO NOT modify it manually",
                        labels: ["managed-by": "apisix-ingress-controller"],
                        scheme: "http",
                        nodes: .array([.init(host: "10.0.0.1", port: 80)])
                    )
                )
                let response = try await Self.get(client, fake, Self.list + "/4405a246")
                #expect(response.status == 200)
                #expect(response.headers["x-api-version"] == "v3")
                let document = try response.jsonObject()
                #expect(Set(document.keys) == ["key", "value", "createdIndex", "modifiedIndex"])
                #expect(document["key"] as? String == "/apisix/upstreams/4405a246")
                let value = try Self.value(document)
                #expect(value["id"] as? String == "4405a246")
                #expect(value["name"] as? String == "apis_sa-front-service_80")
                #expect(value["type"] as? String == "roundrobin")
                #expect(value["scheme"] as? String == "http")
                #expect(value["labels"] as? [String: String] == ["managed-by": "apisix-ingress-controller"])
                #expect(value["create_time"] is Int)
                #expect(value["update_time"] is Int)

                let missing = try await Self.get(client, fake, Self.list + "/nope")
                #expect(missing.status == 404)
                #expect(missing.text == #"{"message":"Key not found"}"#)
                #expect(missing.headers["x-api-version"] == "v3")
                #expect(fake.statistics.singleRequests(id: "4405a246") == 1)
                #expect(fake.statistics.singleRequests(id: "nope") == 1)
            }
        }

        @Test func missingAndWrongKeysGet401() async throws {
            try await Self.withFake { fake, client in
                let missing = try await fetch(client, fake.baseURL + Self.list)
                #expect(missing.status == 401)
                #expect(missing.text == #"{"error_msg":"failed to check token","description":"missing apikey"}"#)
                let wrong = try await fetch(client, fake.baseURL + Self.list, headers: [("X-API-KEY", "nope")])
                #expect(wrong.status == 401)
                #expect(wrong.text == #"{"error_msg":"failed to check token","description":"wrong apikey"}"#)
                let viaQuery = try await fetch(client, fake.baseURL + Self.list + "?api_key=\(Self.key)")
                #expect(viaQuery.status == 200)
                #expect(fake.statistics.unauthorizedRequests == 2)
            }
            let legacy = FakeAPISIXAdmin(configuration: .init(apiKey: "k", unauthorizedBodyStyle: .legacy))
            try await legacy.start()
            let response = try await withTestClient { try await fetch($0, legacy.baseURL + Self.list) }
            #expect(response.text == #"{"error_msg":"failed to check token"}"#)
            await legacy.stop()
        }

        @Test func everyNodeShapeEncodesAsSpecified() async throws {
            try await Self.withFake { fake, client in
                fake.putUpstream(FakeUpstream(id: "hash", nodes: .hash(["10.0.0.1:80": 5, "[fd00::1]:81": 1])))
                fake.putUpstream(
                    FakeUpstream(
                        id: "array",
                        nodes: .array([
                            .init(host: "10.0.0.1", port: 80, weight: 100),
                            .init(host: "example.com", port: nil, weight: 1),
                        ])
                    )
                )
                fake.putUpstream(FakeUpstream(id: "empty-object", nodes: .emptyObject))
                fake.putUpstream(FakeUpstream(id: "empty-array", nodes: .emptyArray))
                fake.putUpstream(FakeUpstream(id: "null", nodes: .null))
                fake.putUpstream(FakeUpstream(id: "k8s", serviceName: "default/httpbin:http"))
                fake.putUpstream(FakeUpstream(id: 1, nodes: .hash(["10.0.0.9:80": 1])))

                let hash = try await Self.get(client, fake, Self.list + "/hash")
                #expect(hash.text.contains(#""nodes":{"10.0.0.1:80":5,"[fd00::1]:81":1}"#))
                let array = try await Self.get(client, fake, Self.list + "/array")
                #expect(
                    array.text.contains(
                        #""nodes":[{"host":"10.0.0.1","port":80,"weight":100,"priority":0},"#
                            + #"{"host":"example.com","weight":1,"priority":0}]"#
                    )
                )
                #expect(try await Self.get(client, fake, Self.list + "/empty-object").text.contains(#""nodes":{}"#))
                #expect(try await Self.get(client, fake, Self.list + "/empty-array").text.contains(#""nodes":[]"#))
                #expect(try await Self.get(client, fake, Self.list + "/null").text.contains(#""nodes":null"#))

                let discovery = try Self.value(try await Self.get(client, fake, Self.list + "/k8s").jsonObject())
                #expect(discovery["nodes"] == nil)
                #expect(discovery["service_name"] as? String == "default/httpbin:http")
                #expect(discovery["discovery_type"] as? String == "kubernetes")

                let numeric = try await Self.get(client, fake, Self.list + "/1")
                #expect(numeric.text.contains(#""id":1,"#))
                #expect(try numeric.jsonObject()["key"] as? String == "/apisix/upstreams/1")
            }
        }

        @Test func setNodesKeepsTheShapeAndBumpsModifiedIndex() async throws {
            try await Self.withFake { fake, client in
                fake.putUpstream(FakeUpstream(id: "h", nodes: .hash(["10.0.0.1:80": 1])))
                fake.putUpstream(FakeUpstream(id: "a", nodes: .array([.init(host: "10.0.0.1", port: 80)])))
                let nodes = [FakeUpstream.Node(host: "10.0.0.2", port: 80, weight: 7)]
                #expect(fake.setNodes(id: "h", nodes: nodes))
                #expect(fake.setNodes(id: "a", nodes: nodes))
                #expect(!fake.setNodes(id: "missing", nodes: nodes))

                let hash = try await Self.get(client, fake, Self.list + "/h").jsonObject()
                #expect(try Self.value(hash)["nodes"] as? [String: Int] == ["10.0.0.2:80": 7])
                #expect(hash["createdIndex"] as? Int == 2)
                #expect(hash["modifiedIndex"] as? Int == 4)
                let array = try Self.value(try await Self.get(client, fake, Self.list + "/a").jsonObject())
                let arrayNodes = try #require(array["nodes"] as? [[String: Any]])
                #expect(arrayNodes.first?["host"] as? String == "10.0.0.2")

                #expect(fake.setNodes(id: "h", nodes: [], shape: nil))
                #expect(try await Self.get(client, fake, Self.list + "/h").text.contains(#""nodes":{}"#))
                #expect(fake.setNodes(id: "h", nodes: nodes, shape: .array))
                #expect(try await Self.get(client, fake, Self.list + "/h").text.contains(#""nodes":[{"#))
                #expect(fake.setNodes(id: "a", nodes: .null))
                #expect(try await Self.get(client, fake, Self.list + "/a").text.contains(#""nodes":null"#))

                #expect(fake.deleteUpstream(id: "a"))
                #expect(try await Self.get(client, fake, Self.list + "/a").status == 404)
                #expect(try await Self.get(client, fake, Self.list).jsonObject()["total"] as? Int == 1)
            }
        }

        @Test func pagingAndFiltersFollowAPISIX() async throws {
            try await Self.withFake { fake, client in
                for index in 1...12 {
                    fake.putUpstream(
                        FakeUpstream(
                            id: .int(index),
                            name: "svc-\(index)",
                            labels: index.isMultiple(of: 3) ? ["managed-by": "x"] : [:],
                            nodes: .emptyArray
                        )
                    )
                }
                let page = try await Self.get(client, fake, Self.list + "?page=2&page_size=10").jsonObject()
                #expect(page["total"] as? Int == 12)
                #expect((page["list"] as? [[String: Any]])?.count == 2)
                let bad = try await Self.get(client, fake, Self.list + "?page=1&page_size=5")
                #expect(bad.status == 400)
                #expect(bad.text == "page_size must be between 10 and 500")
                let labelled = try await Self.get(client, fake, Self.list + "?label=managed-by").jsonObject()
                #expect(labelled["total"] as? Int == 4)
                let named = try await Self.get(client, fake, Self.list + "?name=svc-1").jsonObject()
                #expect(named["total"] as? Int == 4)
            }
        }

        // MARK: Faults

        @Test func statusHTMLAndTruncatedFaultsAreScoped() async throws {
            try await Self.withFake { fake, client in
                fake.putUpstream(FakeUpstream(id: "1", nodes: .hash(["10.0.0.1:80": 1])))

                try await fake.setFault(.status(503), scope: .list)
                let failed = try await Self.get(client, fake, Self.list)
                #expect(failed.status == 503)
                #expect(try failed.jsonObject()["error_msg"] is String)
                #expect(try await Self.get(client, fake, Self.list + "/1").status == 200)

                try await fake.setFault(.htmlErrorPage(502), scope: .single)
                let html = try await Self.get(client, fake, Self.list + "/1")
                #expect(html.status == 502)
                #expect(html.headers["content-type"] == "text/html")
                #expect(html.text.contains("<title>502 Bad Gateway</title>"))
                #expect(try await Self.get(client, fake, Self.list).status == 503)

                try await fake.setFault(.truncatedJSON)
                let truncated = try await Self.get(client, fake, Self.list)
                #expect(truncated.status == 200)
                #expect(throws: (any Error).self) { try truncated.jsonObject() }

                try await fake.setFault(.none)
                #expect(try await Self.get(client, fake, Self.list).jsonObject()["total"] as? Int == 1)
                #expect(fake.statistics.faultedRequests == 4)
            }
        }

        @Test func delayFaultAnswersSlowly() async throws {
            try await Self.withFake { fake, client in
                try await fake.setFault(.delay(.milliseconds(300)), scope: .list)
                let clock = ContinuousClock()
                let start = clock.now
                let response = try await Self.get(client, fake, Self.list)
                #expect(response.status == 200)
                #expect(clock.now - start >= .milliseconds(300))
            }
        }

        @Test func closedAndRefusedConnectionsFailAndRecoverOnTheSamePort() async throws {
            try await Self.withFake(connectTimeout: .milliseconds(200)) { fake, client in
                let port = fake.port
                try await fake.setFault(.closeConnection, scope: .single)
                await #expect(throws: (any Error).self) {
                    _ = try await Self.get(client, fake, Self.list + "/1")
                }
                #expect(try await Self.get(client, fake, Self.list).status == 200)

                try await fake.setFault(.refuseConnections)
                await #expect(throws: (any Error).self) {
                    _ = try await Self.get(client, fake, Self.list)
                }
                try await fake.setFault(.none)
                #expect(fake.port == port)
                #expect(try await Self.get(client, fake, Self.list).status == 200)
            }
        }

        @Test func waitForRequestsSynchronisesOnServedRequests() async throws {
            try await Self.withFake { fake, client in
                fake.putUpstream(FakeUpstream(id: "1", nodes: .emptyObject))
                async let poller: Void = {
                    for _ in 0..<3 {
                        _ = try await Self.get(client, fake, Self.list)
                    }
                    _ = try await Self.get(client, fake, Self.list + "/1")
                }()
                try await fake.waitForListRequests(atLeast: 3)
                try await fake.waitForSingleRequests(id: "1", atLeast: 1)
                try await poller
                #expect(fake.statistics.listRequests == 3)
                #expect(fake.statistics.totalSingleRequests == 1)
                await #expect(throws: SimulatedClusterError.self) {
                    try await fake.waitForListRequests(atLeast: 4, timeout: .milliseconds(50))
                }
            }
        }
    }
}
