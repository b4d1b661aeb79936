/// The `--web.*` flags as given; ``resolve(readFiles:)`` checks them into ``WebSettings``.
public struct WebFlags: Sendable, Equatable {
    /// `--web.listen-address`: host:port or :port.
    public var listenAddress = ":\(SettingDefaults.listenPort)"
    /// `--web.telemetry-path`.
    public var telemetryPath = SettingDefaults.telemetryPath
    /// `--web.config.file`; empty means none, as with exporter-toolkit (charts often pass `--web.config.file=`).
    public var configFile: String?
    /// `--web.max-requests`.
    public var maxRequests = "\(SettingDefaults.maxRequests)"

    public init() {}

    /// Paths the telemetry path must not take.
    static let reservedPaths = ["/recommendation", "/api/v1/state", "/-/healthy", "/-/ready"]

    /// - Parameter readFiles: false (`--check-flags`) checks the flags only, without loading the web config file.
    public func resolve(readFiles: Bool = true) throws(SettingsError) -> WebSettings {
        guard let colon = listenAddress.lastIndex(of: ":"),
            let port = Int(listenAddress[listenAddress.index(after: colon)...]), (0...65_535).contains(port)
        else {
            throw SettingsError(flag: "--web.listen-address", "\"\(listenAddress)\" is not host:port or :port")
        }
        let host = String(listenAddress[..<colon]).unbracketedHost
        guard telemetryPath.hasPrefix("/"), telemetryPath.count > 1, !Self.reservedPaths.contains(telemetryPath)
        else {
            throw SettingsError(
                flag: "--web.telemetry-path",
                "\"\(telemetryPath)\" must start with / and not clash with other endpoints"
            )
        }
        guard let limit = Int(maxRequests), limit >= 0 else {
            throw SettingsError(flag: "--web.max-requests", "\"\(maxRequests)\" must be a non-negative integer")
        }
        var file: String?
        if let configFile, !configFile.isEmpty {
            // Validated now (certificates and keys loaded too) so that a bad file stops start-up with one line.
            if readFiles {
                do throws(WebConfigError) {
                    let config = try WebConfig.load(path: configFile)
                    try config.validateTLSFiles()
                } catch {
                    throw SettingsError(flag: "--web.config.file", "\(configFile): \(error)")
                }
            }
            file = configFile
        }
        return WebSettings(
            listenHost: host,
            listenPort: port,
            telemetryPath: telemetryPath,
            configFile: file,
            maxRequests: limit
        )
    }
}
