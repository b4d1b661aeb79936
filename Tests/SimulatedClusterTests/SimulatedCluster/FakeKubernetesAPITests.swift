import AsyncHTTPClient
import Foundation
import SimulatedCluster
import TestSupport
import Testing

extension SimulatedClusterTests {
    @Suite struct FakeKubernetesAPITests {
        static let collection = "/apis/discovery.k8s.io/v1/endpointslices"

        static func slice(
            _ name: String,
            ips: [String],
            namespace: String = "default",
            service: String? = "web"
        )
            -> FakeEndpointSlice
        {
            FakeEndpointSlice(
                namespace: namespace,
                name: name,
                serviceName: service,
                endpoints: ips.map { FakeEndpoint.ready($0, podName: "pod-\($0)", nodeName: "node-1") },
                ports: [FakeEndpointPort(name: "http", port: 8080)]
            )
        }

        /// Starts a fake, runs `body` with it and a client, and stops it.
        static func withFake(
            _ configuration: FakeKubernetesAPI.Configuration = .init(),
            _ body: (FakeKubernetesAPI, HTTPClient) async throws -> Void
        ) async throws {
            let fake = FakeKubernetesAPI(configuration: configuration)
            try await fake.start()
            do {
                try await withTestClient { client in try await body(fake, client) }
            } catch {
                await fake.stop()
                throw error
            }
            await fake.stop()
        }

        // MARK: Encoding

        @Test func sliceEncodesAsARealEndpointSlice() async throws {
            try await Self.withFake { fake, client in
                fake.apply(
                    FakeEndpointSlice(
                        namespace: "shop",
                        name: "web-x7k2p",
                        serviceName: "web",
                        endpoints: [
                            FakeEndpoint(
                                addresses: ["10.0.0.1"],
                                ready: true,
                                serving: true,
                                terminating: false,
                                podName: "web-1",
                                nodeName: "node-a",
                                zone: "z1"
                            ),
                            FakeEndpoint(addresses: ["10.0.0.2"], ready: nil, serving: nil, terminating: nil),
                        ],
                        ports: [FakeEndpointPort(name: "", port: 80), FakeEndpointPort(name: nil, port: nil)],
                        annotations: ["endpoints.kubernetes.io/last-change-trigger-time": "2024-01-01T12:00:00Z"]
                    )
                )
                let path = "/apis/discovery.k8s.io/v1/namespaces/shop/endpointslices/web-x7k2p"
                let get = try await fetch(client, fake.baseURL + path)
                #expect(get.status == 200)
                #expect(get.headers["content-type"] == "application/json")
                let object = try get.jsonObject()
                #expect(object["kind"] as? String == "EndpointSlice")
                #expect(object["apiVersion"] as? String == "discovery.k8s.io/v1")
                #expect(object["addressType"] as? String == "IPv4")
                let metadata = try #require(object["metadata"] as? [String: Any])
                #expect(metadata["name"] as? String == "web-x7k2p")
                #expect(metadata["namespace"] as? String == "shop")
                #expect(metadata["resourceVersion"] as? String == String(fake.resourceVersion))
                #expect(metadata["generation"] as? Int == 1)
                #expect((metadata["uid"] as? String)?.count == 36)
                let created = try #require(metadata["creationTimestamp"] as? String)
                #expect(created.hasSuffix("Z") && created.count == 20)
                let labels = try #require(metadata["labels"] as? [String: String])
                #expect(labels["kubernetes.io/service-name"] == "web")
                #expect(labels["endpointslice.kubernetes.io/managed-by"] == "endpointslice-controller.k8s.io")
                let annotations = try #require(metadata["annotations"] as? [String: String])
                #expect(annotations["endpoints.kubernetes.io/last-change-trigger-time"] == "2024-01-01T12:00:00Z")

                let endpoints = try #require(object["endpoints"] as? [[String: Any]])
                #expect(endpoints.count == 2)
                #expect(endpoints[0]["addresses"] as? [String] == ["10.0.0.1"])
                let conditions = try #require(endpoints[0]["conditions"] as? [String: Bool])
                #expect(conditions == ["ready": true, "serving": true, "terminating": false])
                #expect(endpoints[0]["nodeName"] as? String == "node-a")
                #expect(endpoints[0]["zone"] as? String == "z1")
                let targetRef = try #require(endpoints[0]["targetRef"] as? [String: String])
                #expect(targetRef["kind"] == "Pod")
                #expect(targetRef["name"] == "web-1")
                #expect(targetRef["namespace"] == "shop")
                // Nil conditions are omitted, leaving an empty object, and optional fields are left out.
                #expect((endpoints[1]["conditions"] as? [String: Any])?.isEmpty == true)
                #expect(endpoints[1]["targetRef"] == nil)
                #expect(endpoints[1]["nodeName"] == nil)

                let ports = try #require(object["ports"] as? [[String: Any]])
                #expect(ports[0]["name"] as? String == "")
                #expect(ports[0]["port"] as? Int == 80)
                #expect(ports[0]["protocol"] as? String == "TCP")
                #expect(ports[1]["name"] == nil)
                #expect(ports[1]["port"] == nil)
            }
        }

