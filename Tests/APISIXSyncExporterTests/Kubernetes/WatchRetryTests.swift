import Testing

@testable import APISIXSyncExporter

/// The retry policy of the list-and-watch loops: a first 410 relists at once, a second waits; Retry-After wins over
/// the backoff; the backoff grows until a success resets it.
struct WatchRetryTests {
    /// Always the largest jitter: each backoff delay is its ceiling (0.5, 1, 2, … 30 s).
    struct Highest: RandomNumberGenerator {
        mutating func next() -> UInt64 { .max }
    }

    /// Whether a step relists as expected and waits the expected seconds (the jitter draw is exact to 1e-9).
    static func approx(_ step: WatchRetry.Step, relist: Bool, delay: Double) -> Bool {
        step.relist == relist && abs(step.delay - delay) < 1e-9
    }

    static let expired = SourceFailure(.expired, "too old resource version")
    static let down = SourceFailure(.connection, "connection refused")

    @Test func theFirst410InARowRelistsAtOnceAndTheNextWaits() {
        var retry = WatchRetry()
        var random = Highest()
        #expect(Self.approx(retry.step(after: Self.expired, using: &random), relist: true, delay: 0))
        #expect(Self.approx(retry.step(after: Self.expired, using: &random), relist: true, delay: 0.5))
        #expect(Self.approx(retry.step(after: Self.expired, using: &random), relist: true, delay: 1))
        // Another failure in between makes the next 410 a first one again.
        #expect(Self.approx(retry.step(after: Self.down, using: &random), relist: false, delay: 2))
        #expect(Self.approx(retry.step(after: Self.expired, using: &random), relist: true, delay: 0))
    }

    @Test func retryAfterWinsOverTheBackoffAndOverAnImmediateRelist() {
        var retry = WatchRetry()
        var random = Highest()
        let throttled = SourceFailure(.rateLimited, "429", retryAfter: 7)
        #expect(Self.approx(retry.step(after: throttled, using: &random), relist: false, delay: 7))
        let expiredLater = SourceFailure(.expired, "410", retryAfter: 3)
        #expect(Self.approx(retry.step(after: expiredLater, using: &random), relist: true, delay: 3))
    }

    @Test func theBackoffGrowsToItsCapAndASuccessResetsIt() {
        var retry = WatchRetry()
        var random = Highest()
        let delays = (0..<9).map { _ in retry.step(after: Self.down, using: &random).delay }
        #expect(zip(delays, [0.5, 1, 2, 4, 8, 16, 30, 30, 30]).allSatisfy { abs($0 - $1) < 1e-9 })
        retry.succeeded()
        #expect(abs(retry.step(after: Self.down, using: &random).delay - 0.5) < 1e-9)
        #expect(Self.approx(retry.step(after: Self.expired, using: &random), relist: true, delay: 0))
        retry.succeeded()
        #expect(Self.approx(retry.step(after: Self.expired, using: &random), relist: true, delay: 0))
    }
}
