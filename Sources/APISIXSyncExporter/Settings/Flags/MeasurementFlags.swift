/// `--prestop-delay`, `--change-timeout`, `--recommendation.*` and `--metrics.service-labels` as given;
/// ``resolve()`` checks them into ``MeasurementSettings``.
public struct MeasurementFlags: Sendable, Equatable {
    /// `--prestop-delay`: a duration.
    public var prestopDelay = FlagValue.durationText(SettingDefaults.prestopDelay)
    /// `--change-timeout`: a duration of at least 1s.
    public var changeTimeout = FlagValue.durationText(SettingDefaults.changeTimeout)
    /// `--recommendation.quantile`: between 0 and 1 (exclusive).
    public var quantile = "\(SettingDefaults.quantile)"
    /// `--recommendation.margin`: a duration.
    public var margin = FlagValue.durationText(SettingDefaults.margin)
    /// `--recommendation.min-samples`: a positive integer.
    public var minSamples = "\(SettingDefaults.minSamples)"
    /// `--recommendation.window`: a duration of at least 1m.
    public var window = FlagValue.durationText(SettingDefaults.recommendationWindow)
    /// `--recommendation.shutdown-budget`: a duration.
    public var shutdownBudget = FlagValue.durationText(SettingDefaults.shutdownBudget)
    /// `--metrics.service-labels`: true or false.
    public var serviceLabels = "\(SettingDefaults.serviceLabels)"

    public init() {}

    /// The checked settings.
    public func resolve() throws(SettingsError) -> MeasurementSettings {
        var policy = RecommendationPolicy()
        policy.configuredDelay = try FlagValue.duration("--prestop-delay", prestopDelay, minimum: 0)
        let timeout = try FlagValue.duration("--change-timeout", changeTimeout, minimum: 1)
        guard let q = Double(quantile), q > 0, q < 1 else {
            throw SettingsError(
                flag: "--recommendation.quantile",
                "\"\(quantile)\" must be a number between 0 and 1 (exclusive)"
            )
        }
        policy.quantile = q
        policy.margin = try FlagValue.duration("--recommendation.margin", margin, minimum: 0)
        guard let samples = Int(minSamples), samples >= 1 else {
            throw SettingsError(flag: "--recommendation.min-samples", "\"\(minSamples)\" must be a positive integer")
        }
        policy.minSamples = samples
        let windowSeconds = try FlagValue.duration("--recommendation.window", window, minimum: 60)
        policy.shutdownBudget = try FlagValue.duration("--recommendation.shutdown-budget", shutdownBudget, minimum: 0)
        let labels = try FlagValue.bool("--metrics.service-labels", serviceLabels)
        return MeasurementSettings(
            changeTimeout: timeout,
            recommendation: policy,
            recommendationWindow: windowSeconds,
            serviceLabels: labels
        )
    }
}
