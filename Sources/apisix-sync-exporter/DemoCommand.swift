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
    @OptionGroup(title: "Measurement and recommendation") var measurement: MeasurementOptions
    @OptionGroup(title: "Logging") var logging: LoggingOptions

    @Option(name: .customLong("services"), help: "Number of simulated Services.")
    var services = "6"

    @Option(name: .customLong("lag-median"), help: "Median delay of the simulated ingress controller.")
    var lagMedian = "1.2s"

    @Option(name: .customLong("lag-p99"), help: "99th percentile delay of the simulated ingress controller.")
    var lagP99 = "4s"

    @Option(name: .customLong("seed"), help: "Seed of the simulation (default: random); the same seed replays a run.")
    var seed: String?

    @Option(
        name: .customLong("apisix.source"),
        help: "admin: poll the fake Admin API; etcd: watch a real etcd the demo starts (needs etcd installed)."
    )
    var source = "admin"

    @Option(
        name: .customLong("kubeconfig-out"),
        help: "Where to write a kubeconfig for kubectl (default: a temp file)."
    )
    var kubeconfigOut: String?

    func run() async throws {
        var settings = ExporterSettings()
        try web.apply(to: &settings)
        try polling.apply(to: &settings)
        try measurement.apply(to: &settings)
        try logging.apply(to: &settings)
        let options = try demoOptions()
        let logger = bootstrapLogging(settings)
        try await Demo.run(settings: settings, options: options, logger: logger)
    }

    func demoOptions() throws -> DemoOptions {
        var options = DemoOptions()
        guard let count = Int(services), (1...10_000).contains(count) else {
            throw FlagError(flag: "--services", "\"\(services)\" must be an integer from 1 to 10000")
        }
        options.services = count
        options.lagMedian = try duration("--lag-median", lagMedian, minimum: 0.01)
        options.lagP99 = try duration("--lag-p99", lagP99, minimum: 0.01)
        guard options.lagP99 >= options.lagMedian else {
            throw FlagError(flag: "--lag-p99", "\(lagP99) must not be below --lag-median \(lagMedian)")
        }
        if let seed {
            guard let value = UInt64(seed) else {
                throw FlagError(flag: "--seed", "\"\(seed)\" is not an unsigned integer")
            }
            options.seed = value
        } else {
            options.seed = UInt64.random(in: 1...999_999)
        }
        options.kubeconfigPath = kubeconfigOut
        guard let parsed = DemoOptions.Source(rawValue: source) else {
            throw FlagError(flag: "--apisix.source", "\"\(source)\" must be admin or etcd")
        }
        if parsed == .etcd, DemoEtcd.binary == nil {
            throw FlagError(flag: "--apisix.source", DemoEtcd.installHint)
        }
        options.source = parsed
        return options
    }
}
