/// What the ``SyncTracker`` needs of the settings (no URL, no secret).
public struct TrackerSettings: Sendable, Equatable {
    /// Seconds after which a change APISIX has not reflected is given up.
    public internal(set) var changeTimeout: Double
    /// The resolution of the measured lags.
    public internal(set) var fastPollInterval: Double
    /// `--map`: upstreams pinned to a Service port.
    public internal(set) var overrides: [MappingOverride]
    /// Quantile, margin, samples, shutdown budget and the configured preStop delay.
    public internal(set) var recommendation: RecommendationPolicy
    /// Seconds of removal lags the recommendation uses.
    public internal(set) var recommendationWindow: Double
    /// Whether pods are watched (removals timed from pod deletion).
    public internal(set) var watchPods: Bool

    public init(
        changeTimeout: Double = SettingDefaults.changeTimeout,
        fastPollInterval: Double = SettingDefaults.fastPollInterval,
        overrides: [MappingOverride] = [],
        recommendation: RecommendationPolicy = RecommendationPolicy(),
        recommendationWindow: Double = SettingDefaults.recommendationWindow,
        watchPods: Bool = SettingDefaults.watchPods
    ) {
        self.changeTimeout = changeTimeout
        self.fastPollInterval = fastPollInterval
        self.overrides = overrides
        self.recommendation = recommendation
        self.recommendationWindow = recommendationWindow
        self.watchPods = watchPods
    }
}
