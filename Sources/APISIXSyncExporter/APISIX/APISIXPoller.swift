import Logging
import ServiceLifecycle

/// Polls one APISIX target: a full upstream list every `pollInterval`, and, while changes are pending, only the
/// upstreams involved every `fastPollInterval`. The load on APISIX grows with the number of changes, not upstreams.
/// ``APISIXPollSchedule`` decides what is due and how failures back off; `clock` gives the time and the waits.
public struct APISIXPoller: Service, CustomStringConvertible {
    let source: APISIXSource
    let tracker: SyncTracker
    let clock: any WallClock
    let pollInterval: Double
    let fastPollInterval: Double
    let logger: Logger
    /// At most this many single-upstream GETs are outstanding at once per target (the connection pool's
    /// connections times its pipeline depth).
    static let fastPollBatch = 32

    public init(
        source: APISIXSource,
        tracker: SyncTracker,
        clock: any WallClock,
        pollInterval: Double,
        fastPollInterval: Double,
        logger: Logger
    ) {
        self.source = source
        self.tracker = tracker
        self.clock = clock
        self.pollInterval = pollInterval
        self.fastPollInterval = fastPollInterval
        self.logger = logger
    }

    /// A poller of `target` with `client`'s key, body limit and request timeout and `polling`'s intervals, reading
    /// the target on connections of its own; shut its ``source`` down after.
    public init(
        target: APISIXTarget,
        client settings: APISIXClientSettings,
        polling: PollingSettings,
        tracker: SyncTracker,
        clock: any WallClock,
        logger: Logger
    ) {
        let client = APISIXAdminClient(
            target: target,
            apiKey: settings.adminKey,
            maxResponseBytes: settings.maxResponseBytes,
            requestTimeout: .milliseconds(Int64(settings.requestTimeout * 1000))
        )
        self.init(
            source: APISIXSource(admin: client, logger: logger),
            tracker: tracker,
            clock: clock,
            pollInterval: polling.pollInterval,
            fastPollInterval: polling.fastPollInterval,
            logger: logger
        )
    }

    /// Names the service in logs without its configuration (which holds the Admin API key).
    public var description: String { "APISIXPoller(\(source.target.name))" }

    public func run() async throws {
        do {
            try await cancelWhenGracefulShutdown {
                try await loop()
            }
        } catch is CancellationError {
            // Stopping (graceful shutdown or cancellation) is a normal end, not a failure of the service group.
        }
    }

    private func loop() async throws {
        let name = source.target.name
        var schedule = APISIXPollSchedule(pollInterval: pollInterval, fastPollInterval: fastPollInterval)
        var lastTick = -Double.infinity
        // The detected mode and the previous refresh's objects: unchanged ones (same modifiedIndex) are reused.
        var refreshState = APISIXRefreshState()
        while !Task.isCancelled {
            let started = clock.now()
            // Asked at every wake (at least every fast-poll interval): new changes are picked up within one interval,
            // also while the target fails.
            let ids = await tracker.pendingUpstreams(target: name)
            let action = schedule.action(at: started, hasPendingWork: !ids.isEmpty)
            var outcome = APISIXPollSchedule.Outcome.success
            switch action {
            case .fullRefresh:
                do {
                    let upstreams = try await source.refresh(&refreshState)
                    await tracker.apisixRefreshed(target: name, upstreams: upstreams, at: clock.now())
                } catch {
                    if Task.isCancelled { throw CancellationError() }
                    await tracker.apisixFailed(target: name, error, at: clock.now())
                    outcome = .failure(retryAfter: error.retryAfter)
                }
            case .pollPending:
                let (failures, changed) = try await pollPending(ids, refreshState)
                // The longest Retry-After among the failures, if any, replaces the backoff.
                if !failures.isEmpty { outcome = .failure(retryAfter: failures.compactMap(\.retryAfter).max()) }
                if changed { schedule.requestFullRefresh() }
            case .wait:
                break
            }
            schedule.record(outcome, of: action, started: started, at: clock.now(), hasPendingWork: !ids.isEmpty)
            let now = clock.now()
            if now - lastTick >= 1 {  // timeouts have a resolution of seconds
                lastTick = now
                await tracker.tick(at: now)
            }
            try await clock.sleep(until: schedule.wake(at: now, hasPendingWork: !ids.isEmpty))
        }
    }

