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
    @OptionGroup(title: "APISIX polling") var polling: PollingOptions
    @OptionGroup(title: "Measurement and recommendation") var measurement: MeasurementOptions
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
        var settings = ExporterSettings()
        try web.apply(to: &settings, readFiles: !checkFlags)
        try kubernetes.apply(to: &settings)
        try apisix.apply(to: &settings, environment: environment, readFiles: !checkFlags)
        try polling.apply(to: &settings)
        try measurement.apply(to: &settings)
        try logging.apply(to: &settings)
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
                kubeconfigPath: settings.kubeconfigPath,
                context: settings.kubernetesContext,
                environment: environment
            )
        } catch {
            throw FlagError(flag: settings.kubeconfigPath == nil ? "Kubernetes connection" : "--kubeconfig", "\(error)")
        }
        let logger = bootstrapLogging(settings)
        if let keyFile = apisix.adminKeyFile {
            SecretFilePermissions.warnIfExposed(path: keyFile, flag: "--apisix.admin-key-file", logger: logger)
        }
        if let passwordFile = apisix.etcdPasswordFile {
            SecretFilePermissions.warnIfExposed(path: passwordFile, flag: "--apisix.etcd-password-file", logger: logger)
        }
        try await Exporter.run(settings: settings, connection: connection, logger: logger)
    }
}

/// Installs the logfmt/json handler for the whole process and returns the exporter's logger.
func bootstrapLogging(_ settings: ExporterSettings) -> Logger {
    let level = ExporterLogHandler.level(named: settings.logLevel) ?? .info
    let format = ExporterLogHandler.Format(rawValue: settings.logFormat) ?? .logfmt
    LoggingSystem.bootstrap { label in ExporterLogHandler(label: label, format: format, level: level) }
    var logger = Logger(label: "apisix-sync-exporter")
    logger.logLevel = level
    return logger
}
