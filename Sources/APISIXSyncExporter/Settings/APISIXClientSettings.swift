/// What each Admin/Control API client needs: the only settings that hold the Admin API key.
public struct APISIXClientSettings: Sendable, Equatable, CustomStringConvertible, CustomReflectable {
    /// The Admin API key (secret: never logged, never shown in state).
    public internal(set) var adminKey: String?
    /// The largest answer accepted.
    public internal(set) var maxResponseBytes: Int
    /// Seconds one Admin API request may take (no flag; tests shorten it).
    public internal(set) var requestTimeout: Double

    public init(
        adminKey: String? = nil,
        maxResponseBytes: Int = SettingDefaults.maxResponseBytes,
        requestTimeout: Double = SettingDefaults.apisixRequestTimeout
    ) {
        self.adminKey = adminKey
        self.maxResponseBytes = maxResponseBytes
        self.requestTimeout = requestTimeout
    }

    /// Without the key, whatever prints the settings.
    public var description: String {
        "APISIXClientSettings(adminKey: \(adminKey == nil ? "(none)" : "(set)"), maxResponseBytes: "
            + "\(maxResponseBytes), requestTimeout: \(GoDuration.format(seconds: requestTimeout)))"
    }
    public var customMirror: Mirror { Mirror(self, children: ["summary": description]) }
}
