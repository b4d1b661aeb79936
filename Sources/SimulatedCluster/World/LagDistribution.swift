import Foundation
import Synchronization

/// The distribution of the simulated ingress controller's delay between an EndpointSlice change and the APISIX
/// upstream write that reflects it, in seconds.
///
/// The body is log-normal (the usual shape of controller reconcile latencies), with rare slow outliers drawn
/// uniformly from ``slowOutlierRange`` (a controller stuck behind a full resync, an etcd hiccup, ...).
public struct LagDistribution: Sendable, CustomStringConvertible {
    /// The smallest delay ever sampled, in seconds.
    public static let minimum = 0.01

    /// The z-score of the 99th percentile of the standard normal distribution.
    static let z99 = 2.326_347_874_040_840_8

    enum Shape: Sendable {
        case logNormal(mu: Double, sigma: Double)
        case fixed(Double)
        case uniform(ClosedRange<Double>)
        case sequence(DelaySequence)
    }

    let shape: Shape
    /// The probability that a sample is a slow outlier instead of coming from the body of the distribution.
    public var slowOutlierProbability: Double
    /// The range slow outliers are drawn from (uniformly), in seconds.
    public var slowOutlierRange: ClosedRange<Double>

    /// A log-normal distribution with the given median and 99th percentile (in seconds), plus slow outliers.
    ///
    /// `sigma = ln(p99 / median) / 2.3263`. A `p99` below `median` is treated as equal to it (no spread).
    ///
    /// - Parameters:
    ///   - median: The median of the body, in seconds.
    ///   - p99: The 99th percentile of the body (without outliers), in seconds.
    ///   - slowOutlierProbability: The share of samples that are slow outliers, 1 % by default.
    ///   - slowOutlierRange: The range of slow outliers, 6–12 s by default.
    public static func logNormal(
        median: Double,
        p99: Double,
        slowOutlierProbability: Double = 0.01,
        slowOutlierRange: ClosedRange<Double> = 6...12
    ) -> LagDistribution {
        let safeMedian = max(median, Self.minimum)
        let sigma = max(0, log(max(p99, safeMedian) / safeMedian) / Self.z99)
        return LagDistribution(
            shape: .logNormal(mu: log(safeMedian), sigma: sigma),
            slowOutlierProbability: slowOutlierProbability,
            slowOutlierRange: slowOutlierRange
        )
    }

    /// Always `seconds` (at least ``minimum``), without outliers. For tests.
    public static func fixed(_ seconds: Double) -> LagDistribution {
        LagDistribution(shape: .fixed(seconds), slowOutlierProbability: 0, slowOutlierRange: 6...12)
    }

    /// Drawn uniformly from `range` (at least ``minimum``), without outliers: a Service whose every change takes about
    /// as long, e.g. 5-7 s.
    public static func uniform(_ range: ClosedRange<Double>) -> LagDistribution {
        LagDistribution(shape: .uniform(range), slowOutlierProbability: 0, slowOutlierRange: 6...12)
    }

    /// The given delays in turn (cycling; ``minimum`` when empty), without outliers. For tests that need a later
    /// change to be faster than an earlier one. Copies of the value share their position in the sequence.
    public static func sequence(_ seconds: [Double]) -> LagDistribution {
        LagDistribution(shape: .sequence(DelaySequence(seconds)), slowOutlierProbability: 0, slowOutlierRange: 6...12)
    }

    /// The median of the body of the distribution, in seconds (the first delay of a sequence).
    public var median: Double {
        switch self.shape {
        case .logNormal(let mu, _): return exp(mu)
        case .fixed(let seconds): return max(seconds, Self.minimum)
        case .uniform(let range): return max((range.lowerBound + range.upperBound) / 2, Self.minimum)
        case .sequence(let sequence): return max(sequence.values.first ?? Self.minimum, Self.minimum)
        }
    }

    /// The 99th percentile of the body of the distribution (without outliers), in seconds.
    public var p99: Double {
        switch self.shape {
        case .logNormal(let mu, let sigma): return exp(mu + Self.z99 * sigma)
        case .uniform(let range):
            return max(range.lowerBound + 0.99 * (range.upperBound - range.lowerBound), Self.minimum)
        case .fixed, .sequence: return self.median
        }
    }

    /// Draws one delay in seconds (at least ``minimum``).
    public func sample(using generator: inout some RandomNumberGenerator) -> Double {
        if self.slowOutlierProbability > 0, Double.random(in: 0..<1, using: &generator) < self.slowOutlierProbability {
            return max(Self.minimum, Double.random(in: self.slowOutlierRange, using: &generator))
        }
        switch self.shape {
        case .logNormal(let mu, let sigma):
            return max(Self.minimum, exp(mu + sigma * Self.standardNormal(using: &generator)))
        case .fixed(let seconds):
            return max(Self.minimum, seconds)
        case .uniform(let range):
            return max(Self.minimum, Double.random(in: range, using: &generator))
        case .sequence(let sequence):
            return max(Self.minimum, sequence.next())
        }
    }

    /// A human-readable summary, e.g. `log-normal(median 0.6s, p99 3s) + 1% outliers in 6...12s`.
    public var description: String {
        let body: String
        switch self.shape {
        case .logNormal: body = "log-normal(median \(Self.format(self.median))s, p99 \(Self.format(self.p99))s)"
        case .fixed(let seconds): body = "fixed(\(Self.format(seconds))s)"
        case .uniform(let range):
            body = "uniform(\(Self.format(range.lowerBound))...\(Self.format(range.upperBound))s)"
        case .sequence(let sequence): body = "sequence(\(sequence.values.map(Self.format).joined(separator: ", ")))"
        }
        guard self.slowOutlierProbability > 0 else { return body }
        let range =
            "\(Self.format(self.slowOutlierRange.lowerBound))...\(Self.format(self.slowOutlierRange.upperBound))"
        return body + " + \(Self.format(self.slowOutlierProbability * 100))% outliers in \(range)s"
    }

    /// A standard normal variate (Box–Muller; one of the pair is discarded to keep the draw count fixed).
    static func standardNormal(using generator: inout some RandomNumberGenerator) -> Double {
        let u1 = Double.random(in: Double.ulpOfOne..<1, using: &generator)
        let u2 = Double.random(in: 0..<1, using: &generator)
        return (-2 * log(u1)).squareRoot() * cos(2 * Double.pi * u2)
    }

    private static func format(_ value: Double) -> String {
        String(format: "%g", value)
    }
}

/// The shared cursor of ``LagDistribution/sequence(_:)``.
final class DelaySequence: Sendable {
    let values: [Double]
    private let position = Mutex(0)

    init(_ values: [Double]) {
        self.values = values
    }

    /// The next delay, cycling through ``values``.
    func next() -> Double {
        guard !self.values.isEmpty else { return LagDistribution.minimum }
        return self.position.withLock { position in
            defer { position += 1 }
            return self.values[position % self.values.count]
        }
    }
}
