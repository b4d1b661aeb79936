@testable import APISIXSyncExporter
import AsyncHTTPClient
import Foundation
import Logging
import NIOCore
import SimulatedCluster
import TestSupport
import Testing

/// Runs the real exporter (same service graph as `serve`) against the fake Kubernetes API and fake APISIX Admin API
/// over loopback sockets, and reads its HTTP endpoints.
final class ExporterHarness: Sendable {
    let kubernetes: FakeKubernetesAPI
    let apisix: FakeAPISIXAdmin
    let settings: ExporterSettings
    let port: Int
    let task: Task<Void, any Error>
    let http: HTTPClient
    let directory: URL
    /// Every change the exporter ended, as its observer reported it.
    let records: ChangeRecords
    static let apiKey = "edd1c9f034335f136f87ad84b625c8f1"

    /// Starts fakes (already populated by `prepare`) and the exporter; returns once its HTTP server listens.
    static func start(
        fastPollInterval: Double = 0.05,
        pollInterval: Double = 1,
        tokenFile: String? = nil,
        apisixConfiguration: FakeAPISIXAdmin.Configuration = .init(apiKey: apiKey),
        controlView: APISIXView? = nil,
        configure: (inout ExporterSettings) -> Void = { _ in },
        logger: Logger? = nil,
        prepare: (FakeKubernetesAPI, FakeAPISIXAdmin) async throws -> Void
    ) async throws -> ExporterHarness {
        let kubernetes = FakeKubernetesAPI(configuration: .init(bookmarkInterval: .seconds(1)))
        let apisix = FakeAPISIXAdmin(configuration: apisixConfiguration)
        try await kubernetes.start()
        try await apisix.start()
        try await prepare(kubernetes, apisix)
        return try await start(
            kubernetes: kubernetes,
            apisix: apisix,
            fastPollInterval: fastPollInterval,
            pollInterval: pollInterval,
            tokenFile: tokenFile,
            logger: logger
        ) { settings in
            if let controlView, let control = apisix.controlBaseURL {
                // The fake's Control API, paired with its Admin API, measured in the given view.
                settings.apisix.controlURLs = [control]
                settings.apisix.view = controlView
            }
            configure(&settings)
        }
    }

