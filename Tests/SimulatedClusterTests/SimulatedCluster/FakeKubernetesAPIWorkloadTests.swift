import AsyncHTTPClient
import Foundation
import SimulatedCluster
import Testing

extension SimulatedClusterTests {
    /// Pods and ReplicaSets in the fake Kubernetes API: wire format, lists, watches, discovery and tables.
    @Suite struct FakeKubernetesAPIWorkloadTests {
        static let container = FakeContainer(
            name: "app",
            image: "nginx:1.27",
            ports: [FakeContainer.Port(containerPort: 8080, name: "http")],
            env: [FakeContainer.EnvironmentVariable(name: "DB_PASSWORD", value: "demo-s3cr3t")],
            preStop: .sleep(seconds: 5)
        )

        static func pod(_ name: String, namespace: String = "shop", ip: String = "10.0.0.1") -> FakePod {
            FakePod(
                namespace: namespace,
                name: name,
                uid: "uid-\(name)",
                labels: ["app": "web", "pod-template-hash": "7d9f8"],
                owner: FakeOwnerReference(kind: "ReplicaSet", name: "web-7d9f8", uid: "uid-rs"),
                containers: [container],
                terminationGracePeriodSeconds: 30,
                nodeName: "node-a",
                podIP: ip
            )
        }

        static func replicaSet(_ name: String = "web-7d9f8", namespace: String = "shop") -> FakeReplicaSet {
            FakeReplicaSet(
                namespace: namespace,
                name: name,
                uid: "uid-\(name)",
                labels: ["app": "web", "pod-template-hash": "7d9f8"],
                owner: FakeOwnerReference(kind: "Deployment", name: "web", uid: "uid-deployment"),
                replicas: 3,
                readyReplicas: 2,
                containers: [container]
            )
        }

        static func withFake(
            _ configuration: FakeKubernetesAPI.Configuration = .init(),
            _ body: (FakeKubernetesAPI, HTTPClient) async throws -> Void
        ) async throws {
            try await FakeKubernetesAPITests.withFake(configuration, body)
        }

        @Test func podEncodesAsARealPod() async throws {
            try await Self.withFake { fake, client in
                var pod = Self.pod("web-7d9f8-abcde")
                pod.deletionTimestamp = "2026-01-02T03:04:35Z"
                pod.deletionGracePeriodSeconds = 30
                let version = fake.apply(pod)
                let response = try await fetch(client, fake.baseURL + "/api/v1/namespaces/shop/pods/web-7d9f8-abcde")
                #expect(response.status == 200)
                let object = try response.jsonObject()
                #expect(object["kind"] as? String == "Pod")
                #expect(object["apiVersion"] as? String == "v1")
                let metadata = try #require(object["metadata"] as? [String: Any])
                #expect(metadata["uid"] as? String == "uid-web-7d9f8-abcde")
                #expect(metadata["resourceVersion"] as? String == String(version))
                #expect(metadata["generateName"] as? String == "web-7d9f8-")
                #expect(metadata["deletionTimestamp"] as? String == "2026-01-02T03:04:35Z")
                #expect(metadata["deletionGracePeriodSeconds"] as? Int == 30)
                #expect(metadata["creationTimestamp"] is String)
                let owner = try #require((metadata["ownerReferences"] as? [[String: Any]])?.first)
                #expect(owner["apiVersion"] as? String == "apps/v1")
                #expect(owner["kind"] as? String == "ReplicaSet")
                #expect(owner["name"] as? String == "web-7d9f8")
                #expect(owner["uid"] as? String == "uid-rs")
                #expect(owner["controller"] as? Bool == true)
                #expect(owner["blockOwnerDeletion"] as? Bool == true)
                let spec = try #require(object["spec"] as? [String: Any])
                #expect(spec["terminationGracePeriodSeconds"] as? Int == 30)
                #expect(spec["nodeName"] as? String == "node-a")
                let container = try #require((spec["containers"] as? [[String: Any]])?.first)
                #expect(container["image"] as? String == "nginx:1.27")
                let port = try #require((container["ports"] as? [[String: Any]])?.first)
                #expect(port["containerPort"] as? Int == 8080)
                #expect(port["name"] as? String == "http")
                #expect(port["protocol"] as? String == "TCP")
                let env = try #require((container["env"] as? [[String: Any]])?.first)
                #expect(env["name"] as? String == "DB_PASSWORD")
                #expect(env["value"] as? String == "demo-s3cr3t")
                let lifecycle = try #require(container["lifecycle"] as? [String: Any])
                let preStop = try #require(lifecycle["preStop"] as? [String: Any])
                #expect((preStop["sleep"] as? [String: Any])?["seconds"] as? Int == 5)
                let status = try #require(object["status"] as? [String: Any])
                #expect(status["phase"] as? String == "Running")
                #expect(status["podIP"] as? String == "10.0.0.1")
                #expect((status["podIPs"] as? [[String: Any]])?.first?["ip"] as? String == "10.0.0.1")
                let conditions = try #require(status["conditions"] as? [[String: Any]])
                #expect(conditions.contains { $0["type"] as? String == "Ready" && $0["status"] as? String == "True" })

                let missing = try await fetch(client, fake.baseURL + "/api/v1/namespaces/shop/pods/nope")
                #expect(missing.status == 404)
                #expect(try missing.jsonObject()["message"] as? String == "pods \"nope\" not found")
            }
        }

