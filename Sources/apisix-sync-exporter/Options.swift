import APISIXSyncExporter
import ArgumentParser
import Foundation

struct WebOptions: ParsableArguments {
    @Option(name: .customLong("web.listen-address"), help: "Address to listen on, host:port or :port.")
    var listenAddress = ":10299"

    @Option(name: .customLong("web.telemetry-path"), help: "Path under which to expose metrics.")
    var telemetryPath = "/metrics"

    @Option(
        name: .customLong("web.config.file"),
        help: "exporter-toolkit web config (TLS, basic auth); see docs/web-config.md. Re-read when it changes."
    )
    var configFile: String?

    @Option(name: .customLong("web.max-requests"), help: "Maximum concurrent requests (beyond: 503); 0 disables.")
    var maxRequests = "40"

    /// - Parameter readFiles: false (`--check-flags`) checks the flags only, without loading the web config file.
    func apply(to settings: inout ExporterSettings, readFiles: Bool = true) throws {
        guard let colon = listenAddress.lastIndex(of: ":"),
            let port = Int(listenAddress[listenAddress.index(after: colon)...]), (0...65_535).contains(port)
        else {
            throw FlagError(flag: "--web.listen-address", "\"\(listenAddress)\" is not host:port or :port")
        }
        var host = String(listenAddress[..<colon])
        if host.hasPrefix("["), host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        settings.listenHost = host
        settings.listenPort = port
        guard telemetryPath.hasPrefix("/"), telemetryPath.count > 1,
            !["/recommendation", "/api/v1/state", "/-/healthy", "/-/ready"].contains(telemetryPath)
        else {
            throw FlagError(
                flag: "--web.telemetry-path",
                "\"\(telemetryPath)\" must start with / and not clash with other endpoints"
            )
        }
        settings.telemetryPath = telemetryPath
        guard let limit = Int(maxRequests), limit >= 0 else {
            throw FlagError(flag: "--web.max-requests", "\"\(maxRequests)\" must be a non-negative integer")
        }
        settings.maxRequests = limit
        // Empty means none, as with exporter-toolkit (charts often pass `--web.config.file=`).
        if let configFile, !configFile.isEmpty {
            // Validated now (certificates and keys loaded too) so that a bad file stops start-up with one line.
            if readFiles {
                do throws(WebConfigError) {
                    let config = try WebConfig.load(path: configFile)
                    try config.validateTLSFiles()
                } catch {
                    throw FlagError(flag: "--web.config.file", "\(configFile): \(error)")
                }
            }
            settings.webConfigFile = configFile
        }
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
    var watchPods = "true"

    func apply(to settings: inout ExporterSettings) throws {
        if let kubeconfig, kubeconfig.isEmpty { throw FlagError(flag: "--kubeconfig", "empty path") }
        switch watchPods {
        case "true": settings.watchPods = true
        case "false": settings.watchPods = false
        default: throw FlagError(flag: "--kubernetes.watch-pods", "\"\(watchPods)\" must be true or false")
        }
        settings.kubeconfigPath = kubeconfig
        settings.kubernetesContext = context
        for namespace in namespaces where !Self.isDNSLabel(namespace) {
            throw FlagError(flag: "--kubernetes.namespace", "\"\(namespace)\" is not a valid namespace name")
        }
        settings.namespaces = Array(Set(namespaces)).sorted()
    }

    static func isDNSLabel(_ text: String) -> Bool {
        guard (1...63).contains(text.count), let first = text.first, let last = text.last,
            first.isLetter || first.isNumber, last.isLetter || last.isNumber
        else { return false }
        return text.allSatisfy { ($0.isASCII && ($0.isLowercase || $0.isNumber)) || $0 == "-" }
    }
}

struct APISIXOptions: ParsableArguments {
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

    @Option(
        name: .customLong("apisix.etcd-endpoint"),
        help:
            "etcd member URL (http(s)://host:2379) of the etcd APISIX stores in: watch it; repeat for a cluster's members."
    )
    var etcdEndpoints: [String] = []

    @Option(name: .customLong("apisix.etcd-prefix"), help: "APISIX's etcd.prefix (default /apisix).")
    var etcdPrefix: String?

    @Option(name: .customLong("apisix.etcd-username"), help: "etcd user (with --apisix.etcd-password-file).")
    var etcdUsername: String?

    @Option(name: .customLong("apisix.etcd-password-file"), help: "File holding the etcd user's password.")
    var etcdPasswordFile: String?

    @Option(name: .customLong("apisix.etcd-ca-file"), help: "PEM CA bundle for https etcd members.")
    var etcdCAFile: String?

    @Option(
        name: .customLong("apisix.etcd-cert-file"),
        help: "PEM client certificate for etcd (with --apisix.etcd-key-file)."
    )
    var etcdCertFile: String?

