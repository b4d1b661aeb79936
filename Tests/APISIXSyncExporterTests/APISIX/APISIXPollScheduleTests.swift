import SimulatedCluster
import Testing

@testable import APISIXSyncExporter

/// The poller's decisions, from timestamps only. Jitter comes from generators that always draw the lowest or the
/// highest delay, so every expected time is exact.
@Suite struct APISIXPollScheduleTests {
    /// Draws the lowest value: every backoff delay is half its ceiling. (1, not 0: the standard library's unbiased
    /// bounded draw rejects 0 forever.)
    struct Lowest: RandomNumberGenerator {
        mutating func next() -> UInt64 { 1 }
    }

    /// Draws all ones: every backoff delay is its full ceiling.
    struct Highest: RandomNumberGenerator {
        mutating func next() -> UInt64 { .max }
    }

    static let epsilon = 1e-9

    /// A schedule (poll 5 s, fast poll 0.1 s) whose last full refresh started at 100 and succeeded at 100.2.
    static func healthy() -> APISIXPollSchedule {
        var schedule = APISIXPollSchedule(pollInterval: 5, fastPollInterval: 0.1)
        var lowest = Lowest()
        schedule.record(.success, of: .fullRefresh, started: 100, at: 100.2, hasPendingWork: false, using: &lowest)
        return schedule
    }

    /// Records failed full refreshes without pending work until the next one waits at least `delay`; returns the time
    /// of the last failure.
    static func failUntilLongBackoff(
        _ schedule: inout APISIXPollSchedule,
        from start: Timestamp,
        delay: Double
    ) -> Timestamp {
        var lowest = Lowest()
        var now = start
        for _ in 0..<20 {
            #expect(schedule.action(at: now, hasPendingWork: false) == .fullRefresh)
            schedule.record(
                .failure(retryAfter: nil),
                of: .fullRefresh,
                started: now,
                at: now,
                hasPendingWork: false,
                using: &lowest
            )
            if schedule.nextFullRefresh - now >= delay { return now }
            now = schedule.nextFullRefresh
        }
        Issue.record("the backoff never reached \(delay) s")
        return now
    }

    // MARK: Without pending work

    @Test func aNewScheduleRefreshesAtOnce() {
        let schedule = APISIXPollSchedule(pollInterval: 5, fastPollInterval: 0.1)
        #expect(schedule.action(at: 0, hasPendingWork: false) == .fullRefresh)
        #expect(schedule.action(at: 1_700_000_000, hasPendingWork: true) == .fullRefresh)
    }

    @Test(
        arguments: [
            (100.2, false, .wait), (104.99, false, .wait), (105, false, .fullRefresh), (200, true, .fullRefresh),
            (100.2, true, .pollPending), (100.1, true, .pollPending), (100.05, true, .wait),
        ] as [(Timestamp, Bool, APISIXPollSchedule.Action)]
    )
    func afterASuccessfulRefresh(now: Timestamp, pending: Bool, expected: APISIXPollSchedule.Action) {
        #expect(Self.healthy().action(at: now, hasPendingWork: pending) == expected)
    }

    /// The poller wakes when something is due, and at least every fast-poll interval to ask about pending work.
    @Test(
        arguments: [
            (100.2, false, 100.3), (104.95, false, 105), (100.05, true, 100.1), (100.2, true, 100.1),
        ] as [(Timestamp, Bool, Timestamp)]
    )
    func wakesWhenDueAndAtLeastEveryFastPollInterval(now: Timestamp, pending: Bool, expected: Timestamp) {
        #expect(abs(Self.healthy().wake(at: now, hasPendingWork: pending) - expected) < Self.epsilon)
    }

    @Test func aFastPollStartsTheNextFastPollInterval() {
        var schedule = Self.healthy()
        var lowest = Lowest()
        schedule.record(.success, of: .pollPending, started: 101, at: 101.03, hasPendingWork: true, using: &lowest)
        #expect(schedule.action(at: 101.05, hasPendingWork: true) == .wait)
        #expect(abs(schedule.wake(at: 101.05, hasPendingWork: true) - 101.1) < Self.epsilon)
        #expect(schedule.action(at: 101.1, hasPendingWork: true) == .pollPending)
        #expect(schedule.nextFullRefresh == 105)
    }

    @Test func aChangedConfigurationIsReadAtOnce() {
        var schedule = Self.healthy()
        schedule.requestFullRefresh()
        #expect(schedule.action(at: 100.3, hasPendingWork: true) == .fullRefresh)
        #expect(schedule.wake(at: 100.3, hasPendingWork: false) <= 100.3)
    }

