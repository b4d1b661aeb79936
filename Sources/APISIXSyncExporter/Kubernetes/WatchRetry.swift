/// What a list-and-watch loop does after a failure, as client-go's reflector does: an expired resourceVersion (410)
/// means a relist, at once the first time in a row (no server trouble, and the gap stays short); anything else, or a
/// 410 again, waits the server's `Retry-After` or a capped exponential backoff. Pure: the caller sleeps.
struct WatchRetry: Sendable {
    /// What to do before the next attempt.
    struct Step: Equatable, Sendable {
        /// The resourceVersion expired: list again instead of resuming the watch.
        var relist: Bool
        /// Seconds to wait first; 0 means at once.
        var delay: Double
    }

    private var backoff = Backoff(initial: 0.5, maximum: 30)
    private var lastFailureExpired = false

    /// A list succeeded or a watch ended normally: the next failure starts over.
    mutating func succeeded() {
        backoff.reset()
        lastFailureExpired = false
    }

    /// The step after `failure`.
    mutating func step<G: RandomNumberGenerator>(after failure: SourceFailure, using generator: inout G) -> Step {
        let expired = failure.reason == .expired
        defer { lastFailureExpired = expired }
        if expired, !lastFailureExpired, failure.retryAfter == nil { return Step(relist: true, delay: 0) }
        return Step(relist: expired, delay: failure.retryAfter ?? backoff.next(using: &generator))
    }

    /// ``step(after:using:)`` with the system random number generator.
    mutating func step(after failure: SourceFailure) -> Step {
        var generator = SystemRandomNumberGenerator()
        return step(after: failure, using: &generator)
    }
}