        @Test func nilEndpointsAndPortsEncodeAsNullAndLabelsCanBeMissing() async throws {
            try await Self.withFake { fake, client in
                fake.apply(
                    FakeEndpointSlice(
                        namespace: "default",
                        name: "orphan",
                        serviceName: nil,
                        addressType: .ipv6,
                        endpoints: nil,
                        ports: nil,
                        managedBy: nil
                    )
                )
                let list = try await fetch(client, fake.baseURL + Self.collection)
                #expect(list.text.contains(#""endpoints":null"#))
                #expect(list.text.contains(#""ports":null"#))
                let object = try list.jsonObject()
                let item = try #require((object["items"] as? [[String: Any]])?.first)
                #expect(item["addressType"] as? String == "IPv6")
                #expect(item["endpoints"] is NSNull)
                // List items carry no kind/apiVersion, as in real list responses.
                #expect(item["kind"] == nil)
                let metadata = try #require(item["metadata"] as? [String: Any])
                #expect((metadata["labels"] as? [String: String])?.isEmpty == true)
                #expect(metadata["ownerReferences"] == nil)
            }
        }

        @Test func getOfAMissingSliceAndUnknownPathsReturnStatusObjects() async throws {
            try await Self.withFake(.init(servesWorkloads: false)) { fake, client in
                let missing = try await fetch(
                    client,
                    fake.baseURL + "/apis/discovery.k8s.io/v1/namespaces/default/endpointslices/nope"
                )
                #expect(missing.status == 404)
                let status = try missing.jsonObject()
                #expect(status["kind"] as? String == "Status")
                #expect(status["reason"] as? String == "NotFound")
                #expect(status["message"] as? String == #"endpointslices.discovery.k8s.io "nope" not found"#)
                #expect(status["code"] as? Int == 404)

                let unknown = try await fetch(client, fake.baseURL + "/api/v1/pods")
                #expect(unknown.status == 404)
                #expect(try unknown.jsonObject()["reason"] as? String == "NotFound")
            }
        }

        // MARK: Lists

        @Test func listPaginationSharesOneResourceVersionAcrossPages() async throws {
            try await Self.withFake { fake, client in
                for index in 1...5 {
                    fake.apply(Self.slice("web-\(index)", ips: ["10.0.0.\(index)"]))
                }
                let snapshotVersion = String(fake.resourceVersion)
                let first = try await fetch(client, fake.baseURL + Self.collection + "?limit=2")
                let firstList = try first.jsonObject()
                #expect(firstList["kind"] as? String == "EndpointSliceList")
                #expect(firstList["apiVersion"] as? String == "discovery.k8s.io/v1")
                let firstMeta = try #require(firstList["metadata"] as? [String: Any])
                #expect(firstMeta["resourceVersion"] as? String == snapshotVersion)
                #expect(firstMeta["remainingItemCount"] as? Int == 3)
                var token = try #require(firstMeta["continue"] as? String)
                var names = Self.names(firstList)
                #expect(names == ["web-1", "web-2"])

                // Writes between pages must not leak into the snapshot.
                fake.apply(Self.slice("web-3", ips: ["10.9.9.9"]))
                fake.apply(Self.slice("web-0", ips: ["10.9.9.8"]))
                fake.delete(namespace: "default", name: "web-5")

                var pages = 1
                while true {
                    let encoded = try #require(token.addingPercentEncoding(withAllowedCharacters: .alphanumerics))
                    let page = try await fetch(client, fake.baseURL + Self.collection + "?limit=2&continue=\(encoded)")
                    #expect(page.status == 200)
                    let list = try page.jsonObject()
                    let metadata = try #require(list["metadata"] as? [String: Any])
                    #expect(metadata["resourceVersion"] as? String == snapshotVersion)
                    names += Self.names(list)
                    if Self.names(list).contains("web-3") {
                        let items = try #require(list["items"] as? [[String: Any]])
                        let web3 = items.first { ($0["metadata"] as? [String: Any])?["name"] as? String == "web-3" }
                        let endpoints = web3?["endpoints"] as? [[String: Any]]
                        #expect(endpoints?.first?["addresses"] as? [String] == ["10.0.0.3"])
                    }
                    pages += 1
                    guard let next = metadata["continue"] as? String else { break }
                    token = next
                }
                #expect(pages == 3)
                #expect(names == ["web-1", "web-2", "web-3", "web-4", "web-5"])
                #expect(fake.statistics.listRequests == 3)
                #expect(fake.statistics.lastListQuery?["limit"] == "2")
            }
        }

