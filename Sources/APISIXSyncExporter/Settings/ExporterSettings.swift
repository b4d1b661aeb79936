/// Everything the exporter needs to run, resolved from flags and environment; immutable once built.
public struct ExporterSettings: Sendable, CustomStringConvertible, CustomReflectable {
    /// Host to bind; empty means all interfaces.
    public var listenHost: String = ""
    public var listenPort: Int = 10299
    public var telemetryPath: String = "/metrics"
    /// `--web.config.file`: exporter-toolkit web configuration (TLS, basic auth); nil serves plain HTTP to anyone.
    public var webConfigFile: String?
    /// `--web.max-requests`: concurrent requests before 503; 0 means no limit.
    public var maxRequests: Int = 40

    public var kubeconfigPath: String?
    public var kubernetesContext: String?
    /// Namespaces to watch; empty means cluster-wide.
    public var namespaces: [String] = []

    /// Admin API base URLs, e.g. `http://apisix-admin.ingress-apisix:9180`.
    public var adminURLs: [String] = []
    /// Control API base URLs (`--apisix.control-url`): paired in order with `adminURLs`, or, without admin URLs,
    /// Control-API-only targets.
    public var controlURLs: [String] = []
    /// `--apisix.view`: what lag is measured against; nil means the Control API where a target has one.
    public var view: APISIXView?
    /// `--apisix.discover-pods`: find APISIX pods through the Kubernetes API and poll each; nil polls only the URLs.
    public var podDiscovery: APISIXPodDiscoverySettings?
    /// `--apisix.etcd-endpoint` and related flags: watch APISIX's etcd prefix (the stored view); nil without.
    public var etcd: EtcdSettings?
    /// The Admin API key (secret: never logged, never shown in state).
    public var adminKey: String?
    public var pollInterval: Double = 5
    public var fastPollInterval: Double = 0.1
    public var maxResponseBytes: Int = 64 * 1024 * 1024
    /// Seconds one Admin API request may take (no flag; tests shorten it).
    public var apisixRequestTimeout: Double = 10
    /// Seconds one page of an EndpointSlice list may take (no flag; tests shorten it).
    public var kubernetesListTimeout: Double = 60
    public var overrides: [MappingOverride] = []

    public var changeTimeout: Double = 600
    /// Watch pods and ReplicaSets to time removals from pod deletion and read each workload's preStop
    /// (`--kubernetes.watch-pods`).
    public var watchPods = true
    public var recommendation = RecommendationPolicy()
    public var recommendationWindow: Double = 86_400
    public var serviceLabels = true

    public var logLevel: String = "info"
    public var logFormat: String = "logfmt"

    public init() {}

    /// The targets given by URL: admin and control URLs paired in order, or control URLs alone; nil when the URLs
    /// do not pair up or one does not parse (flag parsing reports which).
    public var staticTargets: [APISIXTarget]? {
        if adminURLs.isEmpty {
            let targets = controlURLs.compactMap { APISIXTarget(adminURL: nil, controlURL: $0, view: view) }
            return targets.count == controlURLs.count ? targets : nil
        }
        guard controlURLs.isEmpty || controlURLs.count == adminURLs.count else { return nil }
        let targets = adminURLs.indices.compactMap { index in
            APISIXTarget(
                adminURL: adminURLs[index],
                controlURL: controlURLs.isEmpty ? nil : controlURLs[index],
                view: view
            )
        }
        return targets.count == adminURLs.count ? targets : nil
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
        [
            "web.listen-address": "\(listenHost):\(listenPort)",
            "web.telemetry-path": telemetryPath,
            "web.config.file": webConfigFile ?? "(none)",
            "web.max-requests": "\(maxRequests)",
            "kubernetes.namespace": namespaces.isEmpty ? "(all)" : namespaces.joined(separator: ","),
            "kubernetes.watch-pods": "\(watchPods)",
            "apisix.admin-url": adminURLs.joined(separator: ","),
            "apisix.control-url": controlURLs.joined(separator: ","),
            "apisix.view": view?.rawValue ?? "(control when available)",
            "apisix.discover-pods": podDiscovery.map {
                "\($0.namespace)/\($0.selector) admin \($0.adminScheme):\($0.adminPort)"
                    + ($0.controlPort.map { " control \($0)" } ?? "")
            } ?? "(off)",
            "apisix.etcd": etcd?.redactedSummary ?? "(off)",
            "apisix.admin-key": adminKey == nil ? "(none)" : "(set)",
            "apisix.poll-interval": GoDuration.format(seconds: pollInterval),
            "apisix.fast-poll-interval": GoDuration.format(seconds: fastPollInterval),
            "map": overrides.map(\.description).joined(separator: ","),
            "prestop-delay": GoDuration.format(seconds: recommendation.configuredDelay),
            "change-timeout": GoDuration.format(seconds: changeTimeout),
            "recommendation.quantile": "\(recommendation.quantile)",
            "recommendation.margin": GoDuration.format(seconds: recommendation.margin),
            "recommendation.min-samples": "\(recommendation.minSamples)",
            "recommendation.window": GoDuration.format(seconds: recommendationWindow),
            "recommendation.shutdown-budget": GoDuration.format(seconds: recommendation.shutdownBudget),
            "metrics.service-labels": "\(serviceLabels)",
        ]
    }
}
