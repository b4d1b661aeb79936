import Foundation
import Synchronization
import SimulatedCluster
import TestSupport
import Testing

@testable import APISIXSyncExporter

/// Incremental remapping at a refresh must be an optimisation only: a tracker that maps every upstream every time
/// and one that maps only what changed must record the same changes and show the same state, whatever happens.
@Suite struct IncrementalRemapTests {
    enum Step {
        case kubernetes(WatchEvent)
        case refresh([APISIXUpstream])
        case fetch(id: String, APISIXUpstream?)
        case failure
        case tick
    }

    /// A random history: Services churn, the "controller" copies desired sets into upstreams late, upstreams are
    /// renamed, re-pointed, deleted and created, and the target fails now and then.
    static func history(seed: UInt64, count: Int) -> [Step] {
        var random = SeededGenerator(seed: seed)
        let services = (0..<8).map { "svc\($0)" }
        var ready: [String: [String]] = [:]
        var upstreams: [String: APISIXUpstream] = [:]
        var revision = 1
        func ips(_ service: String) -> [String] {
            let index = Int(service.dropFirst(3)) ?? 0
            return (1...6).map { "10.0.\(index).\($0)" }
        }
        func nodes(_ list: [String]) -> Set<NodeAddress> { Set(list.map { NodeAddress(host: $0, port: 8080) }) }
        func slice(_ service: String, _ ready: [String]) -> EndpointSlice {
            EndpointSlice(
                metadata: .init(
                    name: "\(service)-a",
                    namespace: "shop",
                    labels: [EndpointSlice.serviceNameLabel: service]
                ),
                addressType: "IPv4",
                endpoints: ips(service).map {
                    .init(addresses: [$0], conditions: .init(ready: ready.contains($0), serving: nil, terminating: nil))
                },
                ports: [.init(name: "http", port: 8080)]
            )
        }
        func write(_ id: String, name: String?, _ list: [String]) {
            revision += 1
            upstreams[id] = APISIXUpstream(id: id, name: name, nodes: nodes(list), modifiedIndex: revision)
        }
        var steps: [Step] = []
        for (offset, service) in services.enumerated() {
            ready[service] = Array(ips(service).prefix(4))
            steps.append(.kubernetes(.added(slice(service, ready[service] ?? []))))
            // Half the upstreams carry ingress controller 1.x names, half are matched by overlap.
            write("u\(offset)", name: offset.isMultiple(of: 2) ? "shop_\(service)_8080" : nil, ready[service] ?? [])
        }
        write("outside", name: nil, ["192.168.1.1"])
        steps.append(.refresh(upstreams.values.sorted { $0.id < $1.id }))
        for _ in 0..<count {
            let service = services[Int.random(in: 0..<services.count, using: &random)]
            let id = "u\(services.firstIndex(of: service) ?? 0)"
            switch Int.random(in: 0..<100, using: &random) {
            case 0..<35:
                let pool = ips(service)
                ready[service] = pool.filter { _ in Bool.random(using: &random) }
                steps.append(.kubernetes(.modified(slice(service, ready[service] ?? []))))
            case 35..<38:
                steps.append(.kubernetes(.deleted(slice(service, []))))
                ready[service] = nil
            case 38..<41 where ready[service] == nil:
                ready[service] = Array(ips(service).prefix(3))
                steps.append(.kubernetes(.added(slice(service, ready[service] ?? []))))
            case 41..<60:
                // The controller applies the current desired set to the upstream.
                write(id, name: upstreams[id]?.name, ready[service] ?? [])
                if Bool.random(using: &random) { steps.append(.fetch(id: id, upstreams[id])) }
            case 60..<63:
                // Someone re-points an upstream at another Service's endpoints.
                let other = services[Int.random(in: 0..<services.count, using: &random)]
                write(id, name: nil, ready[other] ?? [])
            case 63..<65:
                upstreams[id] = nil
                if Bool.random(using: &random) { steps.append(.fetch(id: id, nil)) }
            case 65..<67 where upstreams[id] == nil:
                write(id, name: "shop_\(service)_8080", ready[service] ?? [])
            case 67..<85:
                steps.append(.refresh(upstreams.values.sorted { $0.id < $1.id }))
            case 85..<87:
                steps.append(.failure)
            default:
                steps.append(.tick)
            }
        }
        return steps
    }

    func replay(_ steps: [Step], incremental: Bool) async -> (records: [ChangeRecord], state: Data) {
        let settings = ExporterSettings()
        guard let target = APISIXTarget(adminURL: "http://apisix:9180") else { return ([], Data()) }
        let tracker = SyncTracker(
            settings: settings.tracker,
            targets: [target],
            metrics: ExporterMetrics(resolution: settings.polling.fastPollInterval),
            logger: .init(label: "test")
        )
        await tracker.setIncrementalRemap(incremental)
        let records = RecordLog()
        await tracker.setObserver { records.append($0) }
        var time: Timestamp = 1000
        for step in steps {
            time += 0.05
            switch step {
            case .kubernetes(let event): await tracker.kubernetesEvent(event, at: time)
            case .refresh(let upstreams):
                await tracker.apisixRefreshed(target: target.name, upstreams: upstreams, at: time)
            case .fetch(let id, let upstream):
                await tracker.apisixFetched(target: target.name, id: id, upstream: upstream, at: time)
            case .failure:
                await tracker.apisixFailed(target: target.name, SourceFailure(.serverError, "HTTP 503"), at: time)
            case .tick: await tracker.tick(at: time)
            }
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        let state = (try? encoder.encode(await tracker.state(at: time))) ?? Data()
        return (records.records, state)
    }

    @Test(arguments: Array(1...40) as [UInt64])
    func incrementalAndFullRemapAgree(seed: UInt64) async {
        let steps = Self.history(seed: seed, count: 400)
        let full = await replay(steps, incremental: false)
        let incremental = await replay(steps, incremental: true)
        #expect(full.records.count > 10, "the history should produce changes")
        // Changes ending at the same observation come in dictionary order, which differs between instances.
        func sorted(_ records: [ChangeRecord]) -> [ChangeRecord] {
            records.sorted {
                ($0.time, $0.key, $0.node, $0.kind.rawValue) < ($1.time, $1.key, $1.node, $1.kind.rawValue)
            }
        }
        let firstDifference = zip(sorted(incremental.records), sorted(full.records)).enumerated().first {
            $0.element.0 != $0.element.1
        }
        #expect(firstDifference == nil, "first different record: \(String(describing: firstDifference))")
        #expect(incremental.records.count == full.records.count)
        #expect(String(decoding: incremental.state, as: UTF8.self) == String(decoding: full.state, as: UTF8.self))
    }
}

/// Collects change records from the tracker's observer.
final class RecordLog: Sendable {
    private let stored = Mutex<[ChangeRecord]>([])

    func append(_ record: ChangeRecord) { stored.withLock { $0.append(record) } }

    var records: [ChangeRecord] { stored.withLock { $0 } }
}
