import Foundation

/// A point in time as seconds since the Unix epoch; the unit of every timestamp in the lag engine.
public typealias Timestamp = Double

/// Where the live pipeline reads the time; pure logic takes timestamps as arguments instead.
public protocol WallClock: Sendable {
    /// The current time in seconds since the Unix epoch.
    func now() -> Timestamp
}

/// The system's real-time clock.
public struct SystemWallClock: WallClock {
    public init() {}
    public func now() -> Timestamp { Date().timeIntervalSince1970 }
}
