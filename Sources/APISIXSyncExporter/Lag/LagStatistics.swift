/// Quantiles of the lag samples in a window; implemented by the HDR window (global) and the sample window (per
/// Service).
public protocol LagStatistics: Sendable {
    /// Number of samples.
    var count: Int { get }
    /// The q-quantile (0...1) in seconds; nil without samples.
    func quantile(_ q: Double) -> Double?
    /// The largest sample in seconds; nil without samples.
    var maximum: Double? { get }
    /// Number of samples above `seconds`.
    func count(above seconds: Double) -> Int
}
