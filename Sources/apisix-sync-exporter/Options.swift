import APISIXSyncExporter
import ArgumentParser

// The option groups: names and help only. Defaults come from the library's flags (``SettingDefaults``), and the
// library checks the values (``ExporterFlags/resolve(environment:readFiles:)``).

struct WebOptions: ParsableArguments {
    @Option(name: .customLong("web.listen-address"), help: "Address to listen on, host:port or :port.")
    var listenAddress = WebFlags().listenAddress

    @Option(name: .customLong("web.telemetry-path"), help: "Path under which to expose metrics.")
    var telemetryPath = WebFlags().telemetryPath

    @Option(
        name: .customLong("web.config.file"),
        help: "exporter-toolkit web config (TLS, basic auth); see docs/web-config.md. Re-read when it changes."
    )
    var configFile: String?

    @Option(name: .customLong("web.max-requests"), help: "Maximum concurrent requests (beyond: 503); 0 disables.")
    var maxRequests = WebFlags().maxRequests

    var flags: WebFlags {
        var flags = WebFlags()
        flags.listenAddress = listenAddress
        flags.telemetryPath = telemetryPath
        flags.configFile = configFile
        flags.maxRequests = maxRequests
        return flags
    }
}

struct KubernetesOptions: ParsableArguments {
    @Option(
        name: .customLong("kubeconfig"),
        help: "Kubeconfig file (default: in-cluster, else $KUBECONFIG, else ~/.kube/config)."
    )
    var kubeconfig: String?

    @Option(name: .customLong("kubernetes.context"), help: "Kubeconfig context (default: current-context).")
    var context: String?

    @Option(name: .customLong("kubernetes.namespace"), help: "Namespace to watch; repeat for several (default: all).")
    var namespaces: [String] = []

    @Option(
        name: .customLong("kubernetes.watch-pods"),
        help: "Watch pods and ReplicaSets: time removals from pod deletion, read each workload's preStop (true|false)."
    )
    var watchPods = KubernetesFlags().watchPods

    var flags: KubernetesFlags {
        var flags = KubernetesFlags()
        flags.kubeconfig = kubeconfig
        flags.context = context
        flags.namespaces = namespaces
        flags.watchPods = watchPods
        return flags
    }
}

struct APISIXOptions: ParsableArguments {
    /// The group's flags into `flags`.
    func apply(to flags: inout APISIXFlags) {
        flags.adminURLs = adminURLs
        flags.adminKeyFile = adminKeyFile
        flags.controlURLs = controlURLs
        flags.view = view
        flags.maps = maps
    }

    @Option(name: .customLong("apisix.admin-url"), help: "APISIX Admin API URL; repeat for several instances.")
    var adminURLs: [String] = []

    @Option(
        name: .customLong("apisix.admin-key-file"),
        help: "File holding the Admin API key (else env APISIX_ADMIN_KEY)."
    )
    var adminKeyFile: String?

    @Option(
        name: .customLong("apisix.control-url"),
        help: "APISIX Control API URL (http://127.0.0.1:9090): one per --apisix.admin-url, paired in order, or alone."
    )
    var controlURLs: [String] = []

    @Option(
        name: .customLong("apisix.view"),
        help: "Measure until the Admin API (admin) or the workers (control) show a change (default: control if set)."
    )
    var view: String?

    @Option(name: .customLong("map"), help: "Pin an upstream: namespace/service:portName=upstreamID; repeatable.")
    var maps: [String] = []
}

struct APISIXDiscoveryOptions: ParsableArguments {
    /// The group's flags into `flags`.
    func apply(to flags: inout APISIXFlags) {
        flags.discoverPods = discoverPods
        flags.namespace = namespace
        flags.adminPort = adminPort
        flags.adminScheme = adminScheme
        flags.controlPort = controlPort
    }

    @Option(
        name: .customLong("apisix.discover-pods"),
        help: "Label selector of the APISIX Service's EndpointSlices: poll every APISIX pod found."
    )
    var discoverPods: String?

    @Option(name: .customLong("apisix.namespace"), help: "Namespace of the APISIX pods (with --apisix.discover-pods).")
    var namespace: String?

    @Option(name: .customLong("apisix.admin-port"), help: "Admin API port of discovered pods: number or port name.")
    var adminPort: String?

    @Option(name: .customLong("apisix.admin-scheme"), help: "Admin API scheme of discovered pods: http or https.")
    var adminScheme: String?

    @Option(
        name: .customLong("apisix.control-port"),
        help: "Control API port of discovered pods (number or port name); it must listen on the pod IP."
    )
    var controlPort: String?
}

struct EtcdOptions: ParsableArguments {
    /// The group's flags into `flags`.
    func apply(to flags: inout APISIXFlags) {
        flags.etcdEndpoints = endpoints
        flags.etcdPrefix = prefix
        flags.etcdUsername = username
        flags.etcdPasswordFile = passwordFile
    }

