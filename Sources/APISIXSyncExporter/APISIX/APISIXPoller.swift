import Logging
import ServiceLifecycle

/// Polls one APISIX target: a full upstream list every `pollInterval`, and, while changes are pending, only the
/// upstreams involved every `fastPollInterval`. The load on APISIX grows with the number of changes, not upstreams.
public struct APISIXPoller: Service {
    let client: APISIXAdminClient
    let tracker: SyncTracker
    let clock: any WallClock
    let pollInterval: Double
    let fastPollInterval: Double
    let logger: Logger
    /// At most this many single-upstream GETs run at once per target.
    static let fastPollConcurrency = 8

    public init(
        client: APISIXAdminClient,
        tracker: SyncTracker,
        clock: any WallClock,
        pollInterval: Double,
        fastPollInterval: Double,
        logger: Logger
    ) {
        self.client = client
        self.tracker = tracker
        self.clock = clock
        self.pollInterval = pollInterval
        self.fastPollInterval = fastPollInterval
        self.logger = logger
    }

    public func run() async throws {
        try await cancelWhenGracefulShutdown {
            try await loop()
        }
    }

    private func loop() async throws {
        let name = client.target.name
        var nextFullRefresh = 0.0
        var backoff = Backoff(initial: max(0.25, fastPollInterval), maximum: max(pollInterval, 1) * 6)
        while !Task.isCancelled {
            let started = clock.now()
            if started >= nextFullRefresh {
                do {
                    let upstreams = try await client.listUpstreams()
                    await tracker.apisixRefreshed(target: name, upstreams: upstreams, at: clock.now())
                    nextFullRefresh = started + pollInterval
                    backoff.reset()
                } catch {
                    await tracker.apisixFailed(target: name, error, at: clock.now())
                    let delay = error.retryAfter ?? backoff.next()
                    nextFullRefresh = clock.now() + delay
                    await tracker.tick(at: clock.now())
                    try await Task.sleep(seconds: delay)
                    continue
                }
            } else {
                let ids = await tracker.pendingUpstreams(target: name)
                if !ids.isEmpty { await fastPoll(ids) }
            }
            let now = clock.now()
            await tracker.tick(at: now)
            let pending = await !tracker.pendingUpstreams(target: name).isEmpty
            let wake =
                pending
                ? min(started + fastPollInterval, nextFullRefresh) : min(nextFullRefresh, now + fastPollInterval)
            try await Task.sleep(seconds: max(0, wake - clock.now()))
        }
    }

    private func fastPoll(_ ids: [String]) async {
        let name = client.target.name
        await withTaskGroup(of: Void.self) { group in
            var running = 0
            for id in ids {
                if running >= Self.fastPollConcurrency {
                    await group.next()
                    running -= 1
                }
                running += 1
                group.addTask {
                    do {
                        let upstream = try await client.upstream(id: id)
                        await tracker.apisixFetched(target: name, id: id, upstream: upstream, at: clock.now())
                    } catch {
                        await tracker.apisixFailed(target: name, SourceFailure.classify(error), at: clock.now())
                    }
                }
            }
        }
    }
}