    @Option(name: .customLong("apisix.etcd-key-file"), help: "PEM key of --apisix.etcd-cert-file.")
    var etcdKeyFile: String?

    @Option(name: .customLong("map"), help: "Pin an upstream: namespace/service:portName=upstreamID; repeatable.")
    var maps: [String] = []

    /// - Parameter readFiles: false (`--check-flags`) checks the flags only, without reading the key file.
    func apply(to settings: inout ExporterSettings, environment: [String: String], readFiles: Bool = true) throws {
        guard !adminURLs.isEmpty || !controlURLs.isEmpty || discoverPods != nil || !etcdEndpoints.isEmpty else {
            throw FlagError(
                flag: "--apisix.admin-url",
                "at least one --apisix.admin-url, --apisix.control-url, --apisix.discover-pods or "
                    + "--apisix.etcd-endpoint is required"
            )
        }
        try applyEtcd(to: &settings, readFiles: readFiles)
        for (flag, urls) in [("--apisix.admin-url", adminURLs), ("--apisix.control-url", controlURLs)] {
            for url in urls where APISIXTarget.parse(url) == nil {
                throw FlagError(flag: flag, "\"\(url)\" is not an http(s) URL without credentials or query")
            }
        }
        settings.adminURLs = adminURLs.compactMap { APISIXTarget.parse($0)?.url }
        settings.controlURLs = controlURLs.compactMap { APISIXTarget.parse($0)?.url }
        if !adminURLs.isEmpty, !controlURLs.isEmpty, adminURLs.count != controlURLs.count {
            throw FlagError(
                flag: "--apisix.control-url",
                "\(controlURLs.count) given for \(adminURLs.count) --apisix.admin-url: give one per admin URL "
                    + "(paired in order) or none"
            )
        }
        if let view {
            guard let parsed = APISIXView(rawValue: view) else {
                throw FlagError(flag: "--apisix.view", "\"\(view)\" must be admin or control")
            }
            settings.view = parsed
            if parsed == .admin, adminURLs.isEmpty, !controlURLs.isEmpty {
                throw FlagError(flag: "--apisix.view", "admin needs --apisix.admin-url")
            }
            if parsed == .control, controlURLs.isEmpty, !adminURLs.isEmpty {
                throw FlagError(flag: "--apisix.view", "control needs --apisix.control-url")
            }
        }
        try applyPodDiscovery(to: &settings)
        if let adminKeyFile, !readFiles {
            settings.adminKey = "(not read: --check-flags)"  // never printed: the summary shows "(set)"
        } else if let adminKeyFile {
            guard let data = FileManager.default.contents(atPath: adminKeyFile),
                let text = String(data: data, encoding: .utf8)
            else {
                throw FlagError(flag: "--apisix.admin-key-file", "cannot read \(adminKeyFile)")
            }
            let key = text.trimmingCharacters(in: .whitespacesAndNewlines)
            guard !key.isEmpty else { throw FlagError(flag: "--apisix.admin-key-file", "\(adminKeyFile) is empty") }
            settings.adminKey = key
        } else if let key = environment["APISIX_ADMIN_KEY"], !key.isEmpty {
            settings.adminKey = key
        }
        for map in maps {
            guard let override = MappingOverride(parsing: map) else {
                throw FlagError(flag: "--map", "\"\(map)\" is not namespace/service:portName=upstreamID")
            }
            settings.overrides.append(override)
        }
    }
}

extension APISIXOptions {
    /// The etcd source's flags: endpoints, prefix, credentials from a file, TLS files.
    func applyEtcd(to settings: inout ExporterSettings, readFiles: Bool) throws {
        guard !etcdEndpoints.isEmpty else {
            for (flag, value) in [
                ("--apisix.etcd-prefix", etcdPrefix), ("--apisix.etcd-username", etcdUsername),
                ("--apisix.etcd-password-file", etcdPasswordFile), ("--apisix.etcd-ca-file", etcdCAFile),
                ("--apisix.etcd-cert-file", etcdCertFile), ("--apisix.etcd-key-file", etcdKeyFile),
            ] where value != nil {
                throw FlagError(flag: flag, "only applies with --apisix.etcd-endpoint")
            }
            return
        }
        var endpoints: [String] = []
        for url in etcdEndpoints {
            guard let parsed = APISIXTarget.parse(url) else {
                throw FlagError(
                    flag: "--apisix.etcd-endpoint",
                    "\"\(url)\" is not an http(s) URL without credentials or query"
                )
            }
            guard URLComponents(string: parsed.url)?.path.isEmpty ?? false else {
                throw FlagError(flag: "--apisix.etcd-endpoint", "\"\(url)\" must not have a path")
            }
            endpoints.append(parsed.url)
        }
        var etcd = EtcdSettings(endpoints: endpoints)
        if let etcdPrefix {
            guard etcdPrefix.hasPrefix("/"), etcdPrefix.count > 1, !etcdPrefix.contains("//") else {
                throw FlagError(flag: "--apisix.etcd-prefix", "\"\(etcdPrefix)\" must start with / (like /apisix)")
            }
            etcd.prefix = etcdPrefix
        }
        switch (etcdUsername, etcdPasswordFile) {
        case (nil, nil): break
        case (.some, nil): throw FlagError(flag: "--apisix.etcd-password-file", "required with --apisix.etcd-username")
        case (nil, .some): throw FlagError(flag: "--apisix.etcd-username", "required with --apisix.etcd-password-file")
        case (.some(let username), .some(let file)):
            guard !username.isEmpty else { throw FlagError(flag: "--apisix.etcd-username", "empty") }
            etcd.username = username
            if readFiles {
                guard let data = FileManager.default.contents(atPath: file),
                    let text = String(data: data, encoding: .utf8)
                else {
                    throw FlagError(flag: "--apisix.etcd-password-file", "cannot read \(file)")
                }
                // Only a trailing newline is dropped: passwords may hold spaces.
                var password = text
                while password.hasSuffix("\n") || password.hasSuffix("\r") { password.removeLast() }
                guard !password.isEmpty else {
                    throw FlagError(flag: "--apisix.etcd-password-file", "\(file) is empty")
                }
                etcd.password = password
            } else {
                etcd.password = "(not read: --check-flags)"  // never printed: the summary shows "(set)"
            }
        }
        if (etcdCertFile == nil) != (etcdKeyFile == nil) {
            throw FlagError(
                flag: etcdCertFile == nil ? "--apisix.etcd-cert-file" : "--apisix.etcd-key-file",
                "--apisix.etcd-cert-file and --apisix.etcd-key-file go together"
            )
        }
        let https = endpoints.contains { $0.lowercased().hasPrefix("https://") }
        for (flag, value) in [
            ("--apisix.etcd-ca-file", etcdCAFile), ("--apisix.etcd-cert-file", etcdCertFile),
        ] where value != nil && !https {
            throw FlagError(flag: flag, "only applies with an https --apisix.etcd-endpoint")
        }
        etcd.caFile = etcdCAFile
        etcd.certFile = etcdCertFile
        etcd.keyFile = etcdKeyFile
        if https, readFiles {
            do {
                _ = try EtcdGatewayClient.tlsConfiguration(etcd)
            } catch {
                throw FlagError(
                    flag: etcdCAFile != nil ? "--apisix.etcd-ca-file" : "--apisix.etcd-cert-file",
                    error.message
                )
            }
        }
        settings.etcd = etcd
    }

