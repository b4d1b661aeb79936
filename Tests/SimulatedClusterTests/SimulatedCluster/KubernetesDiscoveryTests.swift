import AsyncHTTPClient
import Foundation
import SimulatedCluster
import Testing

extension SimulatedClusterTests {
    @Suite struct KubernetesDiscoveryTests {
        static let token = "s3cr3t"
        static let auth = [("Authorization", "Bearer \(token)")]
        static let aggregated =
            "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,"
            + "application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList,application/json"
        static let table =
            "application/json;as=Table;v=v1;g=meta.k8s.io,application/json;as=Table;v=v1beta1;g=meta.k8s.io,"
            + "application/json"

        static func withFake(_ body: (FakeKubernetesAPI, HTTPClient) async throws -> Void) async throws {
            try await FakeKubernetesAPITests.withFake(.init(requiredBearerToken: token, serverVersion: "v1.31.2")) {
                fake,
                client in
                fake.apply(FakeKubernetesAPITests.slice("web-abcde", ips: ["10.0.0.1", "10.0.0.2"], namespace: "shop"))
                fake.apply(
                    FakeEndpointSlice(
                        namespace: "shop",
                        name: "empty-xyz12",
                        serviceName: "empty",
                        endpoints: nil,
                        ports: nil
                    )
                )
                try await body(fake, client)
            }
        }

        @Test func versionIsPublicAndDiscoveryNeedsTheToken() async throws {
            try await Self.withFake { fake, client in
                let version = try await fetch(client, fake.baseURL + "/version")
                #expect(version.status == 200)
                let document = try version.jsonObject()
                #expect(document["major"] as? String == "1")
                #expect(document["minor"] as? String == "31")
                #expect(document["gitVersion"] as? String == "v1.31.2")
                #expect(try await fetch(client, fake.baseURL + "/apis").status == 401)
            }
        }

        @Test func legacyDiscoveryAnswersAggregatedRequests() async throws {
            try await Self.withFake { fake, client in
                let headers = Self.auth + [("Accept", Self.aggregated)]
                let api = try await fetch(client, fake.baseURL + "/api", headers: headers)
                #expect(api.headers["content-type"] == "application/json")
                let versions = try api.jsonObject()
                #expect(versions["kind"] as? String == "APIVersions")
                #expect(versions["versions"] as? [String] == ["v1"])

                let apis = try await fetch(client, fake.baseURL + "/apis", headers: headers)
                #expect(apis.headers["content-type"] == "application/json")
                let groups = try apis.jsonObject()
                #expect(groups["kind"] as? String == "APIGroupList")
                let group = try #require((groups["groups"] as? [[String: Any]])?.first)
                #expect(group["name"] as? String == "discovery.k8s.io")
                let preferred = try #require(group["preferredVersion"] as? [String: String])
                #expect(preferred == ["groupVersion": "discovery.k8s.io/v1", "version": "v1"])

                let core = try await fetch(client, fake.baseURL + "/api/v1", headers: Self.auth)
                #expect(try core.jsonObject()["kind"] as? String == "APIResourceList")

                let named = try await fetch(client, fake.baseURL + "/apis/discovery.k8s.io", headers: Self.auth)
                #expect(try named.jsonObject()["kind"] as? String == "APIGroup")

                let v1 = try await fetch(client, fake.baseURL + "/apis/discovery.k8s.io/v1", headers: Self.auth)
                let list = try v1.jsonObject()
                #expect(list["groupVersion"] as? String == "discovery.k8s.io/v1")
                let resource = try #require((list["resources"] as? [[String: Any]])?.first)
                #expect(resource["name"] as? String == "endpointslices")
                #expect(resource["kind"] as? String == "EndpointSlice")
                #expect(resource["namespaced"] as? Bool == true)
                #expect(resource["verbs"] as? [String] == ["get", "list", "watch"])
                #expect(resource["shortNames"] == nil)
                #expect(fake.statistics.discoveryRequests == 5)
            }
        }