        @Test func preStopHandlersEncodeInTheirThreeForms() async throws {
            try await Self.withFake { fake, client in
                let handlers: [FakePreStop] = [
                    .exec(command: ["/bin/sh", "-c", "sleep 5 && nginx -s quit"]),
                    .httpGet(path: "/shutdown", port: 8080),
                ]
                for (index, handler) in handlers.enumerated() {
                    var pod = Self.pod("p-\(index)")
                    pod.containers[0].preStop = handler
                    fake.apply(pod)
                }
                var bare = Self.pod("p-2")
                bare.containers[0].preStop = nil
                fake.apply(bare)
                let list = try await fetch(client, fake.baseURL + "/api/v1/namespaces/shop/pods").jsonObject()
                let items = try #require(list["items"] as? [[String: Any]])
                func lifecycle(_ item: [String: Any]) -> [String: Any]? {
                    let containers = (item["spec"] as? [String: Any])?["containers"] as? [[String: Any]]
                    return containers?.first?["lifecycle"] as? [String: Any]
                }
                let exec = (lifecycle(items[0])?["preStop"] as? [String: Any])?["exec"] as? [String: Any]
                #expect(exec?["command"] as? [String] == ["/bin/sh", "-c", "sleep 5 && nginx -s quit"])
                let get = (lifecycle(items[1])?["preStop"] as? [String: Any])?["httpGet"] as? [String: Any]
                #expect(get?["path"] as? String == "/shutdown")
                #expect(get?["port"] as? Int == 8080)
                #expect(lifecycle(items[2]) == nil)
                #expect(FakePreStop.exec(command: ["/bin/sh", "-c", "sleep 5 && nginx -s quit"]).declaredSeconds == 5)
                #expect(FakePreStop.httpGet(path: "/", port: 80).declaredSeconds == nil)
            }
        }

