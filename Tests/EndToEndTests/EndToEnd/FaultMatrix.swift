import Foundation
import Logging
import SimulatedCluster
import Synchronization
import Testing

@testable import APISIXSyncExporter

/// The checks every row of the fault matrix in `docs/reliability.md` makes.
///
/// The world: Service `shop/web` with ready pods 1-5, one APISIX upstream routing to all five. A row removes pod 5
/// (the change in flight when the fault starts), injects the fault, removes pod 4 while it lasts, lets APISIX reflect
/// both, clears the fault, and expects what each fault leaves known (issue #12):
/// - an APISIX fault hides when APISIX applied both removals: both end `censored`, no exact sample;
/// - a Kubernetes fault hides when pod 4 was removed (its event is replayed or found by a relist): its start lies in
///   the gap, so it ends `censored`, while pod 5's removal, whose start was seen live, is timed exactly;
/// then it removes pod 3 and expects that one to be timed (measurement resumed).
enum FaultMatrix {
    static let upstreamID: FakeUpstream.ID = "4405a246"
    static let unobservedRemovals = EndToEndTests.outcome("remove", "unobserved")
    static let censoredRemovals = EndToEndTests.outcome("remove", "censored")
    static let syncedRemovals = EndToEndTests.outcome("remove", "synced")

    /// Starts the exporter on the row's world, waits until it times changes, runs `body`, always stops everything.
    static func scenario(
        tokenFile: String? = nil,
        requiredBearerToken: String? = nil,
        configure: (inout ExporterSettings) -> Void = { _ in },
        logger: Logger? = nil,
        _ body: (ExporterHarness) async throws -> Void
    ) async throws {
        let harness = try await ExporterHarness.start(
            tokenFile: tokenFile,
            configure: configure,
            logger: logger
        ) { kubernetes, apisix in
            _ = kubernetes.apply(Cluster.slice("web-a", ready: [1, 2, 3, 4, 5]))
            apisix.putUpstream(Cluster.upstream(nodes: [1, 2, 3, 4, 5]))
            kubernetes.requiredBearerToken = requiredBearerToken
        }
        do {
            try await harness.waitUntilReady()
            try await harness.waitUntilTiming()
            try await body(harness)
        } catch {
            await harness.stop()
            throw error
        }
        await harness.stop()
    }

    /// Pod 5 stops being ready; returns once the exporter has the pending removal.
    static func startChangeInFlight(_ h: ExporterHarness) async throws {
        _ = h.kubernetes.apply(Cluster.slice("web-a", ready: [1, 2, 3, 4], terminating: [5]))
        try await h.waitForPending("web", change: "remove", count: 1)
    }

    /// The slice after pod 4 also stopped being ready (the change made while the fault lasts).
    static let sliceWithoutPod4 = Cluster.slice("web-a", ready: [1, 2, 3], terminating: [4, 5])

    /// APISIX stops routing to pods 4 and 5.
    static func reflectBoth(_ h: ExporterHarness) {
        h.apisix.setNodes(id: upstreamID, nodes: Cluster.nodes([1, 2, 3]))
    }

    /// After an APISIX fault cleared: both removals ended `censored` (the end lies between the last look before the
    /// fault and the first after it), no exact sample was recorded, nothing is pending.
    static func expectCensored(_ h: ExporterHarness) async throws {
        let censored = try await h.records.wait(for: 2, .remove, .censored)
        for record in censored {
            let bounds = try #require(record.bounds)
            #expect(bounds.lowerBound >= 0 && bounds.lowerBound < bounds.upperBound && bounds.upperBound.isFinite)
        }
        #expect(Set(censored.map(\.node.description)) == ["10.1.0.4:8080", "10.1.0.5:8080"])
        try await h.waitForPending("web", change: "remove", count: 0)
        let text = try await h.metricsText()
        #expect(ExporterHarness.value(of: EndToEndTests.lagCount, in: text) == nil, "an exact sample across the fault")
        #expect(ExporterHarness.value(of: censoredRemovals, in: text) == 2)
        #expect(ExporterHarness.value(of: unobservedRemovals, in: text) == nil)
        #expect(
            ExporterHarness.value(
                of:
                    "apisix_sync_censored_lag_upper_bound_seconds_count{namespace=\"shop\",service=\"web\",change=\"remove\"}",
                in: text
            ) == 2
        )
    }

    /// After a Kubernetes fault cleared: the removal in flight (start seen live) is timed, the one made while the
    /// watch was away (start somewhere in the gap, from the last live line to its arrival) ends `censored` with the
    /// gap in its bounds, nothing is pending.
    static func expectInFlightTimed(_ h: ExporterHarness) async throws {
        let synced = try await h.records.wait(for: 1, .remove, .synced)
        #expect(synced.map(\.node.description) == ["10.1.0.5:8080"])
        let censored = try await h.records.wait(for: 1, .remove, .censored)
        #expect(censored.map(\.node.description) == ["10.1.0.4:8080"])
        for record in censored {
            let bounds = try #require(record.bounds)
            #expect(bounds.lowerBound >= 0 && bounds.lowerBound < bounds.upperBound && bounds.upperBound.isFinite)
        }
        try await h.waitForPending("web", change: "remove", count: 0)
        let text = try await h.metricsText()
        #expect(ExporterHarness.value(of: EndToEndTests.lagCount, in: text) == 1)
        #expect(ExporterHarness.value(of: unobservedRemovals, in: text) == nil)
        #expect(ExporterHarness.value(of: syncedRemovals, in: text) == 1)
        #expect(ExporterHarness.value(of: censoredRemovals, in: text) == 1)
    }

    /// Measurement resumed: pod 3 stops being ready, APISIX follows, and exactly that removal is timed (`before`:
    /// exact samples recorded by the row so far).
    static func expectResumed(_ h: ExporterHarness, samplesBefore before: Double = 0) async throws {
        try await h.waitForSource("kubernetes", up: true)
        try await h.waitForSource("apisix", up: true)
        try await h.waitUntilTiming()
        _ = h.kubernetes.apply(Cluster.slice("web-a", ready: [1, 2], terminating: [3, 4, 5]))
        try await h.waitForPending("web", change: "remove", count: 1)
        h.apisix.setNodes(id: upstreamID, nodes: Cluster.nodes([1, 2]))
        try await h.waitForRecords(Int(before) + 1)
        let text = try await h.metricsText()
        #expect(ExporterHarness.value(of: EndToEndTests.lagCount, in: text) == before + 1)
        #expect(ExporterHarness.value(of: syncedRemovals, in: text) == before + 1)
        #expect(try await h.get("/-/ready").status == 200)
    }
}

