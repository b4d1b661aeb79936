import APISIXSyncDemo
import AsyncHTTPClient
import Foundation
import SimulatedCluster

/// Runs the simulated world with known injected delays and a scripted mix of faults, measures it with the real
/// exporter binary, and compares every record the exporter logged with the truth the simulated ingress controller
/// logged (``AccuracyReport``).
struct AccuracyBenchmark {
    var exporterBinary: String
    var changes: Int
    var options: DemoOptions
    var pollInterval: String
    var fastPollInterval: Double
    var quantile = 0.99
    var margin = 1.0
    /// Removals the exporter needs before it recommends (`--recommendation.min-samples`): low enough for a short run.
    var minSamples = 10
    /// The delay of every change of the slow Service (the first one) in the simulated ingress controller.
    var slowLag: ClosedRange<Double> = 5...7
    var verbose = false

    /// A fault the benchmark injected, and the wall-clock window in which changes may not be timeable.
    struct Fault {
        var name: String
        var start: Double
        var end: Double
    }

    /// A change the fault cycle made on purpose, to see what the exporter made of it.
    struct ScriptedChange {
        var scenario: String
        var servicePort: String
        var node: String
        /// Wall-clock seconds since 1970, just before the change was made.
        var at: Double
        /// The world's simulated time of the change (``WorldAction/time``).
        var worldTime: Double
        /// The pod's address.
        var address: String
    }

    /// What the driver did.
    struct Script {
        var faults: [Fault] = []
        var changes: [ScriptedChange] = []
        var cycles = 0
        /// Scripted changes that could not be made (no ready pod at that moment).
        var skipped: [String] = []
        /// What the world did (scripted and churn), for `--verbose`.
        var actions: [WorldAction] = []
    }

    /// The simulated world: the demo's, with the first Service slow by a delay of its own instead of a factor, and
    /// left alone by the churn: its changes are the fault cycle's (a pod made not ready on purpose would otherwise be
    /// the first one a scale-down or rolling update terminates, and a flap would never come back).
    func worldConfiguration() -> SimulatedWorld.Configuration {
        var configuration = Demo.worldConfiguration(options)
        configuration.controller.slowService = nil
        configuration.controller.serviceLag = [0: .uniform(slowLag)]
        configuration.churnExcluded = [0]
        return configuration
    }

