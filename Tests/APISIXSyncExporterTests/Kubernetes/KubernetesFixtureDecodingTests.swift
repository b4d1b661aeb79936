import Foundation
import NIOCore
import NIOHTTP1
import Testing

@testable import APISIXSyncExporter

/// The production decoders (`EndpointSliceList.decode`, `WatchEvent.decode`, `KubernetesStatus.decode`) against the
/// wire documents in `Kubernetes/Fixtures`, each compared with the whole value it must decode to.
@Suite struct KubernetesFixtureDecodingTests {
    static let cartKey = ServiceKey(namespace: "shop", name: "cart")
    static let cartLabels = [
        "app.kubernetes.io/name": "cart",
        "endpointslice.kubernetes.io/managed-by": "endpointslice-controller.k8s.io",
        "kubernetes.io/service-name": "cart",
    ]
    static let cartPorts: [EndpointSlice.Port] = [
        .init(name: "http", port: 8080, protocol: "TCP"), .init(name: "metrics", port: 9090, protocol: "TCP"),
    ]

    static func pod(_ name: String, _ uid: String) -> EndpointSlice.TargetReference {
        .init(kind: "Pod", name: name, namespace: "shop", uid: uid)
    }

    static func endpoint(
        _ address: String,
        ready: Bool,
        serving: Bool,
        terminating: Bool,
        pod: EndpointSlice.TargetReference
    ) -> EndpointSlice.Endpoint {
        .init(
            addresses: [address],
            conditions: .init(ready: ready, serving: serving, terminating: terminating),
            targetRef: pod
        )
    }

    static let podA = pod("cart-6d9f7c8b5d-xk2lp", "0e6b2a51-7c4d-4f0a-b8e3-91d2c6a7f305")
    static let podB = pod("cart-6d9f7c8b5d-q8v4n", "a3f09c27-5e18-4b6d-8c42-7d1e0b9a6f53")
    static let podC = pod("cart-6d9f7c8b5d-7hm2w", "c81d4e6f-0a27-4935-b6e8-2f5a9c0d1b74")
    static let readyA = endpoint("10.244.1.17", ready: true, serving: true, terminating: false, pod: podA)
    static let readyB = endpoint("10.244.2.9", ready: true, serving: true, terminating: false, pod: podB)
    static let terminatingB = endpoint("10.244.2.9", ready: false, serving: true, terminating: true, pod: podB)
    static let startingC = endpoint("10.244.3.41", ready: false, serving: false, terminating: false, pod: podC)
    static let readyC = endpoint("10.244.3.41", ready: true, serving: true, terminating: false, pod: podC)

    /// The IPv4 slice of Service `shop/cart` at `resourceVersion`.
    static func cart(_ resourceVersion: String, _ endpoints: [EndpointSlice.Endpoint]) -> EndpointSlice {
        EndpointSlice(
            metadata: .init(
                name: "cart-x9k4m",
                namespace: "shop",
                resourceVersion: resourceVersion,
                labels: cartLabels
            ),
            addressType: "IPv4",
            endpoints: endpoints,
            ports: cartPorts
        )
    }

    static let cartIPv6 = EndpointSlice(
        metadata: .init(name: "cart-pz7rt", namespace: "shop", resourceVersion: "184431", labels: cartLabels),
        addressType: "IPv6",
        endpoints: [endpoint("fd00:10:244:1::11", ready: true, serving: true, terminating: false, pod: podA)],
        ports: cartPorts
    )

