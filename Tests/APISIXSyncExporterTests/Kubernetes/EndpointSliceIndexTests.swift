import TestSupport
import Testing

@testable import APISIXSyncExporter

@Suite struct EndpointSliceIndexTests {
    let key = ServicePortKey(namespace: "shop", service: "web", port: "http")

    @Test func readyEndpointsFormTheDesiredSetAndNilReadyMeansReady() {
        var index = EndpointSliceIndex()
        let changes = index.upsert(
            slice("web-a", [("10.0.0.1", true, false), ("10.0.0.2", nil, nil), ("10.0.0.3", false, true)])
        )
        #expect(changes == [.init(key: key, old: nil, new: nodes("10.0.0.1", "10.0.0.2"))])
        #expect(index.endpoints(of: key)?.all == nodes("10.0.0.1", "10.0.0.2", "10.0.0.3"))
    }

    /// A Service's only slice is merged without the general path's table; both agree on random slices, repeated
    /// addresses and port names (where the direct path declines) included.
    @Test func oneSliceMergesAsTheGeneralPathDoes() {
        var generator = SystemRandomNumberGenerator()
        let service = ServiceKey(namespace: "shop", name: "web")
        var declined = 0
        for _ in 0..<2_000 {
            let endpoints = (0..<Int.random(in: 0...6, using: &generator)).map { _ in
                EndpointSlice.Endpoint(
                    addresses: [
                        ["", "10.0.0.1", "10.0.0.2", "10.0.0.3", "10.0.0.4", "10.0.0.5"].randomElement(
                            using: &generator
                        ) ?? ""
                    ]
                    .filter { _ in Int.random(in: 0..<8, using: &generator) > 0 },
                    conditions: .init(
                        ready: [true, false, nil].randomElement(using: &generator) ?? nil,
                        terminating: [true, false, nil].randomElement(using: &generator) ?? nil
                    )
                )
            }
            let ports = (0..<Int.random(in: 0...3, using: &generator)).map { _ in
                EndpointSlice.Port(
                    name: ["http", "grpc", nil].randomElement(using: &generator) ?? nil,
                    port: [8080, 9090, 0, nil].randomElement(using: &generator) ?? nil
                )
            }
            let slice = IndexedSlice(
                EndpointSlice(metadata: .init(name: "web-a", namespace: "shop"), endpoints: endpoints, ports: ports),
                service: service,
                keepingPods: false
            )
            if EndpointSliceIndex.mergeOne(slice) == nil { declined += 1 }
            #expect(EndpointSliceIndex.merge([slice]) == EndpointSliceIndex.mergeAny([slice]))
        }
        #expect(declined > 0 && declined < 2_000)
    }

    @Test func rebalancingAcrossSlicesIsNoChange() {
        var index = EndpointSliceIndex()
        _ = index.upsert(slice("web-a", [("10.0.0.1", true, false), ("10.0.0.2", true, false)]))
        _ = index.upsert(slice("web-b", [("10.0.0.3", true, false)]))
        // The controller moves 10.0.0.2 to web-b: for a moment it is in both slices, then only in web-b.
        #expect(index.upsert(slice("web-b", [("10.0.0.3", true, false), ("10.0.0.2", true, false)])).isEmpty)
        #expect(index.upsert(slice("web-a", [("10.0.0.1", true, false)])).isEmpty)
        #expect(index.endpoints(of: key)?.ready == nodes("10.0.0.1", "10.0.0.2", "10.0.0.3"))
    }

    @Test func runningEndpointWinsOverTerminatingOneWithTheSameIP() {
        var index = EndpointSliceIndex()
        _ = index.upsert(slice("web-a", [("10.0.0.5", false, true)]))
        let changes = index.upsert(slice("web-b", [("10.0.0.5", true, false)]))
        #expect(changes.first?.new == nodes("10.0.0.5"))
        // The order of the slices does not matter.
        var reversed = EndpointSliceIndex()
        _ = reversed.upsert(slice("web-b", [("10.0.0.5", true, false)]))
        #expect(reversed.upsert(slice("web-a", [("10.0.0.5", false, true)])).isEmpty)
    }

    @Test func skipsFQDNAndUnlabelledSlices() {
        var index = EndpointSliceIndex()
        #expect(index.upsert(slice("web-f", addressType: "FQDN", [("example.com", true, false)])).isEmpty)
        #expect(index.upsert(slice("orphan", service: nil, [("10.0.0.1", true, false)])).isEmpty)
        #expect(index.services.isEmpty)
    }