    func run() async throws -> Bool {
        let cluster = try await DemoCluster.start(options: options)
        // With the etcd source, every write of the fake Admin API is mirrored into a real etcd before the world
        // starts; the truth stays the fake Admin API's write, so the mirror's delay counts against the exporter.
        let etcd = options.source == .etcd ? try await DemoEtcd.start() : nil
        defer { etcd?.stop() }
        etcd?.mirror(cluster.apisix, timed: true)
        let world = SimulatedWorld(
            kubernetes: cluster.kubernetes,
            apisix: cluster.apisix,
            configuration: worldConfiguration()
        )
        await world.start()
        // The exporter reaches etcd through a proxy that the fault cycles take down (the mirror writes on).
        var etcdFaults: EtcdFaults?
        if let etcd {
            let proxy = try await TCPProxy.start(to: URLComponents(string: etcd.endpoint)?.port ?? 0)
            etcdFaults = EtcdFaults(etcd: etcd, proxy: proxy)
        }
        defer { etcdFaults?.proxy.stop() }
        let source: [String] =
            if let proxy = etcdFaults?.proxy {
                ["--apisix.etcd-endpoint", "http://127.0.0.1:\(proxy.port)"]
            } else {
                ["--apisix.admin-url", cluster.apisix.baseURL]
            }
        let exporter = try ExporterProcess(
            binary: exporterBinary,
            arguments: ["--kubeconfig", cluster.kubeconfigPath] + source + [
                "--apisix.poll-interval", pollInterval,
                "--apisix.fast-poll-interval", "\(Int((fastPollInterval * 1000).rounded()))ms",
                "--recommendation.quantile", "\(quantile)", "--recommendation.margin", "\(margin)s",
                "--recommendation.min-samples", "\(minSamples)",
            ]
        )
        let http = HTTPClient(eventLoopGroupProvider: .singleton)
        var worldTask: Task<Void, any Error>?
        do {
            let port = try await exporter.waitForPort()
            try await exporter.waitUntilReady(http: http, port: port, timeout: 60)
            let readyAt = Date().timeIntervalSince1970
            worldTask = Task { try await world.run() }
            var script = try await drive(world: world, cluster: cluster, etcdFaults: etcdFaults, changes: changes)
            world.churnEnabled = false
            // Scripted recoveries (pods ready again) still come: let them, then the controller, then the exporter end.
            try await world.waitUntilSettled(timeout: .seconds(60))
            script.actions = world.actions
            try await world.controller.waitUntilIdle(timeout: .seconds(60))
            try await waitDrained(http: http, port: port)
            let recommendation = try await fetchJSON(http: http, url: "http://127.0.0.1:\(port)/recommendation")
            if verbose {
                let text = try await metricsText(http: http, port: port)
                for line in text.split(separator: "\n") where line.hasPrefix("apisix_sync_source_errors_total") {
                    print("  \(line)")
                }
            }
            worldTask?.cancel()
            _ = await worldTask?.result
            let status = exporter.stop()
            try? await http.shutdown()
            await cluster.stop()
            let report = AccuracyReport(
                truth: world.controller.truth.filter { $0.kubernetesTime >= readyAt },
                records: exporter.records.filter { $0.at >= readyAt },
                script: script,
                recommendation: recommendation,
                fastPollInterval: fastPollInterval,
                quantile: quantile,
                margin: margin,
                verbose: verbose,
                mirroredWrites: etcd?.mirroredWrites.filter { $0.handedAt >= readyAt } ?? []
            )
            report.print(
                header: "accuracy benchmark: source \(options.source.rawValue), "
                    + "fast-poll \(Int(fastPollInterval * 1000))ms, poll \(pollInterval), "
                    + "seed \(options.seed), slow Service \(world.serviceNames.first ?? "-") "
                    + "(\(String(format: "%g-%g", slowLag.lowerBound, slowLag.upperBound)) s), "
                    + "\(script.cycles) fault cycle(s)",
                exitStatus: status
            )
            return report.failures.isEmpty
        } catch {
            worldTask?.cancel()
            _ = exporter.stop()
            try? await http.shutdown()
            await cluster.stop()
            throw error
        }
    }

    /// Runs fault cycles (at least one) while the world churns, until `changes` truth records exist.
    private func drive(
        world: SimulatedWorld,
        cluster: DemoCluster,
        etcdFaults: EtcdFaults?,
        changes: Int
    ) async throws -> Script {
        var script = Script()
        var generator = SeededGenerator(seed: options.seed &+ 99)
        // Five pods on the slow Service: two scripted removals at once still leave it three.
        world.scale(service: world.serviceNames[0], to: 5)
        repeat {
            try await cycle(
                world: world,
                cluster: cluster,
                etcdFaults: etcdFaults,
                generator: &generator,
                script: &script
            )
            script.cycles += 1
        } while world.controller.truth.count < changes
        return script
    }

