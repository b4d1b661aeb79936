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
    /// What the exporter reads APISIX through (etcd: a real etcd, the fake Admin API's writes mirrored into it).
    var source: DemoOptions.Source = .admin
    /// A shell command run at the start and the end of the measured window (`EXPORTER_PID`, `WINDOW` set): e.g.
    /// `callgrind_control -d $EXPORTER_PID` to count the window's instructions of an exporter run under callgrind.
    var windowHook: String?

    /// Runs ``windowHook`` (if any) and waits for it.
    func runWindowHook(_ window: String, pid: Int32) {
        guard let windowHook else { return }
        let hook = Process()
        hook.executableURL = URL(fileURLWithPath: "/bin/sh")
        hook.arguments = ["-c", windowHook]
        var environment = ProcessInfo.processInfo.environment
        environment["EXPORTER_PID"] = String(pid)
        environment["WINDOW"] = window
        hook.environment = environment
        do {
            try hook.run()
            hook.waitUntilExit()
        } catch {
            print("  window hook failed: \(error)")
        }
    }

    func run() async throws {
        var options = DemoOptions()
        options.services = services
        options.seed = seed
        options.churn = false
        let cluster = try await DemoCluster.start(options: options)
        let etcd = source == .etcd ? try await DemoEtcd.start() : nil
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
                    "scale benchmark (source %@): %d Services x %d endpoints, %.0f %@/s for %.0f s, fast-poll %@, poll %@",
                source.rawValue,
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

        let started = Date()
        let exporter = try ExporterProcess(
            binary: exporterBinary,
            arguments: ["--kubeconfig", cluster.kubeconfigPath]
                + (etcd.map { ["--apisix.etcd-endpoint", $0.endpoint] }
                    ?? ["--apisix.admin-url", cluster.apisix.baseURL])
                + ["--apisix.poll-interval", pollInterval, "--apisix.fast-poll-interval", fastPollInterval]
                + extraArguments,
            logLevel: exporterLogLevel,
            logFile: exporterLog
        )
        let http = HTTPClient(eventLoopGroupProvider: .singleton)
        var worldTask: Task<Void, any Error>?
        do {
            let port = try await exporter.waitForPort()
            try await exporter.waitUntilReady(http: http, port: port, timeout: 600)
            let timeToReady = Date().timeIntervalSince(started)
            let readyMemory = exporter.memory()
            @Sendable func scrape() async throws -> (seconds: Double, body: String) {
                let begin = Date()
                let response = try await http.execute(
                    HTTPClientRequest(url: "http://127.0.0.1:\(port)/metrics"),
                    timeout: .seconds(120)
                )
                let body = try await response.body.collect(upTo: 512 << 20)
                return (Date().timeIntervalSince(begin), String(buffer: body))
            }
            // The first scrape renders a series for every Service at once.
            let firstCPU = exporter.cpuSeconds() ?? 0
            let first = try await scrape()
            let firstScrapeCPU = (exporter.cpuSeconds() ?? 0) - firstCPU
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
            runWindowHook("start", pid: exporter.pid)
            let cpuStart = exporter.cpuSeconds() ?? 0
            let apisixStart = cluster.apisix.statistics
            let windowStart = Date()
            let scraper = Task { () -> [Double] in
                var times: [Double] = []
                guard scrapeInterval > 0 else { return times }
                while !Task.isCancelled {
                    try? await Task.sleep(for: .milliseconds(Int(scrapeInterval * 1000)))
                    if Task.isCancelled { break }
                    if let result = try? await scrape() { times.append(result.seconds) }
                }
                return times
            }
            try await churn(for: duration)
            scraper.cancel()
            let windowScrapes = await scraper.value
            let elapsed = Date().timeIntervalSince(windowStart)
            let cpu = ((exporter.cpuSeconds() ?? 0) - cpuStart) / elapsed
            let apisixEnd = cluster.apisix.statistics
            let memory = exporter.memory()
            runWindowHook("end", pid: exporter.pid)

            var renderTimes: [Double] = []
            var size = 0
            var lastMetrics = ""
            for _ in 0..<5 {
                let result = try await scrape()
                renderTimes.append(result.seconds)
                size = result.body.utf8.count
                lastMetrics = result.body
            }
            let changes = Self.changeCounts(metrics: lastMetrics)

            print(String(format: "  time to ready: %.1f s (process start to /-/ready 200)", timeToReady))
            print(String(format: "  exporter CPU at steady churn: %.1f %% of a core", cpu * 100))
            print(
                String(
                    format: "  exporter RSS: %.0f MB at ready, %.0f MB at the end, peak %.0f MB",
                    Double(readyMemory?.rss ?? 0) / 1e6,
                    Double(memory?.rss ?? 0) / 1e6,
                    Double(memory?.peak ?? 0) / 1e6
                )
            )
            print(
                String(
                    format: "  APISIX requests/s: list %.2f, single GET %.2f (%d changes/s driven)",
                    Double(apisixEnd.listRequests - apisixStart.listRequests) / elapsed,
                    Double(apisixEnd.totalSingleRequests - apisixStart.totalSingleRequests) / elapsed,
                    Int(rate)
                )
            )
            print(
                String(
                    format: "  APISIX requests in the window: list %d, single GET %d, over %.1f s",
                    apisixEnd.listRequests - apisixStart.listRequests,
                    apisixEnd.totalSingleRequests - apisixStart.totalSingleRequests,
                    elapsed
                )
            )
            print(
                String(
                    format: "  /metrics: %.0f ms median render+transfer, %.1f MB",
                    renderTimes.sorted()[renderTimes.count / 2] * 1000,
                    Double(size) / 1e6
                )
            )
            print(
                String(
                    format:
                        "  first /metrics (every Service's gauges at once): %.0f ms, %.2f s of exporter CPU, %.1f MB",
                    first.seconds * 1000,
                    firstScrapeCPU,
                    Double(first.body.utf8.count) / 1e6
                )
            )
            if !windowScrapes.isEmpty {
                print(
                    String(
                        format: "  scrapes during the window (every %.0f s, in the CPU figure): %d, median %.0f ms",
                        scrapeInterval,
                        windowScrapes.count,
                        windowScrapes.sorted()[windowScrapes.count / 2] * 1000
                    )
                )
            }
            print("  changes recorded by the exporter: \(changes.synced) synced of \(changes.ended) ended")
            let others = changes.byOutcome.filter { $0.key != "synced" }.sorted { $0.key < $1.key }
            if !others.isEmpty {
                print("    the others by outcome: " + others.map { "\($0.key) \($0.value)" }.joined(separator: ", "))
            }
            if changes.byOutcome["unobserved", default: 0] > 0,
                let state = try? await http.execute(
                    HTTPClientRequest(url: "http://127.0.0.1:\(port)/api/v1/state"),
                    timeout: .seconds(60)
                ),
                let body = try? await state.body.collect(upTo: 512 << 20),
                let document = try? JSONSerialization.jsonObject(with: Data(buffer: body)) as? [String: Any],
                let causes = document["unobserved_by_cause"] as? [String: Int]
            {
                print(
                    "    unobserved by cause: "
                        + causes.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ")
                )
            }
            worldTask?.cancel()
            _ = await worldTask?.result
            _ = exporter.stop()
            try? await http.shutdown()
            await cluster.stop()
        } catch {
            worldTask?.cancel()
            _ = exporter.stop()
            try? await http.shutdown()
            await cluster.stop()
            throw error
        }
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
