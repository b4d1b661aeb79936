import APISIXSyncDemo
import AsyncHTTPClient
import Foundation
import SimulatedCluster

/// Many Services at a steady churn, through the same HTTP fakes, with the real exporter binary as a child process:
/// reports its CPU, memory, APISIX request rates, `/metrics` cost and time to ready.
struct ScaleBenchmark {
    var exporterBinary: String
    var services: Int
    var endpoints: Int
    var rate: Double
    var duration: Double
    var pollInterval: String
    var fastPollInterval: String
    var seed: UInt64
    /// Seconds between `/metrics` scrapes during the measured window (their cost is part of the CPU figure); 0: none.
    var scrapeInterval: Double = 15
    var extraArguments: [String] = []
    /// Whether every change is a pod deletion (``SimulatedWorld/deletePod(service:)``: the pod terminates, its
    /// ReplicaSet replaces it) rather than a scale-down or scale-up; `rate` is then the pod deletions per second.
    var podDeletions = false
    /// Where to copy the exporter's log, if anywhere.
    var exporterLog: String?
    /// The exporter's `--log.level`: info as in production (per-change debug lines would be part of the measured cost).
    var exporterLogLevel = "info"
    /// What the exporters read APISIX through, one exporter each, side by side (etcd: a real etcd, the fake Admin
    /// API's writes mirrored into it).
    var sources: [DemoOptions.Source] = [.admin]
    /// A shell command run at the start and the end of the measured window (`EXPORTER_PID`, `EXPORTER_SOURCE`,
    /// `WINDOW` set), once per exporter: e.g. `callgrind_control -d $EXPORTER_PID` to count the window's instructions
    /// of an exporter run under callgrind.
    var windowHook: String?

    /// Runs ``windowHook`` (if any) for `exporter` and waits for it.
    func runWindowHook(_ window: String, exporter: ScaleExporter) {
        guard let windowHook else { return }
        let hook = Process()
        hook.executableURL = URL(fileURLWithPath: "/bin/sh")
        hook.arguments = ["-c", windowHook]
        var environment = ProcessInfo.processInfo.environment
        environment["EXPORTER_PID"] = String(exporter.process.pid)
        environment["EXPORTER_SOURCE"] = exporter.source.rawValue
        environment["WINDOW"] = window
        hook.environment = environment
        do {
            try hook.run()
            hook.waitUntilExit()
        } catch {
            print("  window hook failed: \(error)")
        }
    }

    /// Where the exporter of `source` copies its log: ``exporterLog`` itself with one source, with the source
    /// before its extension with several (`/tmp/exporter.json`: `/tmp/exporter.admin.json`, ...).
    func exporterLog(for source: DemoOptions.Source) -> String? {
        guard let exporterLog, sources.count > 1 else { return exporterLog }
        let url = URL(fileURLWithPath: exporterLog)
        let named = url.deletingPathExtension().appendingPathExtension(source.rawValue)
        return (url.pathExtension.isEmpty ? named : named.appendingPathExtension(url.pathExtension)).path
    }