    /// Failed refreshes back off from max(0.25, fast poll) to 6 poll intervals, half fixed and half jitter.
    @Test(
        arguments: [
            (5.0, 0.1, false, [0.125, 0.25, 0.5, 1, 2, 4, 8, 15, 15]),
            (5.0, 0.1, true, [0.25, 0.5, 1, 2, 4, 8, 16, 30, 30]),
            (1.0, 0.5, false, [0.25, 0.5, 1, 2, 3, 3]),
            (0.5, 0.1, true, [0.25, 0.5, 1, 2, 4, 6, 6]),
        ]
    )
    func failedRefreshesWithoutPendingWorkBackOffAsBefore(poll: Double, fastPoll: Double, high: Bool, delays: [Double])
    {
        var schedule = APISIXPollSchedule(pollInterval: poll, fastPollInterval: fastPoll)
        var lowest = Lowest()
        var highest = Highest()
        var now = 1000.0
        for expected in delays {
            #expect(schedule.action(at: now, hasPendingWork: false) == .fullRefresh)
            if high {
                schedule.record(
                    .failure(retryAfter: nil),
                    of: .fullRefresh,
                    started: now - 1,
                    at: now,
                    hasPendingWork: false,
                    using: &highest
                )
            } else {
                schedule.record(
                    .failure(retryAfter: nil),
                    of: .fullRefresh,
                    started: now - 1,
                    at: now,
                    hasPendingWork: false,
                    using: &lowest
                )
            }
            #expect(abs(schedule.nextFullRefresh - now - expected) < Self.epsilon)
            // Nothing happens until then, but the poller still looks for pending work every fast-poll interval.
            let early = now + expected / 2
            #expect(schedule.action(at: early, hasPendingWork: false) == .wait)
            #expect(schedule.wake(at: early, hasPendingWork: false) <= early + fastPoll + Self.epsilon)
            now = schedule.nextFullRefresh
        }
        #expect(schedule.isFailing)
    }

    // MARK: Retry-After

    /// A Retry-After replaces the backoff: up to 300 s for the full refresh, up to 10 s while work is pending.
    @Test(
        arguments: [
            (APISIXPollSchedule.Action.fullRefresh, 30.0, false, 30.0, 10.0),
            (.fullRefresh, 30, true, 30, 10),
            (.fullRefresh, 1000, false, 300, 10),
            (.fullRefresh, 5, true, 5, 5),
            (.fullRefresh, 0, true, 0, 0),
            (.pollPending, 30, true, 30, 10),
            (.pollPending, 7, true, 7, 7),
            (.pollPending, 1000, true, 300, 10),
        ]
    )
    func retryAfterIsHonouredWithinItsBounds(
        action: APISIXPollSchedule.Action,
        retryAfter: Double,
        pending: Bool,
        fullDelay: Double,
        pendingDelay: Double
    ) {
        var schedule = Self.healthy()
        var lowest = Lowest()
        let now = action == .fullRefresh ? 105.5 : 101.5
        schedule.record(
            .failure(retryAfter: retryAfter),
            of: action,
            started: now - 0.5,
            at: now,
            hasPendingWork: pending,
            using: &lowest
        )
        #expect(schedule.nextFullRefresh == now + fullDelay)
        #expect(schedule.nextPendingPoll == now + pendingDelay)
        // With pending work, the next request is the pending poll at the bound; without, the full refresh.
        let (first, firstAt) =
            pendingDelay < fullDelay
            ? (APISIXPollSchedule.Action.pollPending, now + pendingDelay) : (.fullRefresh, now + fullDelay)
        if firstAt > now {
            #expect(schedule.action(at: firstAt - 0.01, hasPendingWork: true) == .wait)
        }
        #expect(schedule.action(at: firstAt, hasPendingWork: true) == first)
        if fullDelay > 0 {
            #expect(schedule.action(at: now + fullDelay - 0.01, hasPendingWork: false) == .wait)
        }
        #expect(schedule.action(at: now + fullDelay, hasPendingWork: false) == .fullRefresh)
    }

    @Test func theBoundForPendingWorkIsTenSeconds() {
        #expect(APISIXPollSchedule.maximumPendingRetryAfter == 10)
        #expect(APISIXPollSchedule.maximumPendingRetryAfter < SourceFailure.maximumRetryAfter)
    }

    // MARK: Pending work while failing