    @Test func firstListPage() throws {
        let page = try EndpointSliceList.decode(try KubernetesFixtures.data("endpointslice-list-first-page.json"))
        #expect(page.metadata.resourceVersion == "184467")
        #expect(
            page.metadata.continue
                == "eyJ2IjoibWV0YS5rOHMuaW8vdjEiLCJydiI6MTg0NDY3LCJzdGFydCI6InNob3AvY2FydC1wejdydFx1MDAwMCJ9"
        )
        let external = EndpointSlice(
            metadata: .init(
                name: "partner-api",
                namespace: "ops",
                resourceVersion: "176002",
                labels: ["endpointslice.kubernetes.io/managed-by": "partner-sync.example.com"]
            ),
            addressType: "FQDN",
            endpoints: [.init(addresses: ["api.partner.example.net"])],
            ports: [.init(name: "https", port: 443, protocol: "TCP")]
        )
        let mirrored = EndpointSlice(
            metadata: .init(
                name: "legacy-db-f5k8j",
                namespace: "payments",
                resourceVersion: "120877",
                labels: [
                    "endpointslice.kubernetes.io/managed-by": "endpointslicemirroring-controller.k8s.io",
                    "kubernetes.io/service-name": "legacy-db",
                ]
            ),
            addressType: "IPv4",
            endpoints: [
                .init(addresses: ["192.168.40.12"], conditions: .init(ready: true)),
                .init(addresses: ["192.168.40.13"], conditions: .init(ready: true)),
            ],
            ports: [.init(name: "postgres", port: 5432, protocol: "TCP")]
        )
        #expect(page.items == [external, mirrored, Self.cartIPv6])
        #expect(page.items.map(\.service) == [nil, ServiceKey(namespace: "payments", name: "legacy-db"), Self.cartKey])
    }

    @Test func lastListPage() throws {
        let page = try EndpointSliceList.decode(try KubernetesFixtures.data("endpointslice-list-last-page.json"))
        #expect(page.metadata.resourceVersion == "184467")
        #expect(page.metadata.continue == nil)
        let checkout = EndpointSlice(
            metadata: .init(
                name: "checkout-7bq2d",
                namespace: "shop",
                resourceVersion: "183990",
                labels: [
                    "app.kubernetes.io/name": "checkout",
                    "endpointslice.kubernetes.io/managed-by": "endpointslice-controller.k8s.io",
                    "kubernetes.io/service-name": "checkout",
                ]
            ),
            addressType: "IPv4",
            endpoints: [],
            ports: [.init(name: "", port: 80, protocol: "TCP")]
        )
        #expect(page.items == [Self.cart("184402", [Self.readyA, Self.readyB, Self.startingC]), checkout])
    }

    /// The stream in chunks that split events anywhere, through the watcher's line splitter.
    @Test(arguments: [7, 64, 4096])
    func watchStream(chunkSize: Int) throws {
        let stream = try KubernetesFixtures.data("endpointslice-watch.jsonl")
        var splitter = LineSplitter(maximumLineLength: 1 << 20)
        var events: [WatchEvent] = []
        var offset = stream.startIndex
        while offset < stream.endIndex {
            let end = min(offset + chunkSize, stream.endIndex)
            for line in try splitter.append(ByteBuffer(bytes: stream[offset..<end])) {
                events.append(try WatchEvent.decode(line))
            }
            offset = end
        }
        #expect(splitter.finish() == nil)
        let expired = KubernetesStatus(
            status: "Failure",
            message: "The resourceVersion for the provided watch is too old.",
            reason: "Expired",
            code: 410
        )
        #expect(
            events == [
                .added(Self.cart("184402", [Self.readyA, Self.readyB, Self.startingC])),
                .added(Self.cartIPv6),
                .bookmark(resourceVersion: "184467"),
                .modified(Self.cart("184503", [Self.readyA, Self.terminatingB, Self.readyC])),
                .modified(Self.cart("184539", [Self.readyA, Self.readyC])),
                .bookmark(resourceVersion: "184880"),
                .deleted(Self.cart("184912", [Self.readyA, Self.readyC])),
                .error(expired),
            ]
        )
    }

    @Test func forbiddenStatus() throws {
        let body = try KubernetesFixtures.data("status-forbidden.json")
        let message =
            #"endpointslices.discovery.k8s.io is forbidden: "#
            + #"User "system:serviceaccount:monitoring:apisix-sync-exporter" cannot list resource "endpointslices" "#
            + #"in API group "discovery.k8s.io" at the cluster scope"#
        #expect(
            try KubernetesStatus.decode(body)
                == KubernetesStatus(status: "Failure", message: message, reason: "Forbidden", code: 403)
        )
        // What the client makes of it: the message, cut to 200 characters.
        let failure = KubernetesClient.failure(status: .forbidden, headers: [:], body: body)
        #expect(failure == SourceFailure(.forbidden, "HTTP 403: " + message.prefix(200)))
    }

    @Test func expiredContinueStatus() throws {
        let status = try KubernetesStatus.decode(try KubernetesFixtures.data("status-expired-continue.json"))
        #expect(status.code == 410)
        #expect(status.reason == "Expired")
        #expect(status.status == "Failure")
        #expect(status.message?.hasPrefix("The provided continue parameter is too old") == true)
    }
}
