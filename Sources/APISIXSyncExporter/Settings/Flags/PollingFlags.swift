/// `--apisix.poll-interval` and `--apisix.fast-poll-interval` as given; ``resolve()`` checks them.
public struct PollingFlags: Sendable, Equatable {
    /// `--apisix.poll-interval`: a duration of at least 100ms.
    public var pollInterval = FlagValue.durationText(SettingDefaults.pollInterval)
    /// `--apisix.fast-poll-interval`: a duration of at least 10ms.
    public var fastPollInterval = FlagValue.durationText(SettingDefaults.fastPollInterval)

    public init() {}

    /// The checked settings.
    public func resolve() throws(SettingsError) -> PollingSettings {
        PollingSettings(
            pollInterval: try FlagValue.duration("--apisix.poll-interval", pollInterval, minimum: 0.1),
            fastPollInterval: try FlagValue.duration("--apisix.fast-poll-interval", fastPollInterval, minimum: 0.01)
        )
    }
}
