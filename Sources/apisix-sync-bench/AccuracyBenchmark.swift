import APISIXSyncDemo
import AsyncHTTPClient
import Foundation
import SimulatedCluster

/// Runs the simulated world with known injected delays, measures it with the real exporter binary, and compares
/// every sample the exporter recorded with the truth the simulated ingress controller logged.
struct AccuracyBenchmark {
    var exporterBinary: String
    var changes: Int
    var options: DemoOptions
    var pollInterval: String
    var fastPollInterval: Double
    var quantile = 0.99
    var margin = 1.0
    var verbose = false

    /// A fault the benchmark injected, and the wall-clock window in which changes cannot be timed.
    struct Fault {
        var name: String
        var start: Double
        var end: Double
    }

    func run() async throws -> Bool {
        let cluster = try await DemoCluster.start(options: options)
        let world = SimulatedWorld(
            kubernetes: cluster.kubernetes,
            apisix: cluster.apisix,
            configuration: Demo.worldConfiguration(options)
        )
        await world.start()
        let exporter = try ExporterProcess(
            binary: exporterBinary,
            arguments: [
                "--kubeconfig", cluster.kubeconfigPath, "--apisix.admin-url", cluster.apisix.baseURL,
                "--apisix.poll-interval", pollInterval,
                "--apisix.fast-poll-interval", "\(Int((fastPollInterval * 1000).rounded()))ms",
                "--recommendation.quantile", "\(quantile)", "--recommendation.margin", "\(margin)s",
            ]
        )
        let http = HTTPClient(eventLoopGroupProvider: .singleton)
        var faults: [Fault] = []
        var worldTask: Task<Void, any Error>?
        do {
            let port = try await exporter.waitForPort()
            try await exporter.waitUntilReady(http: http, port: port, timeout: 60)
            let readyAt = Date().timeIntervalSince1970
            worldTask = Task { try await world.run() }
            faults = try await drive(world: world, cluster: cluster, changes: changes, http: http, port: port)
            world.churnEnabled = false
            try await world.controller.waitUntilIdle(timeout: .seconds(60))
            try await waitDrained(http: http, port: port)
            let recommendation = try await fetchJSON(http: http, url: "http://127.0.0.1:\(port)/recommendation")
            if verbose {
                let response = try await http.execute(
                    HTTPClientRequest(url: "http://127.0.0.1:\(port)/metrics"),
                    timeout: .seconds(10)
                )
                let text = String(buffer: try await response.body.collect(upTo: 64 << 20))
                for line in text.split(separator: "\n") where line.hasPrefix("apisix_sync_source_errors_total") {
                    print("  \(line)")
                }
            }
            worldTask?.cancel()
            _ = await worldTask?.result
            let status = exporter.stop()
            try? await http.shutdown()
            await cluster.stop()
            return report(
                truth: world.controller.truth.filter { $0.kubernetesTime >= readyAt },
                records: exporter.records.filter { $0.at >= readyAt },
                faults: faults,
                recommendation: recommendation,
                exitStatus: status
            )
        } catch {
            worldTask?.cancel()
            _ = exporter.stop()
            try? await http.shutdown()
            await cluster.stop()
            throw error
        }
    }

    /// Lets the world churn until `changes` truth records exist, injecting the hard cases along the way.
    private func drive(
        world: SimulatedWorld,
        cluster: DemoCluster,
        changes: Int,
        http: HTTPClient,
        port: Int
    ) async throws -> [Fault] {
        var faults: [Fault] = []
        var generator = SeededGenerator(seed: options.seed &+ 99)
        let services = world.serviceNames
        var step = 0
        let schedule = ["rebalance", "revert", "burst", "outage", "rebalance", "revert", "watch410", "burst"]
        while world.controller.truth.count < changes {
            try await Task.sleep(for: .seconds(3))
            let service = services[Int.random(in: 0..<services.count, using: &generator)]
            let now = Date().timeIntervalSince1970
            switch schedule[step % schedule.count] {
            case "rebalance": _ = world.rebalance(service: service)
            case "revert": _ = world.revert(service: service)
            case "burst": _ = world.burst(service: service, count: 4)
            case "outage":
                // APISIX answers 503 for two seconds: changes pending meanwhile must end unobserved.
                try await cluster.apisix.setFault(.status(503))
                try await Task.sleep(for: .seconds(2))
                try await cluster.apisix.setFault(.none)
                // The fault lasts, for the exporter, until it polls APISIX successfully again (after its backoff).
                try await waitForMetric(
                    http: http,
                    port: port,
                    prefix: "apisix_sync_source_up{source=\"apisix\"",
                    value: 1
                )
                faults.append(Fault(name: "APISIX outage", start: now, end: Date().timeIntervalSince1970))
            case "watch410":
                cluster.kubernetes.compactHistory()
                cluster.kubernetes.injectWatchError410()
                try await cluster.kubernetes.waitForListRequests(
                    atLeast: cluster.kubernetes.statistics.listRequests + 1
                )
                faults.append(Fault(name: "watch 410", start: now, end: Date().timeIntervalSince1970 + 1))
            default: break
            }
            step += 1
        }
        return faults
    }