        @Test func expiredContinueIs410AndGarbageContinueIs400() async throws {
            try await Self.withFake { fake, client in
                for index in 1...3 {
                    fake.apply(Self.slice("web-\(index)", ips: ["10.0.0.\(index)"]))
                }
                let first = try await fetch(client, fake.baseURL + Self.collection + "?limit=1")
                let token = try #require((try first.jsonObject()["metadata"] as? [String: Any])?["continue"] as? String)
                fake.apply(Self.slice("web-1", ips: ["10.0.0.9"]))
                fake.compactHistory()

                let expired = try await fetch(client, fake.baseURL + Self.collection + "?limit=1&continue=\(token)")
                #expect(expired.status == 410)
                let status = try expired.jsonObject()
                #expect(status["kind"] as? String == "Status")
                #expect(status["status"] as? String == "Failure")
                #expect(status["reason"] as? String == "Expired")
                #expect(status["code"] as? Int == 410)
                let inconsistent = try #require((status["metadata"] as? [String: Any])?["continue"] as? String)
                let resumed = try await fetch(client, fake.baseURL + Self.collection + "?continue=\(inconsistent)")
                #expect(resumed.status == 200)
                #expect(Self.names(try resumed.jsonObject()) == ["web-2", "web-3"])

                let garbage = try await fetch(client, fake.baseURL + Self.collection + "?limit=1&continue=garbage")
                #expect(garbage.status == 400)
                let badRequest = try garbage.jsonObject()
                #expect(badRequest["reason"] as? String == "BadRequest")
                #expect((badRequest["message"] as? String)?.hasPrefix("invalid continue token") == true)
            }
        }

        @Test func listsHonourNamespacesAndLabelSelectors() async throws {
            try await Self.withFake { fake, client in
                fake.apply(Self.slice("web-a", ips: ["10.0.0.1"], namespace: "a", service: "web"))
                fake.apply(Self.slice("api-a", ips: ["10.0.0.2"], namespace: "a", service: "api"))
                fake.apply(Self.slice("web-b", ips: ["10.0.0.3"], namespace: "b", service: "web"))
                let namespacedPath = "/apis/discovery.k8s.io/v1/namespaces/a/endpointslices"
                let namespaced = try await fetch(client, fake.baseURL + namespacedPath)
                #expect(Self.names(try namespaced.jsonObject()) == ["api-a", "web-a"])
                let selector = "kubernetes.io%2Fservice-name%3Dweb"
                let selected = try await fetch(client, fake.baseURL + Self.collection + "?labelSelector=\(selector)")
                #expect(Self.names(try selected.jsonObject()) == ["web-a", "web-b"])
                let setBased = "kubernetes.io%2Fservice-name%20in%20(api,nothing)"
                let inSet = try await fetch(client, fake.baseURL + Self.collection + "?labelSelector=\(setBased)")
                #expect(Self.names(try inSet.jsonObject()) == ["api-a"])
                let invalid = try await fetch(client, fake.baseURL + Self.collection + "?labelSelector=a%20%3E%201")
                #expect(invalid.status == 400)
            }
        }

