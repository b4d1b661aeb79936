import APISIXSyncDemo
import APISIXSyncExporter
import ArgumentParser
import Foundation

/// `demo`: the whole job on an embedded simulated cluster.
struct DemoCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Run the exporter against an embedded simulated cluster (fake Kubernetes API and APISIX)."
    )

    @OptionGroup(title: "Web") var web: WebOptions
    @OptionGroup(title: "APISIX polling") var polling: PollingOptions
    @OptionGroup(title: "Measurement") var measurement: MeasurementOptions
    @OptionGroup(title: "Recommendation") var recommendation: RecommendationOptions
    @OptionGroup(title: "Logging") var logging: LoggingOptions

    @Option(name: .customLong("services"), help: "Number of simulated Services.")
    var services = DemoFlags().services

    @Option(name: .customLong("lag-median"), help: "Median delay of the simulated ingress controller.")
    var lagMedian = DemoFlags().lagMedian

    @Option(name: .customLong("lag-p99"), help: "99th percentile delay of the simulated ingress controller.")
    var lagP99 = DemoFlags().lagP99

    @Option(name: .customLong("seed"), help: "Seed of the simulation (default: random); the same seed replays a run.")
    var seed: String?

    @Option(
        name: .customLong("apisix.source"),
        help: "admin: poll the fake Admin API; etcd: watch a real etcd the demo starts (needs etcd installed)."
    )
    var source = DemoFlags().source

    @Option(
        name: .customLong("kubeconfig-out"),
        help: "Where to write a kubeconfig for kubectl (default: a temp file)."
    )
    var kubeconfigOut: String?

    func run() async throws {
        // The demo's own cluster and APISIX stand in for the Kubernetes and APISIX flags.
        let settings = ExporterSettings(
            web: try web.flags.resolve(),
            polling: try polling.flags.resolve(),
            measurement: try MeasurementFlags(measurement, recommendation).resolve(),
            logging: try logging.flags.resolve()
        )
        let options = try demoFlags.resolve()
        let logger = bootstrapLogging(settings.logging)
        try await Demo.run(settings: settings, options: options, logger: logger)
    }

    /// The demo's own flags, unchecked.
    var demoFlags: DemoFlags {
        var flags = DemoFlags()
        flags.services = services
        flags.lagMedian = lagMedian
        flags.lagP99 = lagP99
        flags.seed = seed
        flags.source = source
        flags.kubeconfigOut = kubeconfigOut
        return flags
    }
}
