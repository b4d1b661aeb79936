/// How often APISIX is read (`--apisix.poll-interval`, `--apisix.fast-poll-interval`).
public struct PollingSettings: Sendable, Equatable {
    /// Seconds between full upstream refreshes.
    public internal(set) var pollInterval: Double
    /// Seconds between targeted polls while changes are pending; also the resolution of the measured lags.
    public internal(set) var fastPollInterval: Double

    public init(
        pollInterval: Double = SettingDefaults.pollInterval,
        fastPollInterval: Double = SettingDefaults.fastPollInterval
    ) {
        self.pollInterval = pollInterval
        self.fastPollInterval = fastPollInterval
    }
}