        @Test func serverSidePageCapForcesPagination() async throws {
            try await Self.withFake(.init(maxPageSize: 2)) { fake, client in
                for index in 1...3 {
                    fake.apply(Self.slice("web-\(index)", ips: ["10.0.0.\(index)"]))
                }
                let first = try await fetch(client, fake.baseURL + Self.collection)
                let list = try first.jsonObject()
                #expect(Self.names(list).count == 2)
                #expect((list["metadata"] as? [String: Any])?["continue"] is String)
            }
        }

        // MARK: Watches

        @Test func watchReplaysFromAResourceVersionThenStreamsLive() async throws {
            try await Self.withFake { fake, client in
                let start = fake.apply(Self.slice("web-1", ips: ["10.0.0.1"]))
                fake.apply(Self.slice("web-2", ips: ["10.0.0.2"]))
                fake.apply(Self.slice("web-1", ips: ["10.0.0.1", "10.0.0.3"]))

                let url = fake.baseURL + Self.collection + "?watch=1&resourceVersion=\(start)"
                let response = try await openStream(client, url)
                #expect(response.status.code == 200)
                let headers = headerMap(response)
                #expect(headers["content-type"] == "application/json")
                #expect(headers["content-length"] == nil)
                #expect(headers["transfer-encoding"] == "chunked")
                var reader = LineReader(response)

                let added = try #require(try await reader.nextEvent())
                #expect(added.type == "ADDED")
                #expect(added.name == "web-2")
                #expect(added.object["kind"] as? String == "EndpointSlice")
                #expect(added.object["apiVersion"] as? String == "discovery.k8s.io/v1")
                let modified = try #require(try await reader.nextEvent())
                #expect(modified.type == "MODIFIED")
                #expect(modified.name == "web-1")
                #expect(modified.metadata["generation"] as? Int == 2)
                #expect(modified.resourceVersion == String(start + 2))

                try await fake.waitForOpenWatches(count: 1)
                let deletedVersion = try #require(fake.delete(namespace: "default", name: "web-2"))
                let deleted = try #require(try await reader.nextEvent())
                #expect(deleted.type == "DELETED")
                #expect(deleted.name == "web-2")
                #expect(deleted.resourceVersion == String(deletedVersion))
                #expect((deleted.object["endpoints"] as? [[String: Any]])?.count == 1)
                #expect(fake.statistics.lastWatchQuery?["resourceVersion"] == String(start))
                #expect(fake.statistics.watchRequests == 1)
            }
        }

        @Test func watchWithoutResourceVersionStartsWithSyntheticAdds() async throws {
            try await Self.withFake { fake, client in
                fake.apply(Self.slice("web-1", ips: ["10.0.0.1"]))
                fake.apply(Self.slice("web-2", ips: ["10.0.0.2"], namespace: "other"))
                let url = fake.baseURL + "/apis/discovery.k8s.io/v1/namespaces/default/endpointslices?watch=true"
                var reader = LineReader(try await openStream(client, url))
                let first = try #require(try await reader.nextEvent())
                #expect(first.type == "ADDED")
                #expect(first.name == "web-1")
                try await fake.waitForOpenWatches(count: 1)
                fake.apply(Self.slice("web-3", ips: ["10.0.0.3"], namespace: "other"))
                fake.apply(Self.slice("web-4", ips: ["10.0.0.4"]))
                let live = try #require(try await reader.nextEvent())
                #expect(live.name == "web-4")
            }
        }

