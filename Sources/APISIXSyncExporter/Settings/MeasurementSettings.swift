/// How changes are timed and the recommendation made (`--change-timeout`, `--prestop-delay`, `--recommendation.*`,
/// `--metrics.service-labels`).
public struct MeasurementSettings: Sendable, Equatable {
    /// Seconds after which a change APISIX has not reflected is given up.
    public internal(set) var changeTimeout: Double
    /// Quantile, margin, samples, shutdown budget and the configured preStop delay.
    public internal(set) var recommendation: RecommendationPolicy
    /// Seconds of removal lags the recommendation uses.
    public internal(set) var recommendationWindow: Double
    /// Label per-Service metrics with namespace and service.
    public internal(set) var serviceLabels: Bool

    public init(
        changeTimeout: Double = SettingDefaults.changeTimeout,
        recommendation: RecommendationPolicy = RecommendationPolicy(),
        recommendationWindow: Double = SettingDefaults.recommendationWindow,
        serviceLabels: Bool = SettingDefaults.serviceLabels
    ) {
        self.changeTimeout = changeTimeout
        self.recommendation = recommendation
        self.recommendationWindow = recommendationWindow
        self.serviceLabels = serviceLabels
    }
}
