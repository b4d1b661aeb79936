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
        abstract: "Compare every recorded lag with the injected truth under a scripted fault mix.",
        discussion: """
            Exits 1 when the exporter's recommendation is missing or below the truth's preStop, or when an exact \
            sample is false (no such change reached APISIX) or early (below the true lag by more than 20 ms).
            """
    )

    @Option(help: "Changes to simulate (at least one fault cycle of about 30 s runs).") var changes = 300
    @Option(help: "Simulated Services.") var services = 6
    @Option(help: "Seed.") var seed: UInt64 = 42
    @Option(help: "Seeds to run one after the other, e.g. 42,7,11,3,5 (replaces --seed); exit 1 if any run fails.")
    var seeds: String?
    @Option(name: .customLong("lag-median"), help: "Median injected delay in seconds.") var lagMedian = 1.2
    @Option(name: .customLong("lag-p99"), help: "p99 injected delay in seconds.") var lagP99 = 4.0
    @Option(name: .customLong("apisix.poll-interval")) var pollInterval = "5s"
    @Option(name: .customLong("apisix.fast-poll-interval"), help: "Seconds.") var fastPollInterval = 0.1
    @Option(help: "Path of apisix-sync-exporter (default: next to this binary).") var exporter: String?
    @Option(
        name: .customLong("apisix.source"),
        help: ArgumentHelp(
            "What the exporter reads APISIX through: admin (the fake Admin API) or etcd (a real etcd the benchmark "
                + "starts, the fake Admin API's writes mirrored into it)."
        )
    )
    var source = "admin"
    @Flag(help: "List samples outside the bounds, intervals missing the truth and unsampled slow removals.")
    var verbose = false

    func validate() throws {
        guard DemoOptions.Source(rawValue: source) != nil else {
            throw ValidationError("--apisix.source must be admin or etcd")
        }
        if let seeds, Self.parse(seeds) == nil {
            throw ValidationError("--seeds must be a comma-separated list of unsigned integers, e.g. 42,7,11")
        }
    }

    static func parse(_ seeds: String) -> [UInt64]? {
        let parsed = seeds.split(separator: ",").map { UInt64($0.trimmingCharacters(in: .whitespaces)) }
        guard !parsed.isEmpty, parsed.allSatisfy({ $0 != nil }) else { return nil }
        return parsed.compactMap { $0 }
    }

    func run() async throws {
        let runSeeds = seeds.flatMap(Self.parse) ?? [seed]
        var failed: [UInt64] = []
        for (index, runSeed) in runSeeds.enumerated() {
            if index > 0 { print("") }
            var options = DemoOptions()
            options.services = services
            options.seed = runSeed
            options.lagMedian = lagMedian
            options.lagP99 = lagP99
            options.source = DemoOptions.Source(rawValue: source) ?? .admin
            let benchmark = AccuracyBenchmark(
                exporterBinary: BenchCommand.exporterBinary(exporter),
                changes: changes,
                options: options,
                pollInterval: pollInterval,
                fastPollInterval: fastPollInterval,
                verbose: verbose
            )
            if try await !benchmark.run() { failed.append(runSeed) }
        }
        if runSeeds.count > 1 {
            print(
                "\nseeds \(runSeeds.map(String.init).joined(separator: ",")): "
                    + (failed.isEmpty ? "all passed" : "failed \(failed.map(String.init).joined(separator: ","))")
            )
        }
        if !failed.isEmpty { throw ExitCode(1) }
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
    @Flag(
        name: .customLong("pod-deletions"),
        help: "Make every change a pod deletion (its ReplicaSet replaces it) instead of scaling down and up."
    )
    var podDeletions = false
    @Option(name: .customLong("exporter-log"), help: "Write a copy of the exporter's log (JSON lines) to this file.")
    var exporterLog: String?
    @Option(
        name: .customLong("exporter-log-level"),
        help: "The exporter's --log.level (debug logs every change record, at a cost in the measured CPU)."
    )
    var exporterLogLevel = "info"
    @Option(
        name: .customLong("apisix.source"),
        help: ArgumentHelp(
            "admin (the fake Admin API), etcd (a real etcd, the fake Admin API's writes mirrored into it) or both "
                + "(one exporter of each, side by side against the same cluster and churn, measured in the same "
                + "window; --exporter-log then names one file per source, e.g. exporter.admin.json)."
        )
    )
    var source = "admin"
    @Option(
        name: .customLong("window-hook"),
        help: ArgumentHelp(
            "A shell command run at the start and the end of the measured window, with EXPORTER_PID, "
                + "EXPORTER_SOURCE and WINDOW (start, end) set, once per exporter, e.g. "
                + "\"callgrind_control -d $EXPORTER_PID\" for an exporter run under callgrind "
                + "(pass a wrapper script as --exporter)."
        )
    )
    var windowHook: String?

    func validate() throws {
        guard ScaleSource(rawValue: source) != nil else {
            throw ValidationError("--apisix.source must be \(ScaleSource.choices)")
        }
    }

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
            extraArguments: exporterArguments,
            podDeletions: podDeletions,
            exporterLog: exporterLog,
            exporterLogLevel: exporterLogLevel,
            sources: (ScaleSource(rawValue: source) ?? .admin).sources,
            windowHook: windowHook
        ).run()
    }
}
