/// `--log.level` and `--log.format` as given; ``resolve()`` checks them into ``LoggingSettings``.
public struct LoggingFlags: Sendable, Equatable {
    /// `--log.level`: debug, info, warn or error.
    public var level = SettingDefaults.logLevel
    /// `--log.format`: logfmt or json.
    public var format = SettingDefaults.logFormat

    public init() {}

    /// The checked settings.
    public func resolve() throws(SettingsError) -> LoggingSettings {
        guard ["debug", "info", "warn", "error"].contains(level) else {
            throw SettingsError(flag: "--log.level", "\"\(level)\" must be one of debug, info, warn, error")
        }
        guard ["logfmt", "json"].contains(format) else {
            throw SettingsError(flag: "--log.format", "\"\(format)\" must be logfmt or json")
        }
        return LoggingSettings(level: level, format: format)
    }
}
