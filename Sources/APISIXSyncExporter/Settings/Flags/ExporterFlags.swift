/// Every flag of `serve` as given on the command line (text, unchecked); ``resolve(environment:readFiles:)`` checks
/// them, in the order the groups are listed, into ``ExporterSettings`` or throws the first ``SettingsError``.
public struct ExporterFlags: Sendable, Equatable {
    /// The groups of flags, in the order they are checked.
    public var web = WebFlags()
    public var kubernetes = KubernetesFlags()
    public var apisix = APISIXFlags()
    public var polling = PollingFlags()
    public var measurement = MeasurementFlags()
    public var logging = LoggingFlags()

    public init() {}

    /// - Parameters:
    ///   - environment: where `APISIX_ADMIN_KEY` is read from when no key file is given.
    ///   - readFiles: false (`--check-flags`) checks the flags only, without reading the files they name.
    public func resolve(
        environment: [String: String],
        readFiles: Bool = true
    ) throws(SettingsError)
        -> ExporterSettings
    {
        ExporterSettings(
            web: try web.resolve(readFiles: readFiles),
            kubernetes: try kubernetes.resolve(),
            apisix: try apisix.resolve(environment: environment, readFiles: readFiles),
            polling: try polling.resolve(),
            measurement: try measurement.resolve(),
            logging: try logging.resolve()
        )
    }
}