        @Test func bookmarksArriveAndTheWatchEndsCleanlyAtItsTimeout() async throws {
            let configuration = FakeKubernetesAPI.Configuration(
                bookmarkInterval: .milliseconds(50),
                maxWatchTimeout: .milliseconds(400)
            )
            try await Self.withFake(configuration) { fake, client in
                let version = fake.apply(Self.slice("web-1", ips: ["10.0.0.1"]))
                let url =
                    fake.baseURL + Self.collection
                    + "?watch=1&resourceVersion=\(version)&allowWatchBookmarks=true&timeoutSeconds=300"
                var reader = LineReader(try await openStream(client, url))
                let bookmark = try #require(try await reader.nextEvent())
                #expect(bookmark.type == "BOOKMARK")
                #expect(
                    bookmark.line == #"{"type":"BOOKMARK","object":{"kind":"EndpointSlice","#
                        + #""apiVersion":"discovery.k8s.io/v1","metadata":{"resourceVersion":"\#(version)"}}}"#
                )
                #expect(fake.statistics.lastWatchQuery?["allowWatchBookmarks"] == "true")
                #expect(fake.statistics.lastWatchQuery?["timeoutSeconds"] == "300")

                // The capped timeout ends the stream with the terminating chunk: reading to the end does not throw.
                var lines = 1
                while let event = try await reader.nextEvent() {
                    #expect(event.type == "BOOKMARK")
                    lines += 1
                }
                #expect(lines >= 2)
                #expect(reader.leftover.isEmpty)
                try await fake.waitForNoOpenWatches()
            }
        }

