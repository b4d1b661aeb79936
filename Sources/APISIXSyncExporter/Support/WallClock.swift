import Foundation

/// A point in time as seconds since the Unix epoch; the unit of every timestamp in the lag engine.
public typealias Timestamp = Double

/// Where the live pipeline reads the time and waits; pure logic takes timestamps as arguments instead.
public protocol WallClock: Sendable {
    /// The current time in seconds since the Unix epoch.
    func now() -> Timestamp

    /// Returns once ``now()`` has reached `deadline` (at once if it has already); throws `CancellationError` when the
    /// task is cancelled while it waits.
    func sleep(until deadline: Timestamp) async throws
}

extension WallClock {
    /// Sleeps in real time until `deadline` (at most a day at a time; see `Task.sleep(seconds:)`).
    public func sleep(until deadline: Timestamp) async throws {
        try Task.checkCancellation()
        try await Task.sleep(seconds: deadline - now())
    }
}

/// The system's real-time clock.
public struct SystemWallClock: WallClock {
    public init() {}
    public func now() -> Timestamp { Date().timeIntervalSince1970 }
}