    @Test func sliceDeletionRemovesItsEndpointsAndTheLastOneDeletesTheService() {
        var index = EndpointSliceIndex()
        let a = slice("web-a", [("10.0.0.1", true, false)])
        let b = slice("web-b", [("10.0.0.2", true, false)])
        _ = index.upsert(a)
        _ = index.upsert(b)
        #expect(index.delete(b) == [.init(key: key, old: nodes("10.0.0.1", "10.0.0.2"), new: nodes("10.0.0.1"))])
        #expect(index.delete(a) == [.init(key: key, old: nodes("10.0.0.1"), new: nil)])
        #expect(index.services.isEmpty)
    }

    @Test func scalingToZeroKeepsThePortWithAnEmptySet() {
        var index = EndpointSliceIndex()
        _ = index.upsert(slice("web-a", [("10.0.0.1", true, false)]))
        var placeholder = slice("web-a", [])
        placeholder.ports = []
        #expect(index.upsert(placeholder) == [.init(key: key, old: nodes("10.0.0.1"), new: [])])
    }

    @Test func relistReportsOnlyDifferences() {
        var index = EndpointSliceIndex()
        _ = index.upsert(slice("web-a", [("10.0.0.1", true, false)]))
        _ = index.upsert(slice("api-a", service: "api", [("10.0.1.1", true, false)]))
        let changes = index.replaceAll([
            slice("web-a", [("10.0.0.1", true, false), ("10.0.0.2", true, false)]),
            slice("api-a", service: "api", [("10.0.1.1", true, false)]),
        ])
        #expect(changes == [.init(key: key, old: nodes("10.0.0.1"), new: nodes("10.0.0.1", "10.0.0.2"))])
    }

    @Test func namespacedRelistLeavesOtherNamespacesAlone() {
        var index = EndpointSliceIndex()
        _ = index.upsert(slice("web-a", [("10.0.0.1", true, false)]))
        _ = index.upsert(slice("web-a", namespace: "other", [("10.0.9.1", true, false)]))
        _ = index.replaceAll([], inNamespace: "other")
        #expect(index.services == [ServiceKey(namespace: "shop", name: "web")])
    }

    @Test func aListFoldedPageByPageIsTheWholeList() {
        let pages = [
            [slice("web-a", [("10.0.0.1", true, false)]), slice("api-a", service: "api", [("10.0.1.1", true, false)])],
            // A slice listed again in a later page replaces its earlier copy; an unusable one is left out.
            [
                slice("web-a", [("10.0.0.2", true, false)]),
                slice("web-f", addressType: "FQDN", [("a.example", true, nil)]),
            ],
        ]
        var whole = EndpointSliceIndex()
        let wholeChanges = whole.replaceAll(pages.flatMap { $0 })
        var paged = EndpointSliceIndex()
        var staged = EndpointSliceIndex.Staged()
        for page in pages { paged.stage(page, into: &staged) }
        #expect(staged.count == 2)
        #expect(paged.sliceCount == 0)  // staging leaves the index alone until the list is complete
        #expect(paged.replaceAll(staged) == wholeChanges)
        #expect(paged.endpoints(of: key)?.ready == nodes("10.0.0.2"))
        #expect(paged.services == whole.services)
    }

    @Test func podReferencesKeepPodsOnlyAndOutliveTheirEndpoint() {
        var withPod = slice("web-a", [("10.0.0.1", true, false), ("10.0.0.2", true, false)])
        withPod.endpoints[0].targetRef = .init(name: "web-1", uid: "0b6c1f4e-5a2d-4c3b-9e8f-7a6b5c4d3e2f")
        withPod.endpoints[1].targetRef = .init(kind: "Node", name: "node-1")
        let service = ServiceKey(namespace: "shop", name: "web")

        var index = EndpointSliceIndex(keepsPodReferences: true)
        _ = index.upsert(withPod)
        #expect(index.podReference(of: service, host: "10.0.0.1")?.name == "web-1")
        #expect(index.podReference(of: service, host: "10.0.0.1")?.uid == "0b6c1f4e-5a2d-4c3b-9e8f-7a6b5c4d3e2f")
        #expect(index.podReference(of: service, host: "10.0.0.2") == nil)  // not a pod
        #expect(index.podReferences(of: service).map(\.host) == ["10.0.0.1", "10.0.0.2"])
        #expect(index.podReferences(of: service).map(\.ports) == [[8080], [8080]])
        // The endpoint leaves its slice: the change its leaving caused still finds its pod.
        _ = index.upsert(slice("web-a", [("10.0.0.2", true, false)]))
        #expect(index.podReference(of: service, host: "10.0.0.1")?.name == "web-1")

        var without = EndpointSliceIndex()
        _ = without.upsert(withPod)
        #expect(without.podReference(of: service, host: "10.0.0.1") == nil)
        #expect(without.podReferences(of: service).allSatisfy { $0.pod == nil })
    }
}