    func applyPodDiscovery(to settings: inout ExporterSettings) throws {
        guard let discoverPods else {
            for (flag, value) in [
                ("--apisix.namespace", namespace), ("--apisix.admin-port", adminPort),
                ("--apisix.admin-scheme", adminScheme), ("--apisix.control-port", controlPort),
            ] where value != nil {
                throw FlagError(flag: flag, "only applies with --apisix.discover-pods")
            }
            return
        }
        let selectorCharacters = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_./=!,() ")
        guard !discoverPods.trimmingCharacters(in: .whitespaces).isEmpty,
            discoverPods.allSatisfy(selectorCharacters.contains)
        else {
            throw FlagError(flag: "--apisix.discover-pods", "\"\(discoverPods)\" is not a label selector")
        }
        guard let namespace else {
            throw FlagError(flag: "--apisix.namespace", "required with --apisix.discover-pods")
        }
        guard KubernetesOptions.isDNSLabel(namespace) else {
            throw FlagError(flag: "--apisix.namespace", "\"\(namespace)\" is not a valid namespace name")
        }
        var discovery = APISIXPodDiscoverySettings(selector: discoverPods, namespace: namespace)
        if let adminPort {
            guard let port = APISIXPodDiscoverySettings.PortReference(parsing: adminPort) else {
                throw FlagError(flag: "--apisix.admin-port", "\"\(adminPort)\" is not a port number or port name")
            }
            discovery.adminPort = port
        }
        if let adminScheme {
            guard ["http", "https"].contains(adminScheme) else {
                throw FlagError(flag: "--apisix.admin-scheme", "\"\(adminScheme)\" must be http or https")
            }
            discovery.adminScheme = adminScheme
        }
        if let controlPort {
            guard let port = APISIXPodDiscoverySettings.PortReference(parsing: controlPort) else {
                throw FlagError(flag: "--apisix.control-port", "\"\(controlPort)\" is not a port number or port name")
            }
            discovery.controlPort = port
        }
        if settings.view == .control, discovery.controlPort == nil {
            throw FlagError(flag: "--apisix.view", "control needs --apisix.control-port with --apisix.discover-pods")
        }
        settings.podDiscovery = discovery
    }
}

struct PollingOptions: ParsableArguments {
    @Option(name: .customLong("apisix.poll-interval"), help: "Interval of full upstream refreshes.")
    var pollInterval = "5s"

