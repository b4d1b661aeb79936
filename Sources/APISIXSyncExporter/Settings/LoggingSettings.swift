/// `--log.level` and `--log.format`.
public struct LoggingSettings: Sendable, Equatable {
    /// debug, info, warn or error.
    public internal(set) var level: String
    /// logfmt or json.
    public internal(set) var format: String

    public init(level: String = SettingDefaults.logLevel, format: String = SettingDefaults.logFormat) {
        self.level = level
        self.format = format
    }
}