        @Test func podListsPageWithContinueTokensOnOneSnapshot() async throws {
            try await Self.withFake { fake, client in
                fake.apply(FakeKubernetesAPITests.slice("web-abcde", ips: ["10.0.0.1"], namespace: "shop"))
                for index in 0..<25 {
                    fake.apply(Self.pod(String(format: "web-%02d", index), namespace: index < 20 ? "shop" : "other"))
                }
                let base = fake.baseURL + "/api/v1/pods?limit=10"
                let first = try await fetch(client, base).jsonObject()
                #expect(first["kind"] as? String == "PodList")
                #expect(first["apiVersion"] as? String == "v1")
                let firstMetadata = try #require(first["metadata"] as? [String: Any])
                let token = try #require(firstMetadata["continue"] as? String)
                #expect(firstMetadata["remainingItemCount"] as? Int == 15)
                let snapshot = try #require(firstMetadata["resourceVersion"] as? String)
                func names(_ list: [String: Any]) -> [String] {
                    ((list["items"] as? [[String: Any]]) ?? []).compactMap {
                        ($0["metadata"] as? [String: Any])?["name"] as? String
                    }
                }
                // "other/..." sorts before "shop/...".
                #expect(
                    names(first) == ["web-20", "web-21", "web-22", "web-23", "web-24"] + (0..<5).map { "web-0\($0)" }
                )
                // Changes after the first page do not show in the later pages of the same list.
                fake.deletePod(namespace: "shop", name: "web-12")
                fake.apply(Self.pod("web-121"))
                let escaped = try #require(token.addingPercentEncoding(withAllowedCharacters: .alphanumerics))
                let second = try await fetch(client, base + "&continue=\(escaped)").jsonObject()
                #expect(
                    names(second) == [
                        "web-05", "web-06", "web-07", "web-08", "web-09", "web-10", "web-11", "web-12", "web-13",
                        "web-14",
                    ]
                )
                let secondMetadata = try #require(second["metadata"] as? [String: Any])
                #expect(secondMetadata["resourceVersion"] as? String == snapshot)
                #expect(secondMetadata["remainingItemCount"] as? Int == 5)
                let next = try #require(secondMetadata["continue"] as? String)
                let third = try await fetch(
                    client,
                    base + "&continue=\(next.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")"
                ).jsonObject()
                #expect(names(third) == (15..<20).map { "web-\($0)" })
                #expect((third["metadata"] as? [String: Any])?["continue"] == nil)

