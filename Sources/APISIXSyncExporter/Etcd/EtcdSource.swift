import Logging
import ServiceLifecycle

/// Measures the stored view (what the Admin API would show) by watching the etcd prefix APISIX stores its
/// configuration under, as APISIX's own workers do: one range read, then one long-lived watch. Each watch message is
/// timed when it arrives, so a change is reflected at the moment the exporter receives the event that makes it so,
/// with no requests at all between changes.
///
/// Faults: a compacted start revision re-reads the prefix (changes pending across the re-read are censored); a cut
/// stream resumes from the last revision + 1; a member that does not answer hands over to the next one with
/// backoff; wrong credentials, a missing permission or a server that is not etcd leave the source down with one
/// clear error and nothing recorded.
public struct EtcdSource: Service, CustomStringConvertible {
    public let client: EtcdGatewayClient
    public let target: APISIXTarget
    let tracker: SyncTracker
    let clock: any WallClock
    /// How often pending changes are looked at while the watch is open and quiet (a look costs no request).
    let lookInterval: Double
    let logger: Logger
    let backoffTemplate: Backoff
    /// Called with the start revision before each watch opens (tests use it to compact in between).
    var willWatch: (@Sendable (Int64) async -> Void)?

    public init(
        client: EtcdGatewayClient,
        target: APISIXTarget,
        tracker: SyncTracker,
        clock: any WallClock,
        lookInterval: Double,
        backoff: Backoff = Backoff(initial: 0.5, maximum: 30),
        logger: Logger
    ) {
        self.client = client
        self.target = target
        self.tracker = tracker
        self.clock = clock
        self.lookInterval = lookInterval
        self.backoffTemplate = backoff
        self.logger = logger
    }

    /// The tracker's target for an etcd source: named `etcd:<first member's host:port>`, measuring the stored view.
    public static func target(for settings: EtcdSettings) -> APISIXTarget? {
        guard let first = settings.endpoints.first else { return nil }
        return APISIXTarget(adminURL: first, controlURL: nil, view: .admin, name: settings.targetName)
    }

    /// Names the service in logs without its configuration (which holds the password).
    public var description: String { "EtcdSource(\(target.name))" }

    public func run() async throws {
        do {
            try await cancelWhenGracefulShutdown {
                try await withThrowingTaskGroup(of: Void.self) { group in
                    group.addTask { try await lookLoop() }
                    group.addTask { try await watchLoop() }
                    try await group.next()
                    group.cancelAll()
                }
            }
        } catch is CancellationError {
            // Stopping is a normal end.
        }
    }

    /// Tells the tracker every `lookInterval` that the watch is open (once the view is current, the engine observes
    /// it continuously and this costs an actor call); the tracker's timeouts run every second.
    private func lookLoop() async throws {
        var lastTick = -Double.infinity
        while !Task.isCancelled {
            let now = clock.now()
            await tracker.apisixWatchCurrent(target: target.name, at: now, confirmed: false)
            if now - lastTick >= 1 {
                lastTick = now
                await tracker.tick(at: now)
            }
            try await clock.sleep(until: now + lookInterval)
        }
    }

    private func watchLoop() async throws {
        var store = EtcdStoredObjects(prefix: client.settings.prefix)
        var backoff = backoffTemplate
        /// The revision to watch from; nil reads the prefix first.
        var next: Int64?
        while !Task.isCancelled {
            do {
                if next == nil {
                    let (revision, kvs) = try await client.rangeAll(store.keyRange)
                    let rejected = store.replaceAll(kvs)
                    await report(rejected)
                    await tracker.apisixStored(target: target.name, upstreams: store.upstreamsInUse(), at: clock.now())
                    next = revision + 1
                }
                try await watch(from: next ?? 1, store: &store, next: &next, backoff: &backoff)
            } catch {
                if Task.isCancelled { throw CancellationError() }
                let failure = SourceFailure.classify(error)
                await tracker.apisixFailed(target: target.name, failure, at: clock.now())
                switch failure.reason {
                case .expired:
                    next = nil  // compacted: read the prefix again at once
                    logger.info(
                        "etcd watch compacted: reading the prefix again",
                        metadata: ["target": .string(target.name), "error": .string(failure.message)]
                    )
                    continue
                case .unauthorized:
                    await client.dropToken()
                case .connection, .timeout:
                    await client.nextEndpoint()
                default:
                    break
                }
                try await clock.sleep(until: clock.now() + backoff.next())
            }
        }
    }

    /// Watches from `start` until the stream ends or a message ends the watch; `next` follows the revisions seen.
    private func watch(
        from start: Int64,
        store: inout EtcdStoredObjects,
        next: inout Int64?,
        backoff: inout Backoff
    ) async throws {
        let name = target.name
        await willWatch?(start)
        try await client.watch(store.keyRange, from: start, clock: clock) { line, time in
            switch try EtcdGatewayDecoder.watchMessage(line) {
            case .created(let revision):
                backoff.reset()
                if revision < start {
                    // Nothing happened since the revision watched from: the view is current now.
                    await tracker.apisixWatchCurrent(target: name, at: time, confirmed: true)
                } else {
                    await tracker.apisixWatchOpened(target: name, at: time)
                }
            case .events(let events, let revision):
                let changes = store.apply(events)
                await report(changes.rejected)
                let last = events.map(\.kv.modRevision).max() ?? revision
                next = max(next ?? 0, last + 1)
                if changes.routing {
                    await tracker.apisixStored(target: name, upstreams: store.upstreamsInUse(), at: time)
                } else if !changes.upstreams.isEmpty {
                    // Upstream objects are always in use and no route or service changed: only these entries of
                    // the in-use set changed, so the tracker gets them alone (a refresh would diff every upstream).
                    let ids = changes.upstreams.sorted()
                    await tracker.apisixStored(
                        target: name,
                        upserted: ids.compactMap { store.upstreams[$0] },
                        removed: ids.filter { store.upstreams[$0] == nil },
                        at: time
                    )
                } else {
                    await tracker.apisixWatchCurrent(target: name, at: time, confirmed: true)
                }
            case .progress(let revision):
                // Every event up to `revision` has been delivered.
                next = max(next ?? 0, revision + 1)
                await tracker.apisixWatchCurrent(target: name, at: time, confirmed: true)
            case .compacted(let compactRevision):
                next = nil
                throw SourceFailure(
                    .expired,
                    "etcd compacted revision \(start) away (compact revision \(compactRevision))"
                )
            case .canceled(let reason):
                throw EtcdGatewayDecoder.failure(cancelReason: reason)
            }
            return true
        }
    }

    private func report(_ rejected: [EtcdStoredObjects.Rejection]) async {
        for rejection in rejected {
            await tracker.apisixValueRejected(target: target.name, key: rejection.key, reason: rejection.reason)
        }
    }
}