    /// Fast polls that fail back off from the fast-poll interval to 1 s, never longer.
    @Test(
        arguments: [
            (0.1, false, [0.05, 0.1, 0.2, 0.4, 0.5, 0.5]),
            (0.1, true, [0.1, 0.2, 0.4, 0.8, 1, 1]),
            (0.05, true, [0.05, 0.1, 0.2, 0.4, 0.8, 1, 1]),
            (2.0, true, [1, 1]),
        ]
    )
    func failingFastPollsAreRetriedAtLeastEverySecond(fastPoll: Double, high: Bool, delays: [Double]) {
        var schedule = APISIXPollSchedule(pollInterval: 5, fastPollInterval: fastPoll)
        var lowest = Lowest()
        var highest = Highest()
        schedule.record(.success, of: .fullRefresh, started: 100, at: 100, hasPendingWork: false, using: &lowest)
        var now = 100 + fastPoll
        for expected in delays {
            #expect(schedule.action(at: now, hasPendingWork: true) == .pollPending)
            if high {
                schedule.record(
                    .failure(retryAfter: nil),
                    of: .pollPending,
                    started: now,
                    at: now,
                    hasPendingWork: true,
                    using: &highest
                )
            } else {
                schedule.record(
                    .failure(retryAfter: nil),
                    of: .pollPending,
                    started: now,
                    at: now,
                    hasPendingWork: true,
                    using: &lowest
                )
            }
            #expect(abs(schedule.nextPendingPoll - now - expected) < Self.epsilon)
            let wake = min(schedule.nextPendingPoll, now + fastPoll)
            #expect(abs(schedule.wake(at: now, hasPendingWork: true) - wake) < Self.epsilon)
            now = schedule.nextPendingPoll
        }
    }

    /// A full refresh that fails while work is pending is followed by a fast poll within a second, even when the
    /// refresh backoff has grown long.
    @Test func aFailedRefreshWithPendingWorkIsRetriedWithinASecond() {
        var schedule = Self.healthy()
        var highest = Highest()
        let last = Self.failUntilLongBackoff(&schedule, from: 105, delay: 15)
        let now = schedule.nextFullRefresh
        #expect(schedule.action(at: now, hasPendingWork: true) == .fullRefresh)
        schedule.record(
            .failure(retryAfter: nil),
            of: .fullRefresh,
            started: now,
            at: now,
            hasPendingWork: true,
            using: &highest
        )
        #expect(schedule.nextFullRefresh - now == 30)
        #expect(schedule.nextPendingPoll - now <= 1)
        #expect(schedule.action(at: schedule.nextPendingPoll, hasPendingWork: true) == .pollPending)
        #expect(last < now)
    }

    /// Pending work that appears while a long backoff holds the full refresh back is polled at the next wake, which
    /// is at most one fast-poll interval away.
    @Test(arguments: [0.0, 0.01, 0.5, 2, 14.5])
    func pendingWorkAppearingDuringALongBackoffIsPolledWithinOneFastPollInterval(after: Double) {
        var schedule = Self.healthy()
        let failed = Self.failUntilLongBackoff(&schedule, from: 105, delay: 15)
        // The poller wakes in fast-poll slices; pending work appears `after` seconds into the backoff.
        var now = failed
        while now < failed + after {
            #expect(schedule.action(at: now, hasPendingWork: false) == .wait)
            let wake = schedule.wake(at: now, hasPendingWork: false)
            #expect(wake > now && wake <= now + 0.1 + Self.epsilon)
            now = wake
        }
        #expect(now - (failed + after) <= 0.1 + Self.epsilon)
        #expect(schedule.action(at: now, hasPendingWork: true) == .pollPending)
    }

    @Test func aRetryAfterStillHoldsBackPendingWorkThatAppearsLaterUpToTenSeconds() {
        var schedule = Self.healthy()
        var lowest = Lowest()
        schedule.record(
            .failure(retryAfter: 60),
            of: .fullRefresh,
            started: 105,
            at: 105,
            hasPendingWork: false,
            using: &lowest
        )
        #expect(schedule.action(at: 107, hasPendingWork: true) == .wait)
        #expect(schedule.wake(at: 107, hasPendingWork: true) <= 107.1 + Self.epsilon)
        #expect(schedule.action(at: 115, hasPendingWork: true) == .pollPending)
        #expect(schedule.action(at: 115, hasPendingWork: false) == .wait)
        #expect(schedule.action(at: 165, hasPendingWork: false) == .fullRefresh)
    }

    // MARK: Recovery

