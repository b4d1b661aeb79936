import Foundation
import Logging
import Synchronization
import TestSupport
import Testing

@testable import APISIXSyncExporter

/// Watch messages that only write or delete upstream objects reach the tracker as a delta; the outcome must be the
/// one a whole list gives (the Admin API's refresh path).
@Suite struct EtcdDeltaTests {
    final class Records: Sendable {
        let values = Mutex<[ChangeRecord]>([])
    }

    static func slice(_ service: Int, ready: [Int]) -> EndpointSlice {
        EndpointSlice(
            metadata: .init(
                name: "s\(service)-a",
                namespace: "shop",
                labels: [EndpointSlice.serviceNameLabel: "s\(service)"]
            ),
            endpoints: ready.map { .init(addresses: ["10.\(service).0.\($0)"], conditions: .init(ready: true)) },
            ports: [.init(name: "http", port: 8080)]
        )
    }

    static func value(_ service: Int, ready: [Int]) -> Data {
        let nodes = ready.map { #""10.\#(service).0.\#($0):8080":1"# }.joined(separator: ",")
        return Data(#"{"id":"u\#(service)","name":"shop_s\#(service)_8080","nodes":{\#(nodes)}}"#.utf8)
    }

    func tracker(_ records: Records) async throws -> (SyncTracker, String) {
        var settings = ExporterSettings()
        let etcd = EtcdSettings(endpoints: ["http://127.0.0.1:2379"])
        settings.apisix.etcd = etcd
        let target = try #require(EtcdSource.target(for: etcd))
        let tracker = SyncTracker(
            settings: settings.tracker,
            targets: [target],
            metrics: ExporterMetrics(resolution: 0.1),
            logger: Logger(label: "t")
        )
        await tracker.setObserver { record in records.values.withLock { $0.append(record) } }
        return (tracker, target.name)
    }

    @Test(arguments: [UInt64(1), 2, 3])
    func aDeltaGivesWhatTheWholeListGives(seed: UInt64) async throws {
        let fullRecords = Records()
        let deltaRecords = Records()
        let (full, name) = try await tracker(fullRecords)
        let (delta, _) = try await tracker(deltaRecords)
        var generator = Xorshift(seed: seed)
        var ready = (0..<8).map { _ in [1, 2, 3] }
        var fullStore = EtcdStoredObjects(prefix: "/apisix")
        var deltaStore = EtcdStoredObjects(prefix: "/apisix")
        let initial = (0..<8).map {
            EtcdKeyValue(key: "/apisix/upstreams/u\($0)", value: Self.value($0, ready: ready[$0]), modRevision: 2)
        }
        for (tracker, store) in [(full, 0), (delta, 1)] {
            await tracker.kubernetesListed((0..<8).map { Self.slice($0, ready: ready[$0]) }, namespace: nil, at: 100)
            if store == 0 { _ = fullStore.replaceAll(initial) } else { _ = deltaStore.replaceAll(initial) }
            await tracker.apisixStored(target: name, upstreams: fullStore.upstreamsInUse(), at: 101)
        }
        var time = 102.0
        var revision: Int64 = 3
        for _ in 0..<60 {
            let service = Int(generator.next() % 8)
            time += 0.05
            if generator.next() % 2 == 0 {
                // Kubernetes changes the endpoints.
                ready[service] = (1...5).filter { _ in generator.next() % 2 == 0 }
                for tracker in [full, delta] {
                    await tracker.kubernetesEvent(.modified(Self.slice(service, ready: ready[service])), at: time)
                }
                continue
            }
            // The controller writes (or deletes) the upstream.
            let key = "/apisix/upstreams/u\(service)"
            let event =
                generator.next() % 10 == 0
                ? EtcdEvent(.delete, EtcdKeyValue(key: key, value: nil, modRevision: revision))
                : EtcdEvent(
                    .put,
                    EtcdKeyValue(key: key, value: Self.value(service, ready: ready[service]), modRevision: revision)
                )
            revision += 1
            _ = fullStore.apply([event])
            await full.apisixStored(target: name, upstreams: fullStore.upstreamsInUse(), at: time)
            let changes = deltaStore.apply([event])
            let ids = changes.upstreams.sorted()
            await delta.apisixStored(
                target: name,
                upserted: ids.compactMap { deltaStore.upstreams[$0] },
                removed: ids.filter { deltaStore.upstreams[$0] == nil },
                at: time
            )
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        let fullState = try encoder.encode(await full.state(at: time + 1))
        let deltaState = try encoder.encode(await delta.state(at: time + 1))
        #expect(String(decoding: fullState, as: UTF8.self) == String(decoding: deltaState, as: UTF8.self))
        // Changes that end at the same moment come in the order of a node set: compare them sorted.
        func sorted(_ records: Records) -> [String] {
            records.values.withLock { $0 }.map { "\($0.time) \($0.key) \($0.node) \($0)" }.sorted()
        }
        #expect(sorted(fullRecords) == sorted(deltaRecords))
        #expect(!fullRecords.values.withLock { $0 }.isEmpty)
    }

    /// A small deterministic generator (the same seed, the same sequence).
    struct Xorshift: RandomNumberGenerator {
        var state: UInt64
        init(seed: UInt64) { state = seed &* 0x9E37_79B9_7F4A_7C15 | 1 }
        mutating func next() -> UInt64 {
            state ^= state << 13
            state ^= state >> 7
            state ^= state << 17
            return state
        }
    }
}