    func run() async throws {
        var options = DemoOptions()
        options.services = services
        options.seed = seed
        options.churn = false
        let cluster = try await DemoCluster.start(options: options)
        let etcd = sources.contains(.etcd) ? try await DemoEtcd.start() : nil
        defer { etcd?.stop() }
        etcd?.mirror(cluster.apisix)
        var configuration = Demo.worldConfiguration(options)
        configuration.replicas = endpoints...endpoints
        configuration.maxEndpointsPerSlice = 100
        configuration.actionLogLimit = 1000
        let world = SimulatedWorld(kubernetes: cluster.kubernetes, apisix: cluster.apisix, configuration: configuration)
        let seeding = Date()
        await world.start()
        print(
            String(
                format:
                    "scale benchmark (%@): %d Services x %d endpoints, %.0f %@/s for %.0f s, fast-poll %@, poll %@",
                sources.count == 1
                    ? "source \(sources[0].rawValue)"
                    : "sources \(sources.map(\.rawValue).joined(separator: " and ")), side by side",
                services,
                endpoints,
                rate,
                podDeletions ? "pod deletions" : "changes",
                duration,
                fastPollInterval,
                pollInterval
            )
        )
        try await etcd?.mirrored()
        print(
            String(
                format: "  simulated cluster seeded in %.1f s (%d pods)",
                Date().timeIntervalSince(seeding),
                cluster.kubernetes.podCount
            )
        )

        let http = HTTPClient(eventLoopGroupProvider: .singleton)
        var exporters: [ScaleExporter] = []
        var worldTask: Task<Void, any Error>?
        do {
            for source in sources {
                exporters.append(
                    try ScaleExporter(
                        source: source,
                        binary: exporterBinary,
                        arguments: ["--kubeconfig", cluster.kubeconfigPath]
                            + (source == .etcd
                                ? ["--apisix.etcd-endpoint", etcd?.endpoint ?? ""]
                                : ["--apisix.admin-url", cluster.apisix.baseURL])
                            + ["--apisix.poll-interval", pollInterval, "--apisix.fast-poll-interval", fastPollInterval]
                            + extraArguments,
                        logLevel: exporterLogLevel,
                        logFile: exporterLog(for: source),
                        http: http
                    )
                )
            }
            // Each exporter's time to ready is its own: they are awaited together.
            exporters = try await withThrowingTaskGroup(of: (Int, ScaleExporter).self) { group in
                for (index, exporter) in exporters.enumerated() {
                    group.addTask {
                        var exporter = exporter
                        try await exporter.waitUntilReady()
                        return (index, exporter)
                    }
                }
                var ready = exporters
                for try await (index, exporter) in group { ready[index] = exporter }
                return ready
            }
            for index in exporters.indices { try await exporters[index].scrapeFirst() }
            worldTask = Task { try await world.run() }

            // Warm-up, then measure a steady window.
            var generator = SeededGenerator(seed: seed)
            let names = world.serviceNames
            var scaledDown = Set<String>()
            func churn(for seconds: Double) async throws {
                let interval = 1 / rate
                let end = Date().addingTimeInterval(seconds)
                var next = Date()
                while Date() < end {
                    let name = names[Int.random(in: 0..<names.count, using: &generator)]
                    if podDeletions {
                        _ = world.deletePod(service: name)
                    } else if scaledDown.remove(name) != nil {
                        _ = world.scale(service: name, to: endpoints)
                    } else {
                        scaledDown.insert(name)
                        _ = world.scale(service: name, to: endpoints - 1)
                    }
                    next = next.addingTimeInterval(interval)
                    let wait = next.timeIntervalSinceNow
                    if wait > 0 { try await Task.sleep(for: .milliseconds(Int(wait * 1000))) }
                }
            }
            try await churn(for: min(20, duration / 4))
            for exporter in exporters { runWindowHook("start", exporter: exporter) }
            for index in exporters.indices { exporters[index].startWindow() }
            let apisixStart = cluster.apisix.statistics
            let windowStart = Date()
            let scrapers = exporters.map { $0.scrapes(every: scrapeInterval) }
            try await churn(for: duration)
            for scraper in scrapers { scraper.cancel() }
            var windowScrapes: [[Double]] = []
            for scraper in scrapers { windowScrapes.append(await scraper.value) }
            let elapsed = Date().timeIntervalSince(windowStart)
            for index in exporters.indices {
                exporters[index].endWindow(elapsed: elapsed, scrapes: windowScrapes[index])
            }
            let apisixEnd = cluster.apisix.statistics
            for exporter in exporters { runWindowHook("end", exporter: exporter) }
            for index in exporters.indices { try await exporters[index].finish() }

            let list = apisixEnd.listRequests - apisixStart.listRequests
            let single = apisixEnd.totalSingleRequests - apisixStart.totalSingleRequests
            report(exporters, adminRequests: (list, single), elapsed: elapsed)
            worldTask?.cancel()
            _ = await worldTask?.result
            for exporter in exporters { _ = exporter.process.stop() }
            try? await http.shutdown()
            await cluster.stop()
        } catch {
            worldTask?.cancel()
            for exporter in exporters { _ = exporter.process.stop() }
            try? await http.shutdown()
            await cluster.stop()
            throw error
        }
    }