    /// The first success after an outage resets both backoffs, whichever request it was.
    @Test(arguments: [APISIXPollSchedule.Action.fullRefresh, .pollPending])
    func recoveryResetsBothBackoffs(recoveredBy action: APISIXPollSchedule.Action) {
        var schedule = Self.healthy()
        var lowest = Lowest()
        var now = Self.failUntilLongBackoff(&schedule, from: 105, delay: 15)
        for _ in 0..<6 {
            now = schedule.nextPendingPoll > now ? schedule.nextPendingPoll : now + 0.1
            #expect(schedule.action(at: now, hasPendingWork: true) == .pollPending)
            schedule.record(
                .failure(retryAfter: nil),
                of: .pollPending,
                started: now,
                at: now,
                hasPendingWork: true,
                using: &lowest
            )
        }
        #expect(abs(schedule.nextPendingPoll - now - 0.5) < Self.epsilon)
        now = action == .fullRefresh ? schedule.nextFullRefresh : schedule.nextPendingPoll
        #expect(schedule.action(at: now, hasPendingWork: true) == action)
        schedule.record(.success, of: action, started: now, at: now + 0.02, hasPendingWork: true, using: &lowest)
        #expect(!schedule.isFailing)
        // A full refresh comes within a poll interval, also when a fast poll brought the target back.
        #expect(schedule.nextFullRefresh <= now + 0.02 + 5)
        #expect(schedule.nextPendingPoll == now + 0.1)

        // The next outage starts from the first delays again.
        now += 0.1
        schedule.record(
            .failure(retryAfter: nil),
            of: .pollPending,
            started: now,
            at: now,
            hasPendingWork: true,
            using: &lowest
        )
        #expect(abs(schedule.nextPendingPoll - now - 0.05) < Self.epsilon)
        now = schedule.nextFullRefresh
        schedule.record(
            .failure(retryAfter: nil),
            of: .fullRefresh,
            started: now,
            at: now,
            hasPendingWork: false,
            using: &lowest
        )
        #expect(abs(schedule.nextFullRefresh - now - 0.125) < Self.epsilon)
    }

    @Test func recoveryAfterALongRetryAfterBringsTheFullRefreshBackToItsPace() {
        var schedule = Self.healthy()
        var lowest = Lowest()
        schedule.record(
            .failure(retryAfter: 300),
            of: .fullRefresh,
            started: 105,
            at: 105,
            hasPendingWork: true,
            using: &lowest
        )
        #expect(schedule.action(at: 115, hasPendingWork: true) == .pollPending)
        schedule.record(.success, of: .pollPending, started: 115, at: 115.01, hasPendingWork: true, using: &lowest)
        #expect(abs(schedule.nextFullRefresh - 120.01) < Self.epsilon)
    }

    // MARK: Invariants

    /// A random walk over outcomes, pending work and timing: the poller never spins (a wait always ends later), and
    /// while work is pending and no Retry-After holds it back, no more than a second passes after a request ends
    /// before the next one.
    @Test(arguments: [1, 2, 3, 42] as [UInt64])
    func randomWalk(seed: UInt64) {
        var random = SeededGenerator(seed: seed)
        var schedule = APISIXPollSchedule(pollInterval: 5, fastPollInterval: 0.1)
        var now = 1000.0
        var lastRequest = now
        var retryAfterUntil = -Double.infinity
        for _ in 0..<5000 {
            let pending = Int.random(in: 0..<4, using: &random) > 0
            let action = schedule.action(at: now, hasPendingWork: pending)
            if action == .wait {
                let wake = schedule.wake(at: now, hasPendingWork: pending)
                #expect(wake > now)
                #expect(wake <= now + 0.1 + Self.epsilon)
                if pending && now >= retryAfterUntil { #expect(now - lastRequest <= 1 + Self.epsilon) }
                now = wake
                continue
            }
            let duration = Double.random(in: 0...0.05, using: &random)
            let outcome: APISIXPollSchedule.Outcome
            switch Int.random(in: 0..<10, using: &random) {
            case 0..<4: outcome = .success
            case 4: outcome = .failure(retryAfter: Double(Int.random(in: 0...40, using: &random)))
            default: outcome = .failure(retryAfter: nil)
            }
            if case .failure(let retryAfter?) = outcome {
                retryAfterUntil = now + duration + min(retryAfter, APISIXPollSchedule.maximumPendingRetryAfter)
            }
            schedule.record(
                outcome,
                of: action,
                started: now,
                at: now + duration,
                hasPendingWork: pending,
                using: &random
            )
            now += duration
            lastRequest = now
        }
    }
}
