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
}
