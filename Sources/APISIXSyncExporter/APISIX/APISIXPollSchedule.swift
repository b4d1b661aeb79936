/// When an ``APISIXPoller`` reads its target, and what it reads: pure decisions from timestamps, owned by the poller.
///
/// - A full refresh every `pollInterval`. When one fails, the next waits a capped exponential backoff (from
///   `max(0.25, fastPollInterval)` to `pollInterval * 6`, with jitter) or the server's `Retry-After` (capped at
///   ``SourceFailure/maximumRetryAfter``).
/// - While the target has pending work (Kubernetes changes it has not reflected yet), the upstreams involved every
///   `fastPollInterval`. While it also fails, they are retried at least every second (a backoff from
///   `fastPollInterval` to 1 s), or after its `Retry-After` up to ``maximumPendingRetryAfter``: a change is then looked
///   at soon after the target is back, not at the end of a long backoff. Pending work that appears during a long
///   backoff is looked at within one fast-poll interval (unless a `Retry-After` still holds it back).
/// - The first success after failures resets both backoffs, and a full refresh follows within `pollInterval`.
///
/// The poller wakes at least every `fastPollInterval` (``wake(at:hasPendingWork:)``) and asks the tracker whether
/// work is pending; with a few targets, that costs a few actor calls per interval.
public struct APISIXPollSchedule: Sendable {
    /// What the poller does now.
    public enum Action: Sendable, Hashable {
        /// List every upstream.
        case fullRefresh
        /// Fetch the upstreams with pending work.
        case pollPending
        /// Nothing is due: sleep until ``APISIXPollSchedule/wake(at:hasPendingWork:)``.
        case wait
    }

    /// How an attempt ended.
    public enum Outcome: Sendable, Hashable {
        case success
        /// The target failed; `retryAfter` is the server's `Retry-After` in seconds, if it sent one.
        case failure(retryAfter: Double?)
    }

    /// The longest `Retry-After` honoured while the target has pending work. A longer one is cut to this: a change
    /// that waits longer than `--change-timeout` meanwhile ends as a timeout (censored by the lag engine), it is not
    /// lost, and when the target is back its changes are looked at within this bound rather than minutes later.
    public static let maximumPendingRetryAfter: Double = 10

    /// The longest wait between retries while the target has pending work and fails without a `Retry-After`.
    public static let maximumPendingBackoff: Double = 1

    public let pollInterval: Double
    public let fastPollInterval: Double
    /// When the next full refresh is due: `pollInterval` after the last successful one started, or the retry time
    /// after a failure.
    public private(set) var nextFullRefresh: Timestamp = -.infinity
    /// When pending work is next polled: `fastPollInterval` after the last attempt started, or the retry time after a
    /// failure.
    public private(set) var nextPendingPoll: Timestamp = -.infinity
    /// Whether the last attempt failed.
    public private(set) var isFailing = false
    private var refreshBackoff: Backoff
    private var pendingBackoff: Backoff

    public init(pollInterval: Double, fastPollInterval: Double) {
        self.pollInterval = pollInterval
        self.fastPollInterval = fastPollInterval
        refreshBackoff = Backoff(initial: max(0.25, fastPollInterval), maximum: max(pollInterval, 1) * 6)
        pendingBackoff = Backoff(
            initial: min(fastPollInterval, Self.maximumPendingBackoff),
            maximum: Self.maximumPendingBackoff
        )
    }

    /// What to do at `now`, given whether the target has pending work.
    public func action(at now: Timestamp, hasPendingWork: Bool) -> Action {
        if now >= nextFullRefresh { return .fullRefresh }
        if hasPendingWork && now >= nextPendingPoll { return .pollPending }
        return .wait
    }

    /// When to wake next after `now` (with `hasPendingWork` as last seen): when something is due, and never later
    /// than one fast-poll interval, so that pending work that appears meanwhile is seen within one interval. Later
    /// than `now` whenever ``action(at:hasPendingWork:)`` is ``Action/wait``.
    public func wake(at now: Timestamp, hasPendingWork: Bool) -> Timestamp {
        var wake = min(nextFullRefresh, now + max(fastPollInterval, 0.001))
        if hasPendingWork { wake = min(wake, nextPendingPoll) }
        return wake
    }

    /// Records how an attempt that started at `started` ended at `now`, and schedules what follows: `hasPendingWork`
    /// says whether the target had pending work when it started (a failed full refresh without any does not start the
    /// pending backoff, so pending work that appears during its backoff is polled at once). `generator` draws the
    /// jitter.
    public mutating func record<G: RandomNumberGenerator>(
        _ outcome: Outcome,
        of action: Action,
        started: Timestamp,
        at now: Timestamp,
        hasPendingWork: Bool,
        using generator: inout G
    ) {
        switch (outcome, action) {
        case (_, .wait):
            return
        case (.success, _):
            if isFailing {
                // Recovered: both backoffs start over, and a full refresh postponed by one comes at the normal pace.
                isFailing = false
                refreshBackoff.reset()
                pendingBackoff.reset()
                nextFullRefresh = min(nextFullRefresh, now + pollInterval)
            }
            if action == .fullRefresh { nextFullRefresh = started + pollInterval }
            nextPendingPoll = started + fastPollInterval
        case (.failure(let retryAfter), _):
            isFailing = true
            let retryAfter = retryAfter.map { max(0, $0) }
            if action == .fullRefresh {
                let delay = retryAfter.map { min($0, SourceFailure.maximumRetryAfter) }
                nextFullRefresh = now + (delay ?? refreshBackoff.next(using: &generator))
            } else if let retryAfter {
                // The server asked everyone to wait: the full refresh waits too (fast polls, at most 10 s).
                nextFullRefresh = max(nextFullRefresh, now + min(retryAfter, SourceFailure.maximumRetryAfter))
            }
            let pendingRetryAfter = retryAfter.map { min($0, Self.maximumPendingRetryAfter) }
            if action == .pollPending || hasPendingWork {
                nextPendingPoll = now + (pendingRetryAfter ?? pendingBackoff.next(using: &generator))
            } else {
                nextPendingPoll = now + (pendingRetryAfter ?? 0)
            }
        }
    }

    /// ``record(_:of:started:at:hasPendingWork:using:)`` with the system's random number generator.
    public mutating func record(
        _ outcome: Outcome,
        of action: Action,
        started: Timestamp,
        at now: Timestamp,
        hasPendingWork: Bool
    ) {
        var generator = SystemRandomNumberGenerator()
        record(outcome, of: action, started: started, at: now, hasPendingWork: hasPendingWork, using: &generator)
    }

    /// Makes a full refresh due at once (a cheap check found the target's configuration changed).
    public mutating func requestFullRefresh() {
        nextFullRefresh = -.infinity
    }
}