extension ExporterHarness {
    /// The `target` label of a source's series.
    func target(_ source: String) -> String {
        "127.0.0.1:\(source == "kubernetes" ? kubernetes.port : apisix.port)"
    }

    func upSeries(_ source: String) -> String {
        "apisix_sync_source_up{source=\"\(source)\",target=\"\(target(source))\"}"
    }

    func errorSeries(_ source: String, _ reason: String) -> String {
        "apisix_sync_source_errors_total{source=\"\(source)\",target=\"\(target(source))\",reason=\"\(reason)\"}"
    }

    /// Errors counted so far for a source and reason.
    func errors(_ source: String, _ reason: String) async throws -> Double {
        try await metric(errorSeries(source, reason)) ?? 0
    }

    /// Waits until more than `before` errors of `reason` were counted (and, with `down`, the source is down), then
    /// checks that the process still answers: `/metrics` and `/-/healthy` 200, `/-/ready` as `ready` says.
    func waitForFault(
        _ source: String,
        reason: String,
        after before: Double = 0,
        down: Bool = true,
        ready: Bool = true,
        timeout: Double = 15
    ) async throws {
        let errors = errorSeries(source, reason)
        let up = upSeries(source)
        try await waitForMetrics("\(source) failing with \(reason)", timeout: timeout) { text in
            (Self.value(of: errors, in: text) ?? 0) > before && (!down || Self.value(of: up, in: text) == 0)
        }
        try await expectAnswering(ready: ready)
    }

    /// Waits until the source's `apisix_sync_source_up` is 1 (or 0).
    func waitForSource(_ source: String, up: Bool, timeout: Double = 30) async throws {
        let series = upSeries(source)
        try await waitForMetrics("\(source) \(up ? "up" : "down")", timeout: timeout) { text in
            Self.value(of: series, in: text) == (up ? 1 : 0)
        }
    }

    /// The process serves its endpoints: `/metrics` and `/-/healthy` 200, `/-/ready` 200 or 503 as expected.
    func expectAnswering(ready: Bool) async throws {
        #expect(try await get("/metrics").status == 200)
        #expect(try await get("/-/healthy").status == 200)
        #expect(try await get("/-/ready").status == (ready ? 200 : 503))
    }
}

/// Collects every log line (message plus metadata) at any level, for tests that read the logs.
final class CapturedLogs: Sendable {
    private let lines = Mutex<[String]>([])

    var all: [String] { lines.withLock { $0 } }
    var text: String { all.joined(separator: "\n") }

    func append(_ line: String) { lines.withLock { $0.append(line) } }

    /// A logger at `level` that writes here.
    func logger(level: Logger.Level = .trace) -> Logger {
        var logger = Logger(label: "captured") { _ in CapturingLogHandler(sink: self) }
        logger.logLevel = level
        return logger
    }
}

/// The log handler of ``CapturedLogs``.
struct CapturingLogHandler: LogHandler {
    let sink: CapturedLogs
    var metadata: Logger.Metadata = [:]
    var logLevel: Logger.Level = .trace

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        let merged = metadata.merging(event.metadata ?? [:]) { $1 }
        let fields = merged.keys.sorted().map { "\($0)=\(merged[$0].map { "\($0)" } ?? "")" }
        sink.append(([event.level.rawValue, event.message.description] + fields).joined(separator: " "))
    }
}