    /// Starts the exporter against fakes that are already running (`apisix` is the one its admin URL names unless
    /// `configure` changes the URLs); ``stop()`` stops `kubernetes` and `apisix` too.
    static func start(
        kubernetes: FakeKubernetesAPI,
        apisix: FakeAPISIXAdmin,
        fastPollInterval: Double = 0.05,
        pollInterval: Double = 1,
        tokenFile: String? = nil,
        logger: Logger? = nil,
        configure: (inout ExporterSettings) -> Void = { _ in }
    ) async throws -> ExporterHarness {
        // The real connection path: a kubeconfig file, resolved as `--kubeconfig` would be.
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("e2e-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let kubeconfig = directory.appendingPathComponent("kubeconfig")
        try """
        apiVersion: v1
        kind: Config
        clusters:
        - name: fake
          cluster:
            server: \(kubernetes.baseURL)
        users:
        - name: tester
          user: \(tokenFile.map { "{tokenFile: \($0)}" } ?? "{}")
        contexts:
        - name: fake
          context: {cluster: fake, user: tester}
        current-context: fake
        """.write(to: kubeconfig, atomically: true, encoding: .utf8)
        let connection = try KubernetesConnection.resolve(
            kubeconfigPath: kubeconfig.path,
            context: nil,
            environment: [:]
        )

        var settings = ExporterSettings()
        settings.web.listenHost = "127.0.0.1"
        settings.web.listenPort = 0
        settings.apisix.adminURLs = [apisix.baseURL]
        settings.apisix.client.adminKey = apiKey
        settings.polling.pollInterval = pollInterval
        settings.polling.fastPollInterval = fastPollInterval
        configure(&settings)
        var defaultLogger = Logger(label: "e2e")
        defaultLogger.logLevel = ProcessInfo.processInfo.environment["E2E_LOG"] == "debug" ? .debug : .critical
        let logger = logger ?? defaultLogger
        let (ports, continuation) = AsyncStream.makeStream(of: Int.self)
        let frozen = settings
        let records = ChangeRecords()
        let task = Task {
            try await Exporter.run(
                settings: frozen,
                connection: connection,
                logger: logger,
                signals: [],
                observer: records.observer,
                onServerRunning: { port in
                    continuation.yield(port)
                    continuation.finish()
                }
            )
        }
        var iterator = ports.makeAsyncIterator()
        guard let port = await iterator.next() else { throw HarnessError("exporter did not start") }
        return ExporterHarness(
            kubernetes: kubernetes,
            apisix: apisix,
            settings: settings,
            port: port,
            task: task,
            directory: directory,
            records: records
        )
    }

    private init(
        kubernetes: FakeKubernetesAPI,
        apisix: FakeAPISIXAdmin,
        settings: ExporterSettings,
        port: Int,
        task: Task<Void, any Error>,
        directory: URL,
        records: ChangeRecords
    ) {
        self.records = records
        self.kubernetes = kubernetes
        self.apisix = apisix
        self.settings = settings
        self.port = port
        self.task = task
        self.directory = directory
        self.http = HTTPClient(eventLoopGroupProvider: .singleton)
    }

    /// Waits until at least `count` changes of `kind` of Service `shop/<service>` ended with `outcome`, on the
    /// exporter's change records (its observer), not by polling `/metrics`; returns those records.
    @discardableResult
    func waitForRecords(
        _ count: Int,
        _ kind: ChangeKind = .remove,
        _ outcome: ChangeOutcome = .synced,
        service: String = "web",
        timeout: Double = 30
    ) async throws -> [ChangeRecord] {
        let matching: @Sendable (ChangeRecord) -> Bool = {
            $0.kind == kind && $0.outcome == outcome && $0.key.service.name == service
        }
        let records = try await self.records.wait(
            "\(count) \(kind.rawValue) \(outcome.rawValue) of \(service)",
            timeout: timeout
        ) {
            $0.filter(matching).count >= count
        }
        return records.filter(matching)
    }

    func stop() async {
        task.cancel()
        _ = await task.result
        try? await http.shutdown()
        await kubernetes.stop()
        await apisix.stop()
        try? FileManager.default.removeItem(at: directory)
    }

    // MARK: HTTP

    func get(_ path: String) async throws -> (status: Int, contentType: String?, body: String) {
        let response = try await http.execute(
            HTTPClientRequest(url: "http://127.0.0.1:\(port)\(path)"),
            timeout: .seconds(10)
        )
        let body = try await response.body.collect(upTo: 16 * 1024 * 1024)
        return (Int(response.status.code), response.headers.first(name: "Content-Type"), String(buffer: body))
    }

    func metricsText() async throws -> String { try await get("/metrics").body }

    /// The value of one exposition line, e.g. `apisix_sync_lag_seconds_count{namespace="shop",service="web",change="remove"}`.
    func metric(_ series: String) async throws -> Double? {
        Self.value(of: series, in: try await metricsText())
    }

    static func value(of series: String, in text: String) -> Double? {
        for line in text.split(separator: "\n") where line.hasPrefix(series + " ") {
            return Double(line.dropFirst(series.count + 1))
        }
        return nil
    }

    func recommendation() async throws -> [String: Any] {
        let body = try await get("/recommendation").body
        return try JSONSerialization.jsonObject(with: Data(body.utf8)) as? [String: Any] ?? [:]
    }

    func state() async throws -> [String: Any] {
        let body = try await get("/api/v1/state").body
        return try JSONSerialization.jsonObject(with: Data(body.utf8)) as? [String: Any] ?? [:]
    }

    /// Waits until `condition` holds on the metrics text, checking after each exporter response.
    func waitForMetrics(
        _ description: String,
        timeout: Double = 15,
        _ condition: @Sendable (String) -> Bool
    ) async throws {
        let deadline = ContinuousClock.now + .seconds(timeout)
        while ContinuousClock.now < deadline {
            if condition(try await metricsText()) { return }
            try await Task.sleep(for: .milliseconds(20))
        }
        throw HarnessError("timed out waiting for \(description); metrics:\n\(try await metricsText())")
    }

    /// Waits until a series has at least `value`.
    func waitForMetric(_ series: String, atLeast value: Double, timeout: Double = 15) async throws {
        try await waitForMetrics("\(series) >= \(value)", timeout: timeout) { text in
            (Self.value(of: series, in: text) ?? 0) >= value
        }
    }

    func waitUntilReady() async throws {
        let deadline = ContinuousClock.now + .seconds(15)
        while ContinuousClock.now < deadline {
            if try await get("/-/ready").status == 200 { return }
            try await Task.sleep(for: .milliseconds(20))
        }
        throw HarnessError("exporter never became ready")
    }

    /// Waits until the exporter's watch is open and events it receives are timed (not possible replays of a gap).
    func waitUntilTiming() async throws {
        let deadline = ContinuousClock.now + .seconds(15)
        while ContinuousClock.now < deadline {
            let sources = try await state()["sources"] as? [[String: Any]] ?? []
            if sources.contains(where: {
                $0["source"] as? String == "kubernetes" && $0["timing_settled"] as? Bool == true
            }) {
                return
            }
            try await Task.sleep(for: .milliseconds(20))
        }
        throw HarnessError("the exporter's watch never settled")
    }

    /// Waits until the exporter has the given number of pending changes for a Service (it saw the Kubernetes event).
    func waitForPending(_ service: String, change: String, count: Double, namespace: String = "shop") async throws {
        try await waitForMetrics("\(count) pending \(change) for \(service)") { text in
            Self.value(
                of: "apisix_sync_pending_changes{namespace=\"\(namespace)\",service=\"\(service)\","
                    + "change=\"\(change)\"}",
                in: text
            ) == count
        }
    }
}

struct HarnessError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// Builders for the simulated cluster used by the scenarios.
enum Cluster {
    static func ip(_ n: Int) -> String { "10.1.0.\(n)" }

    static func slice(
        _ name: String,
        service: String = "web",
        ready: [Int],
        terminating: [Int] = [],
        port: Int = 8080
    ) -> FakeEndpointSlice {
        FakeEndpointSlice(
            namespace: "shop",
            name: name,
            serviceName: service,
            endpoints: ready.map { FakeEndpoint.ready(ip($0)) } + terminating.map { FakeEndpoint.terminating(ip($0)) },
            ports: [FakeEndpointPort(name: "http", port: port)]
        )
    }

    static func upstream(
        id: FakeUpstream.ID = "4405a246",
        name: String = "shop_web_80",
        nodes: [Int],
        port: Int = 8080
    )
        -> FakeUpstream
    {
        FakeUpstream(id: id, name: name, nodes: .array(nodes.map { FakeUpstream.Node(host: ip($0), port: port) }))
    }

    static func nodes(_ numbers: [Int], port: Int = 8080) -> [FakeUpstream.Node] {
        numbers.map { FakeUpstream.Node(host: ip($0), port: port) }
    }
}