        @Test func watchFromACompactedResourceVersionGetsTheExact410ErrorLine() async throws {
            try await Self.withFake { fake, client in
                fake.apply(Self.slice("web-1", ips: ["10.0.0.1"]))
                fake.apply(Self.slice("web-1", ips: ["10.0.0.2"]))
                fake.compactHistory()
                let compacted = fake.compactedResourceVersion
                let url = fake.baseURL + Self.collection + "?watch=1&resourceVersion=1001"
                let response = try await openStream(client, url)
                #expect(response.status.code == 200)
                var reader = LineReader(response)
                let line = try #require(try await reader.next())
                #expect(
                    line == #"{"type":"ERROR","object":{"kind":"Status","apiVersion":"v1","metadata":{},"#
                        + #""status":"Failure","message":"too old resource version: 1001 (\#(compacted))","#
                        + #""reason":"Expired","code":410}}"#
                )
                #expect(try await reader.next() == nil)
            }
        }

        @Test func injectedWatchErrorEndsOpenWatches() async throws {
            try await Self.withFake { fake, client in
                let version = fake.apply(Self.slice("web-1", ips: ["10.0.0.1"]))
                var reader = LineReader(
                    try await openStream(
                        client,
                        fake.baseURL + Self.collection + "?watch=1&resourceVersion=\(version)"
                    )
                )
                try await fake.waitForOpenWatches(count: 1)
                fake.injectWatchError410()
                let error = try #require(try await reader.nextEvent())
                #expect(error.type == "ERROR")
                #expect(error.object["code"] as? Int == 410)
                #expect(error.object["reason"] as? String == "Expired")
                #expect(try await reader.next() == nil)
            }
        }

        @Test func cutWatchesAbortsTheStreamWithoutTheTerminatingChunk() async throws {
            try await Self.withFake { fake, client in
                let version = fake.apply(Self.slice("web-1", ips: ["10.0.0.1"]))
                var reader = LineReader(
                    try await openStream(
                        client,
                        fake.baseURL + Self.collection + "?watch=1&resourceVersion=\(version)"
                    )
                )
                try await fake.waitForOpenWatches(count: 1)
                fake.apply(Self.slice("web-2", ips: ["10.0.0.2"]))
                #expect(try await reader.nextEvent()?.name == "web-2")
                fake.cutWatches()
                await #expect(throws: (any Error).self) {
                    while try await reader.next() != nil {}
                }
                try await fake.waitForNoOpenWatches()
            }
        }

        @Test func eventsSplitAcrossChunksReassembleIntoValidLines() async throws {
            try await Self.withFake(.init(splitEventsAcrossChunks: true)) { fake, client in
                let version = fake.resourceVersion
                for index in 1...20 {
                    fake.apply(Self.slice("web-\(index)", ips: ["10.0.0.\(index)"]))
                }
                var reader = LineReader(
                    try await openStream(
                        client,
                        fake.baseURL + Self.collection + "?watch=1&resourceVersion=\(version)"
                    )
                )
                for index in 1...20 {
                    let event = try #require(try await reader.nextEvent())
                    #expect(event.type == "ADDED")
                    #expect(event.name == "web-\(index)")
                }
                #expect(reader.partsReceived > 20)
            }
        }

        @Test func sendInitialEventsEndsWithAnAnnotatedBookmark() async throws {
            try await Self.withFake { fake, client in
                fake.apply(Self.slice("web-1", ips: ["10.0.0.1"]))
                let version = fake.apply(Self.slice("web-2", ips: ["10.0.0.2"]))
                let url =
                    fake.baseURL + Self.collection + "?watch=1&sendInitialEvents=true&allowWatchBookmarks=true"
                    + "&resourceVersion=&resourceVersionMatch=NotOlderThan"
                var reader = LineReader(try await openStream(client, url))
                #expect(try await reader.nextEvent()?.name == "web-1")
                #expect(try await reader.nextEvent()?.name == "web-2")
                let bookmark = try #require(try await reader.nextEvent())
                #expect(bookmark.type == "BOOKMARK")
                #expect(bookmark.resourceVersion == String(version))
                let annotations = bookmark.metadata["annotations"] as? [String: String]
                #expect(annotations == ["k8s.io/initial-events-end": "true"])

                fake.watchListEnabled = false
                let rejected = try await fetch(client, url)
                #expect(rejected.status == 422)
                #expect(try rejected.jsonObject()["reason"] as? String == "Invalid")
            }
        }

        // MARK: Auth and failures

        @Test func bearerTokenIsRequiredAndCanRotate() async throws {
            try await Self.withFake(.init(requiredBearerToken: "token-1")) { fake, client in
                let missing = try await fetch(client, fake.baseURL + Self.collection)
                #expect(missing.status == 401)
                #expect(
                    missing.text == #"{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","#
                        + #""message":"Unauthorized","reason":"Unauthorized","code":401}"#
                )
                let url = fake.baseURL + Self.collection
                let wrong = try await fetch(client, url, headers: [("Authorization", "Bearer nope")])
                #expect(wrong.status == 401)
                let right = try await fetch(client, url, headers: [("Authorization", "Bearer token-1")])
                #expect(right.status == 200)

                fake.requiredBearerToken = "token-2"
                let stale = try await fetch(client, url, headers: [("Authorization", "Bearer token-1")])
                #expect(stale.status == 401)
                #expect(fake.statistics.unauthorizedRequests == 3)
                #expect(fake.statistics.listRequests == 1)
            }
        }

        @Test func failNextAnswersWithStatusAndRetryAfter() async throws {
            try await Self.withFake { fake, client in
                fake.failNext(requests: 2, status: 429, retryAfterSeconds: 3)
                let first = try await fetch(client, fake.baseURL + Self.collection)
                #expect(first.status == 429)
                #expect(first.headers["retry-after"] == "3")
                let status = try first.jsonObject()
                #expect(status["reason"] as? String == "TooManyRequests")
                #expect(status["code"] as? Int == 429)
                #expect((status["details"] as? [String: Any])?["retryAfterSeconds"] as? Int == 3)
                let second = try await fetch(client, fake.baseURL + Self.collection + "?watch=1")
                #expect(second.status == 429)
                let third = try await fetch(client, fake.baseURL + Self.collection)
                #expect(third.status == 200)

                fake.failNext(requests: 1, status: 503)
                let unavailable = try await fetch(client, fake.baseURL + Self.collection)
                #expect(unavailable.status == 503)
                #expect(unavailable.headers["retry-after"] == nil)
                #expect(try unavailable.jsonObject()["reason"] as? String == "ServiceUnavailable")
                #expect(fake.statistics.injectedFailures == 3)
            }
        }

        @Test func stopEndsOpenWatchesAndTheFakeCanStartAgain() async throws {
            let fake = FakeKubernetesAPI()
            try await fake.start()
            try await withTestClient { client in
                var reader = LineReader(try await openStream(client, fake.baseURL + Self.collection + "?watch=1"))
                try await fake.waitForOpenWatches(count: 1)
                await fake.stop()
                #expect(try await reader.next() == nil)
                #expect(fake.port == 0)
                try await fake.start()
                let list = try await fetch(client, fake.baseURL + Self.collection)
                #expect(list.status == 200)
            }
            await fake.stop()
        }

        static func names(_ list: [String: Any]) -> [String] {
            let items = list["items"] as? [[String: Any]] ?? []
            return items.compactMap { ($0["metadata"] as? [String: Any])?["name"] as? String }
        }
    }
}
