import APISIXSyncDemo
import APISIXSyncExporter
import ArgumentParser
import Foundation

/// `apisix-sync-bench`: accuracy and scale benchmarks of the exporter against the simulated cluster.
@main
struct BenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "apisix-sync-bench",
        abstract: "Benchmarks apisix-sync-exporter against a simulated cluster with known injected delays.",
        subcommands: [AccuracyCommand.self, ScaleCommand.self],
        defaultSubcommand: AccuracyCommand.self
    )

    /// The exporter binary next to this one (same build configuration).
    static func exporterBinary(_ given: String?) -> String {
        if let given { return given }
        let me =
            (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
        return URL(fileURLWithPath: me).deletingLastPathComponent().appendingPathComponent("apisix-sync-exporter").path
    }
}

struct AccuracyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "accuracy",
        abstract: "Compare every recorded lag with the injected truth; exit 1 on any false sample."
    )

    @Option(help: "Changes to simulate.") var changes = 300
    @Option(help: "Simulated Services.") var services = 6
    @Option(help: "Seed.") var seed: UInt64 = 42
    @Option(name: .customLong("lag-median"), help: "Median injected delay in seconds.") var lagMedian = 1.2
    @Option(name: .customLong("lag-p99"), help: "p99 injected delay in seconds.") var lagP99 = 4.0
    @Option(name: .customLong("apisix.poll-interval")) var pollInterval = "5s"
    @Option(name: .customLong("apisix.fast-poll-interval"), help: "Seconds.") var fastPollInterval = 0.1
    @Option(help: "Path of apisix-sync-exporter (default: next to this binary).") var exporter: String?
    @Flag(help: "List missed and superseded changes.") var verbose = false

    func run() async throws {
        var options = DemoOptions()
        options.services = services
        options.seed = seed
        options.lagMedian = lagMedian
        options.lagP99 = lagP99
        let benchmark = AccuracyBenchmark(
            exporterBinary: BenchCommand.exporterBinary(exporter),
            changes: changes,
            options: options,
            pollInterval: pollInterval,
            fastPollInterval: fastPollInterval,
            verbose: verbose
        )
        if try await !benchmark.run() { throw ExitCode(1) }
    }
}

struct ScaleCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "scale",
        abstract: "Many Services at a steady churn: CPU, memory, APISIX load, /metrics cost, time to ready."
    )

    @Option(help: "Simulated Services.") var services = 10_000
    @Option(help: "Endpoints per Service.") var endpoints = 10
    @Option(help: "Endpoint changes per second.") var rate = 20.0
    @Option(help: "Seconds of measured churn.") var duration = 120.0
    @Option(help: "Seed.") var seed: UInt64 = 42
    @Option(help: "Seconds between /metrics scrapes during the measured churn, as Prometheus would; 0: none.")
    var scrapeInterval = 15.0
    @Option(name: .customLong("apisix.poll-interval")) var pollInterval = "5s"
    @Option(name: .customLong("apisix.fast-poll-interval")) var fastPollInterval = "100ms"
    @Option(help: "Path of apisix-sync-exporter (default: next to this binary).") var exporter: String?
    @Option(name: .customLong("exporter-arg"), help: "Extra exporter argument; repeatable.") var exporterArguments:
        [String] = []

    func run() async throws {
        try await ScaleBenchmark(
            exporterBinary: BenchCommand.exporterBinary(exporter),
            services: services,
            endpoints: endpoints,
            rate: rate,
            duration: duration,
            pollInterval: pollInterval,
            fastPollInterval: fastPollInterval,
            seed: seed,
            scrapeInterval: scrapeInterval,
            extraArguments: exporterArguments
        ).run()
    }
}
