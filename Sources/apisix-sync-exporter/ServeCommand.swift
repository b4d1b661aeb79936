import APISIXSyncExporter
import ArgumentParser
import Foundation
import Logging

/// `serve`: runs the exporter.
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Watch EndpointSlices and APISIX, serve metrics and the preStop recommendation (default)."
    )

    @OptionGroup(title: "Web") var web: WebOptions
    @OptionGroup(title: "Kubernetes") var kubernetes: KubernetesOptions
    @OptionGroup(title: "APISIX") var apisix: APISIXOptions
    @OptionGroup(title: "APISIX pod discovery") var discovery: APISIXDiscoveryOptions
    @OptionGroup(title: "APISIX etcd source") var etcd: EtcdOptions
    @OptionGroup(title: "APISIX etcd TLS") var etcdTLS: EtcdTLSOptions
    @OptionGroup(title: "APISIX polling") var polling: PollingOptions
    @OptionGroup(title: "Measurement") var measurement: MeasurementOptions
    @OptionGroup(title: "Recommendation") var recommendation: RecommendationOptions
    @OptionGroup(title: "Logging") var logging: LoggingOptions

    @Flag(
        name: .customLong("check-flags"),
        help: """
            Check every flag and exit without starting: 0 and the settings when they are valid, 2 and one line \
            naming the flag when not. Files the flags name (key file, web config, kubeconfig) are not read, so it \
            runs anywhere, e.g. on manifests in CI.
            """
    )
    var checkFlags = false

    func run() async throws {
        let environment = ProcessInfo.processInfo.environment
        let settings = try flags.resolve(environment: environment, readFiles: !checkFlags)
        if checkFlags {
            print("apisix-sync-exporter: flags ok")
            for (flag, value) in settings.redactedSummary.sorted(by: { $0.key < $1.key }) {
                print("  \(flag): \(value.isEmpty ? "(none)" : value)")
            }
            return
        }
        let connection: KubernetesConnection
        do {
            connection = try KubernetesConnection.resolve(
                kubeconfigPath: settings.kubernetes.kubeconfigPath,
                context: settings.kubernetes.context,
                environment: environment
            )
        } catch {
            throw SettingsError(
                flag: settings.kubernetes.kubeconfigPath == nil ? "Kubernetes connection" : "--kubeconfig",
                "\(error)"
            )
        }
        let logger = bootstrapLogging(settings.logging)
        if let keyFile = apisix.adminKeyFile {
            SecretFilePermissions.warnIfExposed(path: keyFile, flag: "--apisix.admin-key-file", logger: logger)
        }
        if let passwordFile = etcd.passwordFile {
            SecretFilePermissions.warnIfExposed(path: passwordFile, flag: "--apisix.etcd-password-file", logger: logger)
        }
        try await Exporter.run(settings: settings, connection: connection, logger: logger)
    }

    /// The flags of every group, unchecked.
    var flags: ExporterFlags {
        var flags = ExporterFlags()
        flags.web = web.flags
        flags.kubernetes = kubernetes.flags
        apisix.apply(to: &flags.apisix)
        discovery.apply(to: &flags.apisix)
        etcd.apply(to: &flags.apisix)
        etcdTLS.apply(to: &flags.apisix)
        flags.polling = polling.flags
        flags.measurement = MeasurementFlags(measurement, recommendation)
        flags.logging = logging.flags
        return flags
    }
}

/// Installs the logfmt/json handler for the whole process and returns the exporter's logger.
func bootstrapLogging(_ settings: LoggingSettings) -> Logger {
    let level = ExporterLogHandler.level(named: settings.level) ?? .info
    let format = ExporterLogHandler.Format(rawValue: settings.format) ?? .logfmt
    LoggingSystem.bootstrap { label in ExporterLogHandler(label: label, format: format, level: level) }
    var logger = Logger(label: "apisix-sync-exporter")
    logger.logLevel = level
    return logger
}
