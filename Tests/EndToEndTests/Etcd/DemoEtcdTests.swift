import APISIXSyncDemo
import Foundation
import SimulatedCluster
import Testing

@testable import APISIXSyncExporter

/// `demo --apisix.source etcd`: the fake Admin API's writes reach a real etcd as APISIX stores them.
@Suite(.enabled(if: EtcdProcess.enabled, "etcd is not installed (apt-get install etcd-server)"), .serialized)
struct DemoEtcdTests {
    @Test func theFakeAdminAPIsWritesAreMirroredIntoEtcdInOrder() async throws {
        let etcd = try await DemoEtcd.start()
        defer { etcd.stop() }
        let fake = FakeAPISIXAdmin()
        fake.putUpstream(FakeUpstream(id: "1", nodes: .hash(["10.244.3.5:9000": 1])))  // before the mirror
        etcd.mirror(fake)
        fake.putUpstream(FakeUpstream(id: "2", nodes: .array([.init(host: "10.244.1.17", port: 8080)])))
        fake.putUpstream(FakeUpstream(id: "1", nodes: .hash(["10.244.3.6:9000": 1])))
        #expect(fake.deleteUpstream(id: "2"))
        fake.putUpstream(FakeUpstream(id: "3", nodes: .hash(["10.244.3.7:9000": 1])))

        let client = try EtcdGatewayClient(settings: EtcdSettings(endpoints: [etcd.endpoint]))
        var store = EtcdStoredObjects(prefix: "/apisix")
        // Polling with a deadline: the mirror writes in the background and offers nothing to await.
        let deadline = Date().addingTimeInterval(10)
        while Date() < deadline {
            _ = store.replaceAll(try await client.rangeAll(store.keyRange).kvs)
            if store.upstreams["3"] != nil { break }
            try await Task.sleep(for: .milliseconds(20))
        }
        await client.shutdown()
        #expect(store.upstreams.keys.sorted() == ["1", "3"])
        #expect(store.upstreams["1"]?.nodes == [NodeAddress(host: "10.244.3.6", port: 9000)])
    }
}
