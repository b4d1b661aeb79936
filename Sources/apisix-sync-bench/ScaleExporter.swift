import APISIXSyncDemo
import AsyncHTTPClient
import Foundation

/// One exporter process of a scale run and what is measured of it: time to ready, the first `/metrics`, CPU and
/// memory over the measured window, the scrapes, the changes it recorded. A run of both sources has two of them,
/// measured in the same window.
struct ScaleExporter: Sendable {
    /// The figures, filled in as the run goes.
    struct Figures: Sendable {
        /// Seconds from the process start to `/-/ready` answering 200.
        var timeToReady = 0.0
        var readyRSS = 0
        /// The first scrape (every Service's gauges at once): seconds, bytes and the exporter CPU seconds it cost.
        var firstScrape = 0.0
        var firstScrapeBytes = 0
        var firstScrapeCPU = 0.0
        var cpuAtWindowStart = 0.0
        /// The share of a core used over the measured window.
        var cpu = 0.0
        var endRSS = 0
        var peakRSS = 0
        /// The seconds of each scrape made during the window.
        var windowScrapes: [Double] = []
        /// The seconds of the scrapes after the window, and the size of the last one.
        var renderTimes: [Double] = []
        var size = 0
        var changes: (synced: Int, ended: Int, byOutcome: [String: Int]) = (0, 0, [:])
        /// `/api/v1/state`'s `unobserved_by_cause`, read when some changes ended unobserved.
        var unobservedByCause: [String: Int]?
    }

    let source: DemoOptions.Source
    let process: ExporterProcess
    let http: HTTPClient
    let started = Date()
    private(set) var port = 0
    private(set) var figures = Figures()

    /// Starts the exporter binary (see ``ExporterProcess/init(binary:arguments:logLevel:logFile:)``).
    init(
        source: DemoOptions.Source,
        binary: String,
        arguments: [String],
        logLevel: String,
        logFile: String?,
        http: HTTPClient
    ) throws {
        self.source = source
        self.http = http
        process = try ExporterProcess(binary: binary, arguments: arguments, logLevel: logLevel, logFile: logFile)
    }

    /// Waits until `/-/ready` answers 200; records the time to ready and the RSS then.
    mutating func waitUntilReady() async throws {
        port = try await process.waitForPort()
        try await process.waitUntilReady(http: http, port: port, timeout: 600)
        figures.timeToReady = Date().timeIntervalSince(started)
        figures.readyRSS = process.memory()?.rss ?? 0
    }

    /// The first scrape, which renders a series for every Service at once: its time, size and CPU.
    mutating func scrapeFirst() async throws {
        let cpu = process.cpuSeconds() ?? 0
        let first = try await scrape()
        figures.firstScrapeCPU = (process.cpuSeconds() ?? 0) - cpu
        figures.firstScrape = first.seconds
        figures.firstScrapeBytes = first.body.utf8.count
    }

    /// One `/metrics` scrape: its seconds (render and transfer) and body.
    func scrape() async throws -> (seconds: Double, body: String) {
        let begin = Date()
        let response = try await http.execute(
            HTTPClientRequest(url: "http://127.0.0.1:\(port)/metrics"),
            timeout: .seconds(120)
        )
        let body = try await response.body.collect(upTo: 512 << 20)
        return (Date().timeIntervalSince(begin), String(buffer: body))
    }

    /// Marks the start of the measured window.
    mutating func startWindow() {
        figures.cpuAtWindowStart = process.cpuSeconds() ?? 0
    }

    /// Scrapes every `interval` seconds (none if 0) until cancelled; the value is the seconds of each scrape.
    func scrapes(every interval: Double) -> Task<[Double], Never> {
        Task {
            var times: [Double] = []
            guard interval > 0 else { return times }
            while !Task.isCancelled {
                try? await Task.sleep(for: .milliseconds(Int(interval * 1000)))
                if Task.isCancelled { break }
                if let result = try? await scrape() { times.append(result.seconds) }
            }
            return times
        }
    }