    @Option(
        name: .customLong("apisix.fast-poll-interval"),
        help: "Interval of targeted polls while changes are pending."
    )
    var fastPollInterval = "100ms"

    func apply(to settings: inout ExporterSettings) throws {
        settings.pollInterval = try duration("--apisix.poll-interval", pollInterval, minimum: 0.1)
        settings.fastPollInterval = try duration("--apisix.fast-poll-interval", fastPollInterval, minimum: 0.01)
    }
}

struct MeasurementOptions: ParsableArguments {
    @Option(name: .customLong("prestop-delay"), help: "The preStop delay your workloads use today.")
    var prestopDelay = "5s"

    @Option(name: .customLong("change-timeout"), help: "Give up on a change APISIX has not reflected after this long.")
    var changeTimeout = "10m"

    @Option(name: .customLong("recommendation.quantile"), help: "Removal-lag quantile the preStop sleep must cover.")
    var quantile = "0.99"

    @Option(name: .customLong("recommendation.margin"), help: "Added to the quantile before rounding up.")
    var margin = "1s"

    @Option(name: .customLong("recommendation.min-samples"), help: "Removals needed before recommending.")
    var minSamples = "20"

    @Option(name: .customLong("recommendation.window"), help: "Window of removal lags the recommendation uses.")
    var window = "24h"

    @Option(name: .customLong("recommendation.shutdown-budget"), help: "Time the app needs after the preStop sleep.")
    var shutdownBudget = "25s"

    @Option(
        name: .customLong("metrics.service-labels"),
        help: "Label per-Service metrics with namespace and service (true|false)."
    )
    var serviceLabels = "true"

    func apply(to settings: inout ExporterSettings) throws {
        settings.recommendation.configuredDelay = try duration("--prestop-delay", prestopDelay, minimum: 0)
        settings.changeTimeout = try duration("--change-timeout", changeTimeout, minimum: 1)
        guard let q = Double(quantile), q > 0, q < 1 else {
            throw FlagError(
                flag: "--recommendation.quantile",
                "\"\(quantile)\" must be a number between 0 and 1 (exclusive)"
            )
        }
        settings.recommendation.quantile = q
        settings.recommendation.margin = try duration("--recommendation.margin", margin, minimum: 0)
        guard let samples = Int(minSamples), samples >= 1 else {
            throw FlagError(flag: "--recommendation.min-samples", "\"\(minSamples)\" must be a positive integer")
        }
        settings.recommendation.minSamples = samples
        settings.recommendationWindow = try duration("--recommendation.window", window, minimum: 60)
        settings.recommendation.shutdownBudget = try duration(
            "--recommendation.shutdown-budget",
            shutdownBudget,
            minimum: 0
        )
        switch serviceLabels {
        case "true": settings.serviceLabels = true
        case "false": settings.serviceLabels = false
        default: throw FlagError(flag: "--metrics.service-labels", "\"\(serviceLabels)\" must be true or false")
        }
    }
}

struct LoggingOptions: ParsableArguments {
    @Option(name: .customLong("log.level"), help: "debug, info, warn or error.")
    var level = "info"

    @Option(name: .customLong("log.format"), help: "logfmt or json.")
    var format = "logfmt"

    func apply(to settings: inout ExporterSettings) throws {
        guard ["debug", "info", "warn", "error"].contains(level) else {
            throw FlagError(flag: "--log.level", "\"\(level)\" must be one of debug, info, warn, error")
        }
        guard ["logfmt", "json"].contains(format) else {
            throw FlagError(flag: "--log.format", "\"\(format)\" must be logfmt or json")
        }
        settings.logLevel = level
        settings.logFormat = format
    }
}

/// Parses a Go-style duration flag.
func duration(_ flag: String, _ text: String, minimum: Double) throws -> Double {
    let seconds: Double
    do {
        seconds = try GoDuration.parseSeconds(text)
    } catch {
        throw FlagError(flag: flag, "\"\(text)\" is not a duration like 100ms, 5s or 1h30m")
    }
    guard seconds >= minimum else {
        throw FlagError(flag: flag, "\(text) is below the minimum \(GoDuration.format(seconds: minimum))")
    }
    return seconds
}