    @Option(
        name: .customLong("apisix.etcd-endpoint"),
        help:
            "etcd member URL (http(s)://host:2379) of the etcd APISIX stores in: watch it; repeat for a cluster's members."
    )
    var endpoints: [String] = []

    @Option(
        name: .customLong("apisix.etcd-prefix"),
        help: "APISIX's etcd.prefix (default \(SettingDefaults.etcdPrefix))."
    )
    var prefix: String?

    @Option(name: .customLong("apisix.etcd-username"), help: "etcd user (with --apisix.etcd-password-file).")
    var username: String?

    @Option(name: .customLong("apisix.etcd-password-file"), help: "File holding the etcd user's password.")
    var passwordFile: String?
}

struct EtcdTLSOptions: ParsableArguments {
    /// The group's flags into `flags`.
    func apply(to flags: inout APISIXFlags) {
        flags.etcdCAFile = caFile
        flags.etcdCertFile = certFile
        flags.etcdKeyFile = keyFile
        flags.etcdTLSServerName = serverName
    }

    @Option(name: .customLong("apisix.etcd-ca-file"), help: "PEM CA bundle for https etcd members.")
    var caFile: String?

    @Option(
        name: .customLong("apisix.etcd-cert-file"),
        help: "PEM client certificate for etcd (with --apisix.etcd-key-file)."
    )
    var certFile: String?

    @Option(name: .customLong("apisix.etcd-key-file"), help: "PEM key of --apisix.etcd-cert-file.")
    var keyFile: String?

    @Option(
        name: .customLong("apisix.etcd-tls-server-name"),
        help: "Name https etcd members' certificates are checked against (and SNI), instead of each member's host."
    )
    var serverName: String?
}

struct PollingOptions: ParsableArguments {
    @Option(name: .customLong("apisix.poll-interval"), help: "Interval of full upstream refreshes.")
    var pollInterval = PollingFlags().pollInterval

    @Option(
        name: .customLong("apisix.fast-poll-interval"),
        help: "Interval of targeted polls while changes are pending."
    )
    var fastPollInterval = PollingFlags().fastPollInterval

    var flags: PollingFlags {
        var flags = PollingFlags()
        flags.pollInterval = pollInterval
        flags.fastPollInterval = fastPollInterval
        return flags
    }
}

struct MeasurementOptions: ParsableArguments {
    /// The group's flags into `flags`.
    func apply(to flags: inout MeasurementFlags) {
        flags.prestopDelay = prestopDelay
        flags.changeTimeout = changeTimeout
        flags.serviceLabels = serviceLabels
    }

    @Option(name: .customLong("prestop-delay"), help: "The preStop delay your workloads use today.")
    var prestopDelay = MeasurementFlags().prestopDelay

    @Option(name: .customLong("change-timeout"), help: "Give up on a change APISIX has not reflected after this long.")
    var changeTimeout = MeasurementFlags().changeTimeout

    @Option(
        name: .customLong("metrics.service-labels"),
        help: "Label per-Service metrics with namespace and service (true|false)."
    )
    var serviceLabels = MeasurementFlags().serviceLabels
}

extension MeasurementFlags {
    /// The flags of the measurement and recommendation groups.
    init(_ measurement: MeasurementOptions, _ recommendation: RecommendationOptions) {
        self.init()
        measurement.apply(to: &self)
        recommendation.apply(to: &self)
    }
}

struct RecommendationOptions: ParsableArguments {
    /// The group's flags into `flags`.
    func apply(to flags: inout MeasurementFlags) {
        flags.quantile = quantile
        flags.margin = margin
        flags.minSamples = minSamples
        flags.window = window
        flags.shutdownBudget = shutdownBudget
    }

    @Option(name: .customLong("recommendation.quantile"), help: "Removal-lag quantile the preStop sleep must cover.")
    var quantile = MeasurementFlags().quantile

    @Option(name: .customLong("recommendation.margin"), help: "Added to the quantile before rounding up.")
    var margin = MeasurementFlags().margin

    @Option(name: .customLong("recommendation.min-samples"), help: "Removals needed before recommending.")
    var minSamples = MeasurementFlags().minSamples

    @Option(name: .customLong("recommendation.window"), help: "Window of removal lags the recommendation uses.")
    var window = MeasurementFlags().window

    @Option(name: .customLong("recommendation.shutdown-budget"), help: "Time the app needs after the preStop sleep.")
    var shutdownBudget = MeasurementFlags().shutdownBudget
}

struct LoggingOptions: ParsableArguments {
    @Option(name: .customLong("log.level"), help: "debug, info, warn or error.")
    var level = LoggingFlags().level

    @Option(name: .customLong("log.format"), help: "logfmt or json.")
    var format = LoggingFlags().format

    var flags: LoggingFlags {
        var flags = LoggingFlags()
        flags.level = level
        flags.format = format
        return flags
    }
}