    /// Marks the end of the measured window, `elapsed` seconds after its start: CPU share and memory.
    mutating func endWindow(elapsed: Double, scrapes: [Double]) {
        figures.cpu = ((process.cpuSeconds() ?? 0) - figures.cpuAtWindowStart) / elapsed
        let memory = process.memory()
        figures.endRSS = memory?.rss ?? 0
        figures.peakRSS = memory?.peak ?? 0
        figures.windowScrapes = scrapes
    }

    /// After the window: five scrapes (render time, size), the changes the exporter recorded by outcome, and the
    /// causes of the unobserved ones if any.
    mutating func finish() async throws {
        var lastMetrics = ""
        for _ in 0..<5 {
            let result = try await scrape()
            figures.renderTimes.append(result.seconds)
            figures.size = result.body.utf8.count
            lastMetrics = result.body
        }
        figures.changes = ScaleBenchmark.changeCounts(metrics: lastMetrics)
        if figures.changes.byOutcome["unobserved", default: 0] > 0,
            let state = try? await http.execute(
                HTTPClientRequest(url: "http://127.0.0.1:\(port)/api/v1/state"),
                timeout: .seconds(60)
            ),
            let body = try? await state.body.collect(upTo: 512 << 20),
            let document = try? JSONSerialization.jsonObject(with: Data(buffer: body)) as? [String: Any]
        {
            figures.unobservedByCause = document["unobserved_by_cause"] as? [String: Int]
        }
    }

    /// Prints the figures, one per line after `indent`; `apisixRequests` are the lines about the APISIX requests,
    /// printed after the memory.
    func report(indent: String, scrapeInterval: Double, apisixRequests: [String]) {
        func line(_ format: String, _ arguments: any CVarArg...) {
            print(indent + String(format: format, arguments: arguments))
        }
        line("time to ready: %.1f s (process start to /-/ready 200)", figures.timeToReady)
        line("exporter CPU at steady churn: %.1f %% of a core", figures.cpu * 100)
        line(
            "exporter RSS: %.0f MB at ready, %.0f MB at the end, peak %.0f MB",
            Double(figures.readyRSS) / 1e6,
            Double(figures.endRSS) / 1e6,
            Double(figures.peakRSS) / 1e6
        )
        for request in apisixRequests { print(indent + request) }
        line(
            "/metrics: %.0f ms median render+transfer, %.1f MB",
            Self.median(figures.renderTimes) * 1000,
            Double(figures.size) / 1e6
        )
        line(
            "first /metrics (every Service's gauges at once): %.0f ms, %.2f s of exporter CPU, %.1f MB",
            figures.firstScrape * 1000,
            figures.firstScrapeCPU,
            Double(figures.firstScrapeBytes) / 1e6
        )
        if !figures.windowScrapes.isEmpty {
            line(
                "scrapes during the window (every %.0f s, in the CPU figure): %d, median %.0f ms",
                scrapeInterval,
                figures.windowScrapes.count,
                Self.median(figures.windowScrapes) * 1000
            )
        }
        let changes = figures.changes
        print(indent + "changes recorded by the exporter: \(changes.synced) synced of \(changes.ended) ended")
        let others = changes.byOutcome.filter { $0.key != "synced" }.sorted { $0.key < $1.key }
        if !others.isEmpty {
            print(indent + "  the others by outcome: " + others.map { "\($0.key) \($0.value)" }.joined(separator: ", "))
        }
        if let causes = figures.unobservedByCause {
            print(
                indent + "  unobserved by cause: "
                    + causes.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ")
            )
        }
    }

    /// The middle value of `values` (the upper one of an even count), 0 if none.
    static func median(_ values: [Double]) -> Double {
        values.isEmpty ? 0 : values.sorted()[values.count / 2]
    }
}
