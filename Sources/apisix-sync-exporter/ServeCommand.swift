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

    func run() async throws {
        let environment = ProcessInfo.processInfo.environment
        var settings = ExporterSettings()
        try web.apply(to: &settings)
        try kubernetes.apply(to: &settings)
        try apisix.apply(to: &settings, environment: environment)
        try polling.apply(to: &settings)
        try measurement.apply(to: &settings)
        try logging.apply(to: &settings)
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
