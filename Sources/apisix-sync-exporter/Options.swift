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

    func apply(to settings: inout ExporterSettings) throws {
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
            do throws(WebConfigError) {
                let config = try WebConfig.load(path: configFile)
                try config.validateTLSFiles()
            } catch {
                throw FlagError(flag: "--web.config.file", "\(configFile): \(error)")
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

    func apply(to settings: inout ExporterSettings) throws {
        if let kubeconfig, kubeconfig.isEmpty { throw FlagError(flag: "--kubeconfig", "empty path") }
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

    @Option(name: .customLong("map"), help: "Pin an upstream: namespace/service:portName=upstreamID; repeatable.")
    var maps: [String] = []

    func apply(to settings: inout ExporterSettings, environment: [String: String]) throws {
        guard !adminURLs.isEmpty else { throw FlagError(flag: "--apisix.admin-url", "at least one is required") }
        for url in adminURLs {
            guard let target = APISIXTarget(adminURL: url) else {
                throw FlagError(
                    flag: "--apisix.admin-url",
                    "\"\(url)\" is not an http(s) URL without credentials or query"
                )
            }
            settings.adminURLs.append(target.adminURL)
        }
        if let adminKeyFile {
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
