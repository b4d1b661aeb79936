/// Quantiles of the lag samples in a window; implemented by the HDR windows (global) and the sample window (per
/// Service).
public protocol LagStatistics: Sendable {
    /// Number of samples that count as a lag value (exact and censored intervals; not right-censored bounds).
    var count: Int { get }
    /// The q-quantile (0...1) in seconds; nil without samples. With right-censored samples, the Kaplan-Meier
    /// estimate, or the largest value when the estimate cannot reach `q` (see ``quantileIsLowerBound(_:)``).
    func quantile(_ q: Double) -> Double?
    /// The largest sample in seconds; nil without samples.
    var maximum: Double? { get }
    /// Number of samples above `seconds`.
    func count(above seconds: Double) -> Int
    /// How the samples were observed.
    var sampleCounts: SampleCounts { get }
    /// True when right-censored samples leave the estimate short of `q`: ``quantile(_:)`` is then only a lower bound.
    func quantileIsLowerBound(_ q: Double) -> Bool
}

extension LagStatistics {
    public var sampleCounts: SampleCounts { SampleCounts(exact: count) }
    public func quantileIsLowerBound(_ q: Double) -> Bool { false }
}
