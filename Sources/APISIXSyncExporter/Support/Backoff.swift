import Foundation

/// Capped exponential backoff with full jitter, as client-go and gRPC do it.
public struct Backoff: Sendable {
    public let initial: Double
    public let maximum: Double
    public let multiplier: Double
    private(set) var attempt: Int = 0

    public init(initial: Double = 0.5, maximum: Double = 30, multiplier: Double = 2) {
        self.initial = initial
        self.maximum = maximum
        self.multiplier = multiplier
    }

    /// The delay before the next attempt, in seconds; grows with each call until `reset()`.
    public mutating func next<G: RandomNumberGenerator>(using generator: inout G) -> Double {
        let ceiling = min(maximum, initial * pow(multiplier, Double(attempt)))
        attempt += 1
        // Half fixed, half random: never retries immediately, spreads reconnects of many exporters.
        return ceiling / 2 + Double.random(in: 0...(ceiling / 2), using: &generator)
    }

    /// The delay before the next attempt, using the system random number generator.
    public mutating func next() -> Double {
        var generator = SystemRandomNumberGenerator()
        return next(using: &generator)
    }

    /// Starts over after a success.
    public mutating func reset() { attempt = 0 }
}
