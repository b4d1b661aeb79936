/// Everything the exporter needs to run, resolved from flags (``ExporterFlags``) and environment; read-only outside
/// the library. Each component gets only its part: the Admin API key is in ``APISIXSettings/client`` alone.
public struct ExporterSettings: Sendable, Equatable, CustomStringConvertible, CustomReflectable {
    /// What the HTTP server gets.
    public internal(set) var web: WebSettings
    /// What the Kubernetes connection and watchers get.
    public internal(set) var kubernetes: KubernetesSettings
    /// Which APISIX instances to read, and the clients' settings (the Admin API key among them).
    public internal(set) var apisix: APISIXSettings
    /// What the pollers (and the lag resolution) get.
    public internal(set) var polling: PollingSettings
    /// What the tracker and the recommendation get.
    public internal(set) var measurement: MeasurementSettings
    /// What the log handler gets.
    public internal(set) var logging: LoggingSettings

    public init(
        web: WebSettings = WebSettings(),
        kubernetes: KubernetesSettings = KubernetesSettings(),
        apisix: APISIXSettings = APISIXSettings(),
        polling: PollingSettings = PollingSettings(),
        measurement: MeasurementSettings = MeasurementSettings(),
        logging: LoggingSettings = LoggingSettings()
    ) {
        self.web = web
        self.kubernetes = kubernetes
        self.apisix = apisix
        self.polling = polling
        self.measurement = measurement
        self.logging = logging
    }

    /// The tracker's part.
    public var tracker: TrackerSettings {
        TrackerSettings(
            changeTimeout: measurement.changeTimeout,
            fastPollInterval: polling.fastPollInterval,
            overrides: apisix.overrides,
            recommendation: measurement.recommendation,
            recommendationWindow: measurement.recommendationWindow,
            watchPods: kubernetes.watchPods
        )
    }

    /// The settings without secrets.
    public var description: String {
        "ExporterSettings("
            + redactedSummary.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }
            .joined(separator: " ") + ")"
    }
    public var customMirror: Mirror {
        Mirror(self, children: redactedSummary.sorted { $0.key < $1.key }.map { ($0.key, $0.value) })
    }

    /// Every setting except secrets, for the start-up log line and `/api/v1/state`.
    public var redactedSummary: [String: String] {
        let recommendation = measurement.recommendation
        return [
            "web.listen-address": "\(web.listenHost):\(web.listenPort)",
            "web.telemetry-path": web.telemetryPath,
            "web.config.file": web.configFile ?? "(none)",
            "web.max-requests": "\(web.maxRequests)",
            "kubernetes.namespace": kubernetes.namespaces.isEmpty
                ? "(all)" : kubernetes.namespaces.joined(separator: ","),
            "kubernetes.watch-pods": "\(kubernetes.watchPods)",
            "apisix.admin-url": apisix.adminURLs.joined(separator: ","),
            "apisix.control-url": apisix.controlURLs.joined(separator: ","),
            "apisix.view": apisix.view?.rawValue ?? "(control when available)",
            "apisix.discover-pods": apisix.podDiscovery.map {
                "\($0.namespace)/\($0.selector) admin \($0.adminScheme):\($0.adminPort)"
                    + ($0.controlPort.map { " control \($0)" } ?? "")
            } ?? "(off)",
            "apisix.etcd": apisix.etcd?.redactedSummary ?? "(off)",
            "apisix.admin-key": apisix.client.adminKey == nil ? "(none)" : "(set)",
            "apisix.poll-interval": GoDuration.format(seconds: polling.pollInterval),
            "apisix.fast-poll-interval": GoDuration.format(seconds: polling.fastPollInterval),
            "map": apisix.overrides.map(\.description).joined(separator: ","),
            "prestop-delay": GoDuration.format(seconds: recommendation.configuredDelay),
            "change-timeout": GoDuration.format(seconds: measurement.changeTimeout),
            "recommendation.quantile": "\(recommendation.quantile)",
            "recommendation.margin": GoDuration.format(seconds: recommendation.margin),
            "recommendation.min-samples": "\(recommendation.minSamples)",
            "recommendation.window": GoDuration.format(seconds: measurement.recommendationWindow),
            "recommendation.shutdown-budget": GoDuration.format(seconds: recommendation.shutdownBudget),
            "metrics.service-labels": "\(measurement.serviceLabels)",
        ]
    }
}
