import Foundation
import TestSupport
import Testing

@testable import APISIXSyncExporter

/// The stored view built from etcd keys with the Admin API's value decoders: upstreams, routes and services, inline
/// upstreams and `upstream_id` rules, deletions, and values that do not decode.
@Suite struct EtcdStoredObjectsTests {
    static func kv(_ key: String, _ value: String?, _ revision: Int64) -> EtcdKeyValue {
        EtcdKeyValue(key: key, value: value.map { Data($0.utf8) }, modRevision: revision)
    }

    static func nodes(_ hosts: String...) -> Set<NodeAddress> {
        Set(hosts.map { NodeAddress(host: $0, port: 8080) })
    }

    @Test func keysOutsideUpstreamsRoutesAndServicesAreIgnored() {
        var store = EtcdStoredObjects(prefix: "/apisix/")
        #expect(store.directory == "/apisix/")
        let rejected = store.replaceAll([
            Self.kv("/apisix/upstreams/", "init_dir", 2),  // 2.x directory placeholder
            Self.kv("/apisix/plugins", #"[{"name":"x"}]"#, 3),
            Self.kv("/apisix/ssls/1", #"{"cert":"…"}"#, 4),
            Self.kv("/apisix/upstreams/a/b", "{}", 5),
            Self.kv("/apisix/upstreams/web", #"{"id":"web","name":"shop_web_8080","nodes":{"10.2.0.1:8080":1}}"#, 6),
        ])
        #expect(rejected.isEmpty)
        #expect(store.upstreams.keys.sorted() == ["web"])
        #expect(store.upstreams["web"]?.modifiedIndex == 6)
        #expect(store.upstreamsInUse().map(\.id) == ["web"])
    }

    @Test func routesAndServicesFollowTheAdminAPIRules() {
        var store = EtcdStoredObjects(prefix: "/apisix")
        _ = store.replaceAll([
            Self.kv("/apisix/upstreams/web", #"{"id":"web","nodes":[{"host":"10.2.0.1","port":8080,"weight":1}]}"#, 2),
            // upstream_id beats the inline upstream
            Self.kv(
                "/apisix/routes/1",
                #"{"id":1,"uri":"/a","upstream_id":"web","upstream":{"nodes":{"10.9.9.9:80":1}}}"#,
                3
            ),
            Self.kv(
                "/apisix/routes/2",
                #"{"id":"2","name":"shop_api_8080","uri":"/b","upstream":{"nodes":{"10.2.0.7:8080":1}}}"#,
                4
            ),
        ])
        let inUse = Dictionary(uniqueKeysWithValues: store.upstreamsInUse().map { ($0.id, $0) })
        #expect(inUse.keys.sorted() == ["route/2", "web"])
        #expect(inUse["route/2"]?.nodes == Self.nodes("10.2.0.7"))
        #expect(inUse["route/2"]?.name == "shop_api_8080")
        let changes = store.apply([
            EtcdEvent(.delete, Self.kv("/apisix/routes/2", nil, 5)),
            EtcdEvent(.put, Self.kv("/apisix/services/s", #"{"id":"s","upstream":{"nodes":{"10.2.0.8:8080":1}}}"#, 6)),
            EtcdEvent(.put, Self.kv("/apisix/routes/3", #"{"id":"3","uri":"/c","service_id":"s"}"#, 7)),
        ])
        #expect(changes.routing && changes.upstreams.isEmpty && changes.rejected.isEmpty)
        #expect(Set(store.upstreamsInUse().map(\.id)) == ["web", "service/s"])
    }

    @Test func aValueThatDoesNotDecodeKeepsTheObjectAndIsReported() {
        var store = EtcdStoredObjects(prefix: "/apisix")
        _ = store.replaceAll([Self.kv("/apisix/upstreams/web", #"{"id":"web","nodes":{"10.2.0.1:8080":1}}"#, 2)])
        let changes = store.apply([
            EtcdEvent(.put, Self.kv("/apisix/upstreams/web", #"{"id":"web","nodes":5}"#, 3)),
            EtcdEvent(.put, Self.kv("/apisix/upstreams/x", #"{"id":"x","nodes":{}} trailing"#, 4)),
        ])
        #expect(changes.isEmpty)
        #expect(changes.rejected.map(\.key) == ["/apisix/upstreams/web", "/apisix/upstreams/x"])
        #expect(changes.rejected.first?.reason.contains("value does not decode") == true)
        #expect(store.upstreams["web"]?.nodes == Self.nodes("10.2.0.1"))
        #expect(store.upstreams["x"] == nil)
        // In a complete read too: the object decoded before stays.
        let again = store.replaceAll([Self.kv("/apisix/upstreams/web", "not json", 5)])
        #expect(again.count == 1)
        #expect(store.upstreams["web"]?.modifiedIndex == 2)
    }

    @Test func deletingAnUnknownKeyChangesNothing() {
        var store = EtcdStoredObjects(prefix: "/custom/prefix")
        let changes = store.apply([EtcdEvent(.delete, Self.kv("/custom/prefix/upstreams/none", nil, 9))])
        #expect(changes.isEmpty)
        #expect(store.keyRange.rangeEnd == Array("/custom/prefix0".utf8))
    }

    @Test func settingsNeverPrintThePassword() {
        var settings = EtcdSettings(endpoints: ["http://etcd:2379"])
        settings.username = "apisix"
        settings.password = "hunter2-secret"
        var exporter = ExporterSettings()
        exporter.apisix.etcd = settings
        for text in [
            "\(settings)", String(reflecting: settings), "\(exporter)", String(reflecting: exporter),
            exporter.redactedSummary.description,
        ] {
            #expect(!text.contains("hunter2"))
        }
        #expect(settings.redactedSummary.contains("password (set)"))
        #expect(settings.targetName == "etcd:etcd:2379")
    }
}
