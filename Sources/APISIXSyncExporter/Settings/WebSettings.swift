/// Where and how the exporter serves HTTP (`--web.*`): all the HTTP server gets.
public struct WebSettings: Sendable, Equatable {
    /// Host to bind; empty means all interfaces.
    public internal(set) var listenHost: String
    /// Port to bind; 0 picks a free one.
    public internal(set) var listenPort: Int
    /// Where the metrics are served.
    public internal(set) var telemetryPath: String
    /// `--web.config.file`: exporter-toolkit web configuration (TLS, basic auth); nil serves plain HTTP to anyone.
    public internal(set) var configFile: String?
    /// `--web.max-requests`: concurrent requests before 503; 0 means no limit.
    public internal(set) var maxRequests: Int

    public init(
        listenHost: String = "",
        listenPort: Int = SettingDefaults.listenPort,
        telemetryPath: String = SettingDefaults.telemetryPath,
        configFile: String? = nil,
        maxRequests: Int = SettingDefaults.maxRequests
    ) {
        self.listenHost = listenHost
        self.listenPort = listenPort
        self.telemetryPath = telemetryPath
        self.configFile = configFile
        self.maxRequests = maxRequests
    }
}
