/// The default of every setting, written once: the settings' initializers and the flags (and so their help) use these.
public enum SettingDefaults {
    /// `--web.listen-address` port (host: all interfaces).
    public static let listenPort = 10299
    /// `--web.telemetry-path`.
    public static let telemetryPath = "/metrics"
    /// `--web.max-requests`.
    public static let maxRequests = 40

    /// `--kubernetes.watch-pods`.
    public static let watchPods = true
    /// Seconds one page of an EndpointSlice list may take (no flag).
    public static let kubernetesListTimeout: Double = 60

    /// `--apisix.poll-interval`, in seconds.
    public static let pollInterval: Double = 5
    /// `--apisix.fast-poll-interval`, in seconds.
    public static let fastPollInterval: Double = 0.1
    /// The largest Admin API (or etcd) answer accepted (no flag).
    public static let maxResponseBytes = 64 * 1024 * 1024
    /// Seconds one Admin API request may take (no flag).
    public static let apisixRequestTimeout: Double = 10
    /// `--apisix.etcd-prefix`: APISIX's default `etcd.prefix`.
    public static let etcdPrefix = "/apisix"
    /// `--apisix.admin-port` of discovered pods.
    public static let discoveredAdminPort = 9180
    /// `--apisix.admin-scheme` of discovered pods.
    public static let discoveredAdminScheme = "http"

    /// `--change-timeout`, in seconds.
    public static let changeTimeout: Double = 600
    /// `--prestop-delay`, in seconds.
    public static let prestopDelay: Double = 5
    /// `--recommendation.quantile`.
    public static let quantile = 0.99
    /// `--recommendation.margin`, in seconds.
    public static let margin: Double = 1
    /// `--recommendation.min-samples`.
    public static let minSamples = 20
    /// `--recommendation.window`, in seconds.
    public static let recommendationWindow: Double = 86_400
    /// `--recommendation.shutdown-budget`, in seconds.
    public static let shutdownBudget: Double = 25
    /// `--metrics.service-labels`.
    public static let serviceLabels = true

    /// `--log.level`.
    public static let logLevel = "info"
    /// `--log.format`.
    public static let logFormat = "logfmt"
}