    private func waitForMetric(http: HTTPClient, port: Int, prefix: String, value: Double) async throws {
        let deadline = Date().addingTimeInterval(60)
        while Date() < deadline {
            let response = try await http.execute(
                HTTPClientRequest(url: "http://127.0.0.1:\(port)/metrics"),
                timeout: .seconds(10)
            )
            let text = String(buffer: try await response.body.collect(upTo: 64 << 20))
            let line = text.split(separator: "\n").first { $0.hasPrefix(prefix) }
            if let line, line.split(separator: " ").last.flatMap({ Double($0) }) == value { return }
            try await Task.sleep(for: .milliseconds(50))
        }
        throw BenchError("timed out waiting for \(prefix) = \(value)")
    }

    private func report(
        truth: [TruthRecord],
        records: [ExporterProcess.Record],
        faults: [Fault],
        recommendation: [String: Any],
        exitStatus: Int32
    ) -> Bool {
        let bound = fastPollInterval + 0.02
        let synced = truth.filter { $0.outcome == .synced }
        // A change overlapping a fault (its start to its end plus one poll) cannot be timed: expect no sample.
        func overlapsFault(_ record: TruthRecord) -> Bool {
            let end = (record.apisixTime ?? record.kubernetesTime) + fastPollInterval + 0.5
            return faults.contains { record.kubernetesTime <= $0.end && end >= $0.start }
        }
        // A change the controller wrote after Kubernetes had already reverted it (a stale snapshot written late) is
        // not a sync of that change: the exporter counts it superseded and times the revert instead.
        func writtenAfterRevert(_ record: TruthRecord) -> Bool {
            guard let apisixTime = record.apisixTime else { return false }
            return truth.contains {
                $0.node == record.node && $0.kind != record.kind && $0.kubernetesTime > record.kubernetesTime
                    && $0.kubernetesTime < apisixTime
            }
        }
        let expected = synced.filter { !overlapsFault($0) && !writtenAfterRevert($0) }
        var unmatched = Set(truth.indices)
        var errors: [Double] = []
        var falseSamples: [String] = []
        var matchedExpected = 0
        for record in records where record.outcome == "synced" {
            guard let lag = record.lag else { continue }
            let start = record.at - lag
            let candidates = truth.indices.filter { index in
                let t = truth[index]
                return unmatched.contains(index) && "\(t.namespace)/\(t.service):\(t.portName)" == record.servicePort
                    && t.node == record.node && t.kind.rawValue == record.kind
            }
            guard
                let best = candidates.min(by: {
                    abs(truth[$0].kubernetesTime - start) < abs(truth[$1].kubernetesTime - start)
                }),
                abs(truth[best].kubernetesTime - start) < 2, let trueLag = truth[best].lag
            else {
                falseSamples.append("\(record.servicePort) \(record.node) \(record.kind) lag \(lag)")
                continue
            }
            unmatched.remove(best)
            errors.append(lag - trueLag)
            if verbose, abs(lag - trueLag) > bound {
                let history = truth.filter { $0.node == record.node }.map {
                    "\($0.kind.rawValue)/\($0.outcome.rawValue) k8s \(String(format: "%.3f", $0.kubernetesTime - start)) "
                        + "apisix \($0.apisixTime.map { String(format: "%.3f", $0 - start) } ?? "-")"
                }
                print(
                    "  outside bound: \(record.servicePort) \(record.node) \(record.kind) measured \(lag) true \(trueLag) "
                        + "(times relative to the exporter's start) \(history)"
                )
            }
            if !overlapsFault(truth[best]) && !writtenAfterRevert(truth[best]) { matchedExpected += 1 }
        }
        let outcomes = Dictionary(grouping: records, by: \.outcome).mapValues(\.count)
        let absolute = errors.map { abs($0) }.sorted()
        func percentile(_ p: Double) -> Double {
            absolute.isEmpty ? 0 : absolute[min(absolute.count - 1, Int((p * Double(absolute.count)).rounded(.up)) - 1)]
        }
        let truthRemovals = synced.filter { $0.kind == .remove }.compactMap(\.lag).sorted()
        let truthQuantile =
            truthRemovals.isEmpty
            ? 0
            : truthRemovals[
                min(truthRemovals.count - 1, Int((quantile * Double(truthRemovals.count)).rounded(.up)) - 1)
            ]
        let truthPreStop = max(1, Int((((truthQuantile + margin) * 1000).rounded() / 1000).rounded(.up)))
        let withinBound = absolute.filter { $0 <= bound }.count

        print(
            "accuracy benchmark: fast-poll \(Int(fastPollInterval * 1000))ms, poll \(pollInterval), seed \(options.seed)"
        )
        print(
            "  truth: \(truth.count) changes (\(synced.count) reached APISIX, "
                + "\(truth.filter { $0.outcome == .superseded }.count) superseded)"
        )
        print("  faults injected: " + faults.map(\.name).joined(separator: ", "))
        print(
            "  samples expected: \(expected.count)   recorded: \(errors.count + falseSamples.count)   "
                + "false: \(falseSamples.count)   missed: \(expected.count - matchedExpected)"
        )
        print(
            "  exporter outcomes: "
                + outcomes.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " ")
        )
        print(
            String(
                format: "  |error| ms: p50 %.1f  p99 %.1f  max %.1f   within fast-poll+20ms: %d of %d",
                percentile(0.5) * 1000,
                percentile(0.99) * 1000,
                (absolute.last ?? 0) * 1000,
                withinBound,
                absolute.count
            )
        )
        let signed = errors.sorted()
        if !signed.isEmpty {
            print(
                String(
                    format: "  error (measured - true) ms: min %.1f  median %.1f  max %.1f",
                    signed[0] * 1000,
                    signed[signed.count / 2] * 1000,
                    signed[signed.count - 1] * 1000
                )
            )
        }
        let exporterPreStop = recommendation["prestop_seconds"] as? Int
        let exporterQuantile = recommendation["observed_quantile_seconds"] as? Double
        print(
            String(
                format: "  recommendation: exporter preStop %@ (p%g %.3fs)   from truth preStop %d (p%g %.3fs)",
                exporterPreStop.map { "\($0)s" } ?? "n/a",
                quantile * 100,
                exporterQuantile ?? .nan,
                truthPreStop,
                quantile * 100,
                truthQuantile
            )
        )
        print("  exporter exit status on SIGTERM: \(exitStatus)")
        for line in falseSamples.prefix(10) { print("  FALSE SAMPLE: \(line)") }
        if verbose {
            // The slowest removals the exporter did not sample: a bias there lowers the recommendation.
            for index in unmatched.sorted() where truth[index].outcome == .synced && truth[index].kind == .remove {
                let record = truth[index]
                guard let lag = record.lag, lag >= truthQuantile * 0.7 else { continue }
                let seen = records.filter { $0.node == record.node && $0.kind == "remove" }
                    .filter { abs($0.at - record.kubernetesTime) < lag + 3 }
                    .map { "\($0.outcome)@\(String(format: "%+.3f", $0.at - record.kubernetesTime))" }
                print(
                    "  slow removal not sampled: \(record.service) \(record.node) true \(String(format: "%.3f", lag)) s, "
                        + "fault overlap \(overlapsFault(record)), exporter: \(seen)"
                )
            }
            let recordedNodes = Set(records.filter { $0.outcome == "synced" }.map { "\($0.node) \($0.kind)" })
            for missed in expected where !recordedNodes.contains("\(missed.node) \(missed.kind.rawValue)") {
                let seen = records.filter { $0.node == missed.node && $0.kind == missed.kind.rawValue }
                    .map { "\($0.outcome)@\(String(format: "%.3f", $0.at - missed.kubernetesTime))" }
                print("  missed: \(missed) k8s+\(String(format: "%.3f", 0)) exporter: \(seen)")
            }
            for record in records where record.outcome == "superseded" {
                let t = truth.filter { $0.node == record.node }.map { "\($0.kind.rawValue)/\($0.outcome.rawValue)" }
                print("  exporter superseded: \(record.node) \(record.kind) truth: \(t)")
            }
        }
        return falseSamples.isEmpty
    }

    /// Waits until the exporter has no pending change left (everything ended one way or another).
    private func waitDrained(http: HTTPClient, port: Int) async throws {
        let deadline = Date().addingTimeInterval(60)
        while Date() < deadline {
            let response = try await http.execute(
                HTTPClientRequest(url: "http://127.0.0.1:\(port)/metrics"),
                timeout: .seconds(10)
            )
            let text = String(buffer: try await response.body.collect(upTo: 64 << 20))
            let pending = text.split(separator: "\n").filter { $0.hasPrefix("apisix_sync_pending_changes{") }
                .compactMap { $0.split(separator: " ").last.flatMap { Double($0) } }.reduce(0, +)
            if pending == 0 { return }
            try await Task.sleep(for: .milliseconds(200))
        }
    }

    private func fetchJSON(http: HTTPClient, url: String) async throws -> [String: Any] {
        let response = try await http.execute(HTTPClientRequest(url: url), timeout: .seconds(10))
        let body = try await response.body.collect(upTo: 16 << 20)
        return (try JSONSerialization.jsonObject(with: Data(buffer: body)) as? [String: Any]) ?? [:]
    }
}