    /// Prints each exporter's figures (under a heading naming its source when there are several), then a summary
    /// table of them side by side. `adminRequests` are the fake Admin API's counts over the window.
    func report(_ exporters: [ScaleExporter], adminRequests: (list: Int, single: Int), elapsed: Double) {
        // Every request the fake Admin API counts in the window comes from an exporter given its address: the
        // simulated world writes into the fake in-process and the etcd mirror is handed each write by an in-process
        // hook (`setStoreMirror`), both outside the counted requests; an etcd-source exporter has no Admin API
        // address at all.
        let counted = [
            String(
                format: "APISIX requests/s: list %.2f, single GET %.2f (%d changes/s driven)",
                Double(adminRequests.list) / elapsed,
                Double(adminRequests.single) / elapsed,
                Int(rate)
            ),
            String(
                format: "APISIX requests in the window: list %d, single GET %d, over %.1f s",
                adminRequests.list,
                adminRequests.single,
                elapsed
            ),
        ]
        guard exporters.count > 1 else {
            exporters.first?.report(indent: "  ", scrapeInterval: scrapeInterval, apisixRequests: counted)
            return
        }
        for exporter in exporters {
            switch exporter.source {
            case .admin:
                print("  source admin (--apisix.admin-url, the fake Admin API):")
                exporter.report(indent: "    ", scrapeInterval: scrapeInterval, apisixRequests: counted)
            case .etcd:
                print("  source etcd (--apisix.etcd-endpoint, the etcd mirror; no Admin API address given):")
                exporter.report(
                    indent: "    ",
                    scrapeInterval: scrapeInterval,
                    apisixRequests: [
                        "APISIX Admin API requests: 0 (started without --apisix.admin-url, it has no Admin API "
                            + "address; the counts above are all the admin source's)"
                    ]
                )
            }
        }
        let columns = exporters.map { $0.source == .admin ? "Admin API source" : "etcd source" }
        print("")
        print("| | " + columns.joined(separator: " | ") + " |")
        print("|---|" + columns.map { _ in "---|" }.joined())
        func row(_ name: String, _ value: (ScaleExporter) -> String) {
            print("| \(name) | " + exporters.map(value).joined(separator: " | ") + " |")
        }
        row("CPU at steady churn") { String(format: "%.1f %% of a core", $0.figures.cpu * 100) }
        row("peak RSS") { String(format: "%.0f MB", Double($0.figures.peakRSS) / 1e6) }
        row("Admin API requests in the window") {
            $0.source == .admin ? "\(adminRequests.list + adminRequests.single)" : "0 (no Admin API address)"
        }
        row("changes synced of ended") { "\($0.figures.changes.synced) of \($0.figures.changes.ended)" }
    }

    /// Sums `apisix_sync_changes_total` from an exposition: synced, all outcomes, and each outcome.
    static func changeCounts(metrics: String) -> (synced: Int, ended: Int, byOutcome: [String: Int]) {
        var byOutcome: [String: Double] = [:]
        for line in metrics.split(separator: "\n") where line.hasPrefix("apisix_sync_changes_total{") {
            guard let value = line.split(separator: " ").last.flatMap({ Double($0) }),
                let start = line.range(of: "outcome=\""),
                let end = line[start.upperBound...].firstIndex(of: "\"")
            else { continue }
            byOutcome[String(line[start.upperBound..<end]), default: 0] += value
        }
        let counts = byOutcome.mapValues { Int($0) }
        return (counts["synced"] ?? 0, counts.values.reduce(0, +), counts)
    }
}
