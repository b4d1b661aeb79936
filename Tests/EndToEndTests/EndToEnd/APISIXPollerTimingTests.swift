import Foundation
import Logging
import SimulatedCluster
import TestSupport
import Testing

@testable import APISIXSyncExporter

/// The poller's timing after failures, on a manual clock against the fake Admin API: a tracker fed directly, one
/// poller, and a test that moves time from one wake of the poller to the next. Nothing waits in real time: each step
/// advances the clock to the poller's deadline and awaits the poller's next sleep, by which its requests are counted.
@Suite(.serialized, .timeLimit(.minutes(2))) struct APISIXPollerTimingTests {
    /// A running poller of one fake APISIX, with the tracker it feeds and the clock it waits on.
    final class Rig: Sendable {
        let apisix: FakeAPISIXAdmin
        let tracker: SyncTracker
        let clock: ManualWallClock
        let target: String
        let poller: APISIXPoller
        let task: Task<Void, any Error>

        /// Starts the fake with upstream `shop_web_80` on pods 1 and 2, a tracker that listed the same, and a poller
        /// (poll 5 s, fast poll 0.1 s); returns after the first full refresh, with the poller asleep.
        static func start() async throws -> Rig {
            let apisix = FakeAPISIXAdmin(configuration: .init(apiKey: ExporterHarness.apiKey))
            try await apisix.start()
            apisix.putUpstream(Cluster.upstream(nodes: [1, 2]))
            var settings = ExporterSettings()
            settings.apisix.adminURLs = [apisix.baseURL]
            settings.apisix.client.adminKey = ExporterHarness.apiKey
            settings.polling.pollInterval = 5
            settings.polling.fastPollInterval = 0.1
            let targets = settings.apisix.adminURLs.compactMap(APISIXTarget.init(adminURL:))
            let target = try #require(targets.first)
            var logger = Logger(label: "poller-timing")
            logger.logLevel = .critical
            let tracker = SyncTracker(
                settings: settings.tracker,
                targets: targets,
                metrics: ExporterMetrics(resolution: 0.1),
                logger: logger
            )
            let clock = ManualWallClock(now: 1_000_000)
            await tracker.kubernetesListed([slice(ready: [1, 2])], namespace: nil, at: clock.now())
            let poller = APISIXPoller(
                target: target,
                client: settings.apisix.client,
                polling: settings.polling,
                tracker: tracker,
                clock: clock,
                logger: logger
            )
            let task = Task { try await poller.run() }
            let rig = Rig(apisix, tracker, clock, target.name, poller, task)
            try await clock.waitForSleepers(count: 1)
            #expect(apisix.statistics.listRequests == 1)
            return rig
        }

        private init(
            _ apisix: FakeAPISIXAdmin,
            _ tracker: SyncTracker,
            _ clock: ManualWallClock,
            _ target: String,
            _ poller: APISIXPoller,
            _ task: Task<Void, any Error>
        ) {
            self.apisix = apisix
            self.tracker = tracker
            self.clock = clock
            self.target = target
            self.poller = poller
            self.task = task
        }

        /// Runs `body` with a started rig and stops it after, whatever happens.
        static func run(_ body: (Rig) async throws -> Void) async throws {
            let rig = try await start()
            do {
                try await body(rig)
            } catch {
                await rig.stop()
                throw error
            }
            await rig.stop()
        }

        func stop() async {
            task.cancel()
            _ = await task.result
            poller.source.shutdown()
            await apisix.stop()
        }

        /// The exporter's model of Service `web`'s slice with the given pods ready.
        static func slice(ready: [Int]) -> EndpointSlice {
            EndpointSlice(
                metadata: .init(name: "web-a", namespace: "shop", labels: [EndpointSlice.serviceNameLabel: "web"]),
                endpoints: ready.map { .init(addresses: [Cluster.ip($0)], conditions: .init(ready: true)) },
                ports: [.init(name: "http", port: 8080)]
            )
        }

        /// Pod 3 becomes ready now: a change APISIX does not reflect, pending for the target.
        func startPendingChange() async {
            await tracker.kubernetesEvent(.modified(Self.slice(ready: [1, 2, 3])), at: clock.now())
            #expect(await !tracker.pendingUpstreams(target: target).isEmpty)
        }

        /// Admin API requests answered so far (lists and single upstreams).
        var requests: Int {
            let statistics = apisix.statistics
            return statistics.listRequests + statistics.totalSingleRequests
        }

        /// Advances to the poller's wake and returns once it sleeps again (everything it did is done).
        func step() async throws {
            let deadline = try #require(clock.nextDeadline)
            clock.advance(to: deadline)
            try await clock.waitForSleepers(count: 1)
        }

        /// Steps until the poller has sent a request, at most `limit` seconds of manual time; returns the time it was
        /// sent (the wake that sent it).
        @discardableResult
        func stepUntilRequest(within limit: Double) async throws -> Timestamp {
            let start = clock.now()
            let before = requests
            while clock.now() - start <= limit + 1e-6 {
                try await step()
                if requests > before { return clock.now() }
            }
            Issue.record("no request within \(limit) s after \(start)")
            return clock.now()
        }

        /// Fails every request with 503 from now and steps until the gap between two failed requests is at least
        /// `gap` (the backoff has grown); returns the time of the last one.
        func failUntilBackoff(_ gap: Double) async throws -> Timestamp {
            try await apisix.setFault(.status(503))
            var last = try await stepUntilRequest(within: 60)
            for _ in 0..<30 {
                let next = try await stepUntilRequest(within: 60)
                defer { last = next }
                if next - last >= gap { return next }
            }
            Issue.record("the gap between retries never reached \(gap) s")
            return last
        }
    }

    @Test func aFailingTargetWithPendingChangesIsRetriedWithinASecond() async throws {
        try await Rig.run { rig in
            await rig.startPendingChange()
            try await rig.apisix.setFault(.status(503))
            let start = try await rig.stepUntilRequest(within: 0.1)
            let requests = rig.requests
            var last = start
            var gaps: [Double] = []
            // Fast polls and full refreshes fail for 20 s: never a second without a request.
            while last - start < 20 {
                let next = try await rig.stepUntilRequest(within: 1)
                gaps.append(next - last)
                last = next
            }
            #expect(gaps.allSatisfy { $0 <= 1 + 1e-6 }, "\(gaps)")
            // The fast polls backed off towards 1 s rather than hammering APISIX every fast-poll interval (200 times).
            #expect(rig.requests - requests < 50, "\(gaps)")
            #expect(rig.apisix.statistics.totalSingleRequests >= 15)
            #expect(await !rig.tracker.pendingUpstreams(target: rig.target).isEmpty)
        }
    }

    /// A Retry-After of 30 s is honoured in full without pending work, and up to 10 s with it.
    @Test(arguments: [(false, 30.0), (true, APISIXPollSchedule.maximumPendingRetryAfter)])
    func retryAfter(pending: Bool, expectedGap: Double) async throws {
        try await Rig.run { rig in
            if pending { await rig.startPendingChange() }
            try await rig.apisix.setFault(.throttled(503, retryAfterSeconds: 30))
            // Without pending work, the first request is the next full refresh; with it, the next fast poll.
            var last = try await rig.stepUntilRequest(within: 5)
            for _ in 0..<2 {
                let next = try await rig.stepUntilRequest(within: 40)
                #expect(abs(next - last - expectedGap) < 1e-6, "\(next - last)")
                last = next
            }
            #expect(rig.apisix.statistics.faultedRequests == 3)
        }
    }

    @Test func pendingWorkAppearingDuringALongBackoffIsPolledWithinOneFastPollInterval() async throws {
        try await Rig.run { rig in
            _ = try await rig.failUntilBackoff(4)  // the next full refresh waits at least as long
            let before = rig.requests
            try await rig.step()
            #expect(rig.requests == before)
            await rig.startPendingChange()
            let changed = rig.clock.now()
            let singles = rig.apisix.statistics.totalSingleRequests
            let polled = try await rig.stepUntilRequest(within: 0.1)
            #expect(polled - changed <= 0.1 + 1e-6)
            #expect(rig.apisix.statistics.totalSingleRequests == singles + 1)
        }
    }

    /// After an outage long enough for the backoff to grow, the first success resets it: the next failure is retried
    /// after the first delay again (refreshes: at most 0.25 s; fast polls with pending work: at most 0.1 s).
    @Test(arguments: [(false, 4.0, 0.25), (true, 0.4, 0.1)])
    func theFirstSuccessAfterAnOutageResetsTheBackoff(pending: Bool, grown: Double, firstDelay: Double) async throws {
        try await Rig.run { rig in
            if pending { await rig.startPendingChange() }
            _ = try await rig.failUntilBackoff(grown)
            try await rig.apisix.setFault(.none)
            let faulted = rig.apisix.statistics.faultedRequests
            try await rig.stepUntilRequest(within: 60)
            #expect(rig.apisix.statistics.faultedRequests == faulted)  // the target is back
            try await rig.apisix.setFault(.status(503))
            let failed = try await rig.stepUntilRequest(within: 5)
            #expect(rig.apisix.statistics.faultedRequests == faulted + 1)
            let retried = try await rig.stepUntilRequest(within: 1)
            #expect(retried - failed <= firstDelay + 1e-6, "\(retried - failed)")
        }
    }
}