        @Test func listAndGetAsTable() async throws {
            try await Self.withFake { fake, client in
                let headers = Self.auth + [("Accept", Self.table)]
                let path = "/apis/discovery.k8s.io/v1/endpointslices?limit=500"
                let response = try await fetch(client, fake.baseURL + path, headers: headers)
                #expect(response.status == 200)
                #expect(response.headers["content-type"] == "application/json;as=Table;v=v1;g=meta.k8s.io")
                let table = try response.jsonObject()
                #expect(table["kind"] as? String == "Table")
                #expect(table["apiVersion"] as? String == "meta.k8s.io/v1")
                let metadata = try #require(table["metadata"] as? [String: Any])
                #expect(metadata["resourceVersion"] as? String == String(fake.resourceVersion))
                let columns = try #require(table["columnDefinitions"] as? [[String: Any]])
                #expect(columns.map { $0["name"] as? String } == ["Name", "AddressType", "Ports", "Endpoints", "Age"])
                let rows = try #require(table["rows"] as? [[String: Any]])
                #expect(
                    rows.map { $0["cells"] as? [String] ?? [] }.map { Array($0.prefix(4)) } == [
                        ["empty-xyz12", "IPv4", "<unset>", "<unset>"],
                        ["web-abcde", "IPv4", "8080", "10.0.0.1,10.0.0.2"],
                    ]
                )
                let age = try #require((rows.first?["cells"] as? [String])?.last)
                // Seconds since the slice was applied: a few, more on a loaded 2-core machine whose other tests have
                // stalled this one for several seconds.
                #expect(age.hasSuffix("s") && (Int(age.dropLast()) ?? 99) < 30, "age \(age)")
                let object = try #require(rows.first?["object"] as? [String: Any])
                #expect(object["kind"] as? String == "PartialObjectMetadata")
                #expect((object["metadata"] as? [String: Any])?["namespace"] as? String == "shop")

                let single = try await fetch(
                    client,
                    fake.baseURL + "/apis/discovery.k8s.io/v1/namespaces/shop/endpointslices/web-abcde",
                    headers: Self.auth + [("Accept", "application/json;as=Table;v=v1beta1;g=meta.k8s.io")]
                )
                let one = try single.jsonObject()
                #expect(one["apiVersion"] as? String == "meta.k8s.io/v1beta1")
                #expect((one["rows"] as? [[String: Any]])?.count == 1)

                let plain = try await fetch(client, fake.baseURL + path, headers: Self.auth)
                #expect(try plain.jsonObject()["kind"] as? String == "EndpointSliceList")
                #expect(fake.statistics.tableRequests == 2)
                #expect(fake.statistics.lastListRequest?.accept == nil)
            }
        }

        @Test func watchAsTableSendsTheColumnsOnce() async throws {
            try await Self.withFake { fake, client in
                let url = fake.baseURL + "/apis/discovery.k8s.io/v1/endpointslices?watch=true"
                let headers = Self.auth + [("Accept", Self.table)]
                var reader = LineReader(try await openStream(client, url, headers: headers))
                let first = try #require(try await reader.nextEvent())
                #expect(first.type == "ADDED")
                #expect(first.object["kind"] as? String == "Table")
                #expect((first.object["columnDefinitions"] as? [Any])?.count == 5)
                let second = try #require(try await reader.nextEvent())
                #expect(second.object["columnDefinitions"] is NSNull)
                try await fake.waitForOpenWatches(count: 1)
                fake.apply(FakeKubernetesAPITests.slice("web-abcde", ips: ["10.0.0.9"], namespace: "shop"))
                let live = try #require(try await reader.nextEvent())
                #expect(live.type == "MODIFIED")
                #expect(live.object["columnDefinitions"] is NSNull)
                let row = try #require((live.object["rows"] as? [[String: Any]])?.first)
                #expect((row["cells"] as? [String])?[3] == "10.0.0.9")
                #expect(live.resourceVersion == String(fake.resourceVersion))
            }
        }
    }
}