                let namespaced = try await fetch(client, fake.baseURL + "/api/v1/namespaces/other/pods").jsonObject()
                #expect(names(namespaced) == (20..<25).map { "web-\($0)" })
                let fresh = try await fetch(client, fake.baseURL + "/api/v1/namespaces/shop/pods?limit=100")
                    .jsonObject()
                #expect(names(fresh).contains("web-121"))
                #expect(!names(fresh).contains("web-12"))
            }
        }

        @Test func podWatchStreamsAddedModifiedDeletedAndPodBookmarks() async throws {
            try await Self.withFake(.init(bookmarkInterval: .milliseconds(100))) { fake, client in
                let start = fake.resourceVersion
                let url =
                    fake.baseURL
                    + "/api/v1/namespaces/shop/pods?watch=true&allowWatchBookmarks=true&resourceVersion=\(start)"
                var reader = LineReader(try await openStream(client, url))
                try await fake.waitForOpenWatches(count: 1)
                var pod = Self.pod("web-1")
                let added = fake.apply(pod)
                fake.apply(FakeKubernetesAPITests.slice("web-abcde", ips: ["10.0.0.1"], namespace: "shop"))
                fake.apply(Self.replicaSet())
                pod.deletionTimestamp = "2026-01-02T03:04:35Z"
                pod.deletionGracePeriodSeconds = 30
                let modified = fake.apply(pod)
                let deleted = try #require(fake.deletePod(namespace: "shop", name: "web-1"))
                var events: [WatchEvent] = []
                while events.count < 3 {
                    let event = try #require(try await reader.nextEvent())
                    if event.type != "BOOKMARK" { events.append(event) }
                }
                #expect(events.map(\.type) == ["ADDED", "MODIFIED", "DELETED"])
                #expect(events.map(\.resourceVersion) == [added, modified, deleted].map(String.init))
                #expect(events.allSatisfy { $0.object["kind"] as? String == "Pod" })
                #expect(events[0].metadata["deletionTimestamp"] == nil)
                #expect(events[1].metadata["deletionTimestamp"] as? String == "2026-01-02T03:04:35Z")
                #expect(events[2].metadata["deletionTimestamp"] as? String == "2026-01-02T03:04:35Z")
                var bookmark: WatchEvent?
                while bookmark == nil {
                    let event = try #require(try await reader.nextEvent())
                    if event.type == "BOOKMARK" { bookmark = event }
                }
                #expect(bookmark?.object["kind"] as? String == "Pod")
                #expect(bookmark?.object["apiVersion"] as? String == "v1")
                #expect(bookmark?.resourceVersion == String(fake.resourceVersion))
            }
        }

        @Test func podWatchWithoutResourceVersionStartsWithTheCurrentPodsAnd410sWhenCompacted() async throws {
            try await Self.withFake { fake, client in
                fake.apply(Self.pod("web-2"))
                fake.apply(Self.pod("web-1"))
                fake.apply(FakeKubernetesAPITests.slice("web-abcde", ips: ["10.0.0.1"], namespace: "shop"))
                var reader = LineReader(try await openStream(client, fake.baseURL + "/api/v1/pods?watch=1"))
                let first = try #require(try await reader.nextEvent())
                let second = try #require(try await reader.nextEvent())
                #expect([first.name, second.name] == ["web-1", "web-2"])
                #expect([first.type, second.type] == ["ADDED", "ADDED"])

                let old = fake.resourceVersion
                fake.apply(Self.pod("web-3"))
                fake.compactHistory()
                let url = fake.baseURL + "/api/v1/pods?watch=true&resourceVersion=\(old)"
                var expired = LineReader(try await openStream(client, url))
                let error = try #require(try await expired.nextEvent())
                #expect(error.type == "ERROR")
                #expect(error.object["code"] as? Int == 410)
            }
        }

        @Test func replicaSetsListWatchAndShareTheResourceVersionCounter() async throws {
            try await Self.withFake { fake, client in
                let slice = fake.apply(FakeKubernetesAPITests.slice("web-abcde", ips: ["10.0.0.1"], namespace: "shop"))
                let pod = fake.apply(Self.pod("web-1"))
                let replicaSet = fake.apply(Self.replicaSet())
                #expect(pod == slice + 1)
                #expect(replicaSet == slice + 2)
                let list = try await fetch(client, fake.baseURL + "/apis/apps/v1/replicasets").jsonObject()
                #expect(list["kind"] as? String == "ReplicaSetList")
                #expect(list["apiVersion"] as? String == "apps/v1")
                let item = try #require((list["items"] as? [[String: Any]])?.first)
                let metadata = try #require(item["metadata"] as? [String: Any])
                #expect(metadata["uid"] as? String == "uid-web-7d9f8")
                let owner = try #require((metadata["ownerReferences"] as? [[String: Any]])?.first)
                #expect(owner["kind"] as? String == "Deployment")
                #expect(owner["apiVersion"] as? String == "apps/v1")
                #expect(owner["name"] as? String == "web")
                #expect(owner["controller"] as? Bool == true)
                let spec = try #require(item["spec"] as? [String: Any])
                #expect(spec["replicas"] as? Int == 3)
                #expect(
                    (spec["selector"] as? [String: Any])?["matchLabels"] as? [String: String] == [
                        "app": "web", "pod-template-hash": "7d9f8",
                    ]
                )
                #expect(spec["template"] is [String: Any])

                let url = fake.baseURL + "/apis/apps/v1/namespaces/shop/replicasets?watch=true&resourceVersion=\(slice)"
                var reader = LineReader(try await openStream(client, url))
                let replayed = try #require(try await reader.nextEvent())
                #expect(replayed.type == "ADDED")
                #expect(replayed.object["kind"] as? String == "ReplicaSet")
                #expect(replayed.resourceVersion == String(replicaSet))
                try await fake.waitForOpenWatches(count: 1)
                let deleted = try #require(fake.deleteReplicaSet(namespace: "shop", name: "web-7d9f8"))
                let event = try #require(try await reader.nextEvent())
                #expect(event.type == "DELETED")
                #expect(event.resourceVersion == String(deleted))
            }
        }

        /// Injected request failures are for the EndpointSlice watch (the fault matrix counts them); watch errors
        /// and cuts end every watch, pods' too, as an API server restart would.
        @Test func injectedFailuresSparePodsWatchErrorsDoNot() async throws {
            try await Self.withFake { fake, client in
                fake.failNext(requests: 1, status: 429, retryAfterSeconds: 2)
                let listed = try await fetch(client, fake.baseURL + "/api/v1/pods")
                #expect(listed.status == 200)
                let failed = try await fetch(client, fake.baseURL + "/apis/discovery.k8s.io/v1/endpointslices")
                #expect(failed.status == 429)
                #expect(failed.headers["retry-after"] == "2")
                #expect(fake.statistics.workloadListRequests == 1 && fake.statistics.listRequests == 1)
                var reader = LineReader(try await openStream(client, fake.baseURL + "/api/v1/pods?watch=true"))
                try await fake.waitForOpenWatches(count: 1)
                fake.injectWatchError410()
                let error = try #require(try await reader.nextEvent())
                #expect(error.type == "ERROR")
                #expect(try await reader.next() == nil)
            }
        }

        @Test func discoveryListsPodsAndReplicaSets() async throws {
            try await Self.withFake { fake, client in
                let core = try await fetch(client, fake.baseURL + "/api/v1").jsonObject()
                let pods = try #require((core["resources"] as? [[String: Any]])?.first)
                #expect(pods["name"] as? String == "pods")
                #expect(pods["kind"] as? String == "Pod")
                #expect(pods["shortNames"] as? [String] == ["po"])
                let groups = try await fetch(client, fake.baseURL + "/apis").jsonObject()
                let names = (groups["groups"] as? [[String: Any]])?.compactMap { $0["name"] as? String }
                #expect(names == ["discovery.k8s.io", "apps"])
                let apps = try await fetch(client, fake.baseURL + "/apis/apps").jsonObject()
                #expect(apps["kind"] as? String == "APIGroup")
                let resources = try await fetch(client, fake.baseURL + "/apis/apps/v1").jsonObject()
                #expect(resources["groupVersion"] as? String == "apps/v1")
                let replicaSets = try #require((resources["resources"] as? [[String: Any]])?.first)
                #expect(replicaSets["name"] as? String == "replicasets")
                #expect(replicaSets["shortNames"] as? [String] == ["rs"])
                // Pods are not served under another group.
                #expect(try await fetch(client, fake.baseURL + "/apis/apps/v1/pods").status == 404)
            }
        }

        @Test func tablesUseThePodAndReplicaSetPrinters() async throws {
            try await Self.withFake { fake, client in
                var pod = Self.pod("web-1")
                fake.apply(pod)
                pod.deletionTimestamp = "2026-01-02T03:04:35Z"
                pod.name = "web-2"
                fake.apply(pod)
                fake.apply(Self.replicaSet())
                let accept = [("Accept", "application/json;as=Table;v=v1;g=meta.k8s.io,application/json")]
                let pods = try await fetch(client, fake.baseURL + "/api/v1/pods", headers: accept).jsonObject()
                #expect(pods["kind"] as? String == "Table")
                let columns = (pods["columnDefinitions"] as? [[String: Any]])?.compactMap { $0["name"] as? String }
                #expect(
                    columns == [
                        "Name", "Ready", "Status", "Restarts", "Age", "IP", "Node", "Nominated Node", "Readiness Gates",
                    ]
                )
                let rows = try #require(pods["rows"] as? [[String: Any]])
                let cells = rows.map { ($0["cells"] as? [Any])?.prefix(3).compactMap { $0 as? String } ?? [] }
                #expect(cells == [["web-1", "1/1", "Running"], ["web-2", "1/1", "Terminating"]])
                let sets = try await fetch(client, fake.baseURL + "/apis/apps/v1/replicasets", headers: accept)
                    .jsonObject()
                let setColumns = (sets["columnDefinitions"] as? [[String: Any]])?.compactMap { $0["name"] as? String }
                #expect(
                    setColumns == ["Name", "Desired", "Current", "Ready", "Age", "Containers", "Images", "Selector"]
                )
                let row = try #require((sets["rows"] as? [[String: Any]])?.first?["cells"] as? [Any])
                #expect(row.first as? String == "web-7d9f8")
                #expect(row[1] as? Int == 3)
                #expect(row[3] as? Int == 2)
            }
        }
    }
}