    /// One fault cycle, about 30 s. The slow Service's changes take `slowLag` (5-7 s) in the controller; the
    /// scripted removals there overlap each fault:
    ///
    /// | s | what |
    /// |---|---|
    /// | 0 | (a) slow removal; 1.5 s later APISIX answers 503 for 2.5 s, in the middle of its wait; written after |
    /// | 1 | slice rebalance (no ready-set change) |
    /// | 5 | (e) removal on a fast Service 1 s after the outage ended |
    /// | 5.5 | (b) slow removal, written during the 3 s outage at 10-13 s (the write lands, APISIX answers 503) |
    /// | 8 | flap: slow removal Kubernetes reverts 1 s later, before the controller wrote it |
    /// | 8.5 | revert faster than the controller (50 ms) on a random Service |
    /// | 14 | (e) again, 1 s after the second outage |
    /// | 14.5 | (c) slow removal; the watch streams end cleanly at 16 and 18 s while it is pending |
    /// | 17 | burst of 4 changes on a random Service |
    /// | 20 | (d) slow removal; watch 410 with a compacted history (relist) at 22 s while it is pending |
    /// | 23, 26 | flap twice: the same slow pod flaps again before the controller wrote the first flap |
    ///
    /// With the etcd source, each APISIX outage also takes etcd away from the exporter (``TCPProxy``; the mirror
    /// writes on) and compacts etcd's history before it comes back, so the exporter's watch resumes into a compacted
    /// revision and reads the prefix again: compaction in place of the Admin API's 410-like faults.
    ///
    /// Each scripted removal takes a pod that APISIX routes to, that Kubernetes has ready and that no scripted change
    /// touched in the last 15 s. The slow Service (five pods, no churn) has at most three out at once: removals are
    /// ready again after their write (8-12 s), flaps after 1 s; the fast Services' removals after 10 s (there, the
    /// churn may terminate the pod first, as a pod that is not ready goes first: the truth shows it).
    private func cycle(
        world: SimulatedWorld,
        cluster: DemoCluster,
        etcdFaults: EtcdFaults?,
        generator: inout SeededGenerator,
        script: inout Script
    ) async throws {
        let start = Date().timeIntervalSince1970
        let services = world.serviceNames
        let slow = services[0]
        let fast = Array(services.dropFirst())
        let settings = world.configuration
        func now() -> Double { Date().timeIntervalSince1970 }
        func at(_ offset: Double) async throws {
            let delay = start + offset - now()
            if delay > 0 { try await Task.sleep(for: .milliseconds(Int(delay * 1000))) }
        }
        func apisixNodes(_ service: String) -> Set<String> {
            let name = SimulatedIngressController.upstreamName(
                namespace: settings.namespace,
                service: service,
                port: settings.servicePort
            )
            let id = FakeUpstream.ID.string(SimulatedIngressController.upstreamID(name: name))
            guard case .nodes(let nodes) = cluster.apisix.upstream(id: id)?.backend else { return [] }
            return Set(nodes.nodes.map(\.hashKey))
        }
        /// Makes one pod of `service` not ready for `seconds` (`node` picks it; by default a steady one); returns its
        /// node.
        @discardableResult
        func removal(
            _ scenario: String,
            _ service: String,
            readyAgainAfter seconds: Double,
            node: String? = nil,
            script: inout Script
        ) -> String? {
            let time = now()
            let recent = Set(script.changes.filter { $0.at > time - 15 }.map(\.node))
            let candidates =
                node.map { [$0] }
                ?? world.readyNodes(service: service).intersection(apisixNodes(service)).subtracting(recent)
            guard let action = world.revert(service: service, readyAgainAfter: seconds, among: candidates),
                let address = action.address
            else {
                script.skipped.append("\(scenario) (\(service): no steady ready pod)")
                return nil
            }
            let change = ScriptedChange(
                scenario: scenario,
                servicePort: "\(settings.namespace)/\(service):\(settings.portName)",
                node: "\(address):\(settings.containerPort)",
                at: time,
                worldTime: action.time,
                address: address
            )
            script.changes.append(change)
            return change.node
        }
        func outage(_ name: String, seconds: Double, script: inout Script) async throws {
            let begin = now()
            try await cluster.apisix.setFault(.status(503))
            // With the etcd source, etcd is away from the exporter as long, and its history is compacted before it
            // comes back: the exporter's watch resumes into a compacted revision and reads the prefix again.
            etcdFaults?.proxy.down(true)
            try await Task.sleep(for: .milliseconds(Int(seconds * 1000)))
            if let etcdFaults {
                try await etcdFaults.etcd.compactHistory()
                etcdFaults.proxy.down(false)
            }
            try await cluster.apisix.setFault(.none)
            // The exporter notices the end at its next retry (backoff); the window covers a poll interval more.
            let fault = etcdFaults == nil ? name : name + " + etcd away, then compacted"
            script.faults.append(Fault(name: fault, start: begin, end: now() + 1))
        }
        func watchEnd(script: inout Script) {
            let time = now()
            cluster.kubernetes.endWatches()
            script.faults.append(Fault(name: "watch end", start: time, end: time + 1))
        }
        func random(_ names: [String], _ generator: inout SeededGenerator) -> String {
            names[Int.random(in: 0..<names.count, using: &generator)]
        }

        /// The cycle's steps, as in the table above.
        enum Step {
            case slowRemoval(String, readyAgainAfter: Double)
            case fastRemoval(String, readyAgainAfter: Double)
            case rebalance, revert, watchEnd, watch410, flapTwice, flapAgain
            case burst(count: Int)
            case outage(String, seconds: Double)
        }
        let timeline: [(at: Double, step: Step)] = [
            (0, .slowRemoval("(a) outage mid-wait", readyAgainAfter: 9)),
            (1, .rebalance),
            (1.5, .outage("APISIX 503 2.5 s mid slow wait", seconds: 2.5)),
            (5, .fastRemoval("(e) change 1 s after an outage", readyAgainAfter: 10)),
            (5.5, .slowRemoval("(b) written during an outage", readyAgainAfter: 12)),
            (8, .slowRemoval("flap: reverted before written", readyAgainAfter: 1)),
            (8.5, .revert),
            (10, .outage("APISIX 503 3 s over a write", seconds: 3)),
            (14, .fastRemoval("(e) change 1 s after an outage", readyAgainAfter: 10)),
            (14.5, .slowRemoval("(c) watch ends while pending", readyAgainAfter: 8)),
            (16, .watchEnd),
            (17, .burst(count: 4)),
            (18, .watchEnd),
            (20, .slowRemoval("(d) watch 410 while pending", readyAgainAfter: 9)),
            (22, .watch410),
            (23, .flapTwice),
            (26, .flapAgain),
        ]
        var flapping: String?
        for (offset, step) in timeline {
            try await at(offset)
            switch step {
            case .slowRemoval(let scenario, let seconds):
                removal(scenario, slow, readyAgainAfter: seconds, script: &script)
            case .fastRemoval(let scenario, let seconds):
                removal(scenario, random(fast, &generator), readyAgainAfter: seconds, script: &script)
            case .rebalance: _ = world.rebalance(service: random(services, &generator))
            case .revert: _ = world.revert(service: random(services, &generator))
            case .burst(let count): _ = world.burst(service: random(services, &generator), count: count)
            case .outage(let name, let seconds): try await outage(name, seconds: seconds, script: &script)
            case .watchEnd: watchEnd(script: &script)
            case .watch410:
                let relistFrom = now()
                let lists = cluster.kubernetes.statistics.listRequests
                cluster.kubernetes.compactHistory()
                cluster.kubernetes.injectWatchError410()
                try await cluster.kubernetes.waitForListRequests(atLeast: lists + 1, timeout: .seconds(30))
                script.faults.append(Fault(name: "watch 410", start: relistFrom, end: now() + 1))
            case .flapTwice: flapping = removal("flap twice: first flap", slow, readyAgainAfter: 1, script: &script)
            case .flapAgain:
                if let flapping {
                    removal("flap twice: same pod again", slow, readyAgainAfter: 1, node: flapping, script: &script)
                }
            }
        }
        try await at(30)
    }

    private func metricsText(http: HTTPClient, port: Int) async throws -> String {
        let response = try await http.execute(
            HTTPClientRequest(url: "http://127.0.0.1:\(port)/metrics"),
            timeout: .seconds(10)
        )
        return String(buffer: try await response.body.collect(upTo: 64 << 20))
    }

    /// Waits until the exporter has no pending change left (everything ended one way or another).
    private func waitDrained(http: HTTPClient, port: Int) async throws {
        let deadline = Date().addingTimeInterval(60)
        while Date() < deadline {
            let text = try await metricsText(http: http, port: port)
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

/// The etcd source's faults in the accuracy benchmark: the proxy between the exporter and etcd, and etcd itself.
struct EtcdFaults: Sendable {
    let etcd: DemoEtcd
    let proxy: TCPProxy
}