    /// Looks at the pending upstreams `ids`: through the discovery dump, one standalone `HEAD`, or single GETs.
    /// Returns the failures, and whether a `HEAD` found the configuration changed (a full refresh reads it).
    private func pollPending(
        _ ids: [String],
        _ refreshState: APISIXRefreshState
    ) async throws -> (failures: [SourceFailure], changed: Bool) {
        let name = source.target.name
        let discovery = ids.filter { refreshState.kubernetesDiscovery[$0] != nil }
        let others = discovery.isEmpty ? ids : ids.filter { refreshState.kubernetesDiscovery[$0] == nil }
        var failures: [SourceFailure] = []
        if !discovery.isEmpty {
            failures += await pollDiscovery(discovery, refreshState)
        }
        if !others.isEmpty, source.pollsByDigest(refreshState) {
            // One cheap HEAD stands for every pending upstream; a changed config is read in full at once.
            do {
                if try await source.standaloneConfigChanged(since: refreshState) {
                    return (failures, true)
                }
                await tracker.apisixUnchanged(target: name, at: clock.now())
            } catch {
                if Task.isCancelled { throw CancellationError() }
                await tracker.apisixFailed(target: name, error, at: clock.now())
                failures.append(error)
            }
        } else if !others.isEmpty {
            failures += await fastPoll(others, reusing: refreshState.upstreams)
        }
        return (failures, false)
    }

    /// Reads the discovery dump once for the given discovery upstreams; returns the failure, if any.
    private func pollDiscovery(_ ids: [String], _ state: APISIXRefreshState) async -> [SourceFailure] {
        let name = source.target.name
        do {
            // A Service missing from the dump says nothing about its nodes: the next full refresh maps it again.
            for (id, upstream) in try await source.discoveryUpstreams(ids, state: state) where upstream.nodes != nil {
                await tracker.apisixFetched(target: name, id: id, upstream: upstream, at: clock.now())
            }
            return []
        } catch {
            if Task.isCancelled { return [] }  // stopping, not a failure of APISIX
            await tracker.apisixFailed(target: name, error, at: clock.now())
            return [error]
        }
    }

    /// Fetches the given upstreams, `fastPollBatch` at a time (pipelined on the client's keep-alive connections);
    /// answers unchanged since the last refresh (same `modifiedIndex`) reuse its objects. Returns the failed
    /// requests' failures.
    private func fastPoll(_ ids: [String], reusing previous: [String: APISIXUpstream]) async -> [SourceFailure] {
        let name = source.target.name
        let clock = self.clock
        var allFailures: [SourceFailure] = []
        var start = 0
        while start < ids.count {
            let batch = Array(ids[start..<min(start + Self.fastPollBatch, ids.count)])
            start += batch.count
            let results = await source.upstreamsInUse(ids: batch, reusing: previous, now: { clock.now() })
            if Task.isCancelled { return [] }  // stopping, not a failure of APISIX
            var fetched: [(id: String, upstream: APISIXUpstream?, at: Timestamp)] = []
            fetched.reserveCapacity(results.count)
            var failures: [SourceFailure] = []
            for (id, result) in results {
                switch result {
                case .success(let answer): fetched.append((id, answer.upstream, answer.at))
                case .failure(let failure): failures.append(failure)
                }
            }
            await tracker.apisixFetched(target: name, fetched)
            for failure in failures {
                await tracker.apisixFailed(target: name, failure, at: clock.now())
            }
            allFailures += failures
        }
        return allFailures
    }
}
