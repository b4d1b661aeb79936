import AsyncHTTPClient
import Foundation
import TestSupport
import Testing

/// The dashboard and the rules of deploy/prometheus/rules.yaml against a real Prometheus server (Debian
/// `prometheus`) that scrapes two demo processes every second: one configured with a preStop delay below the
/// simulated lag, one above it.
@Suite struct LivePrometheusTests {
    static let headlineAlert = "APISIXSyncRemovalLagAbovePreStop"
    /// The job of the demo whose `--prestop-delay` (1s) is below its simulated lag (median 1.2s, p99 4s): the rules
    /// file's own job name, so `APISIXSyncExporterDown` sees it.
    static let shortDelayJob = "apisix-sync-exporter"
    /// The job of the demo whose `--prestop-delay` (60s) is above every simulated lag (outliers reach 30s).
    static let longDelayJob = "apisix-sync-exporter-long-delay"

    /// Rules and dashboard targets that legitimately return no data in a short, healthy demo run (they must still
    /// evaluate without error). Keyed by alert name or panel title.
    static let allowedWithoutData: [String: String] = [
        "APISIXSyncSourceDown": "the demo's fake Kubernetes API and APISIX never fail, so source_up is never 0",
        "APISIXSyncExporterDown": "absent(up == 1) has data only while no exporter is up",
        "APISIXSyncUnobservedChangesHigh": "needs over a quarter of the changes unobserved (APISIX outages); the "
            + "demo has none",
        "Source errors by reason": "the fakes never fail, so apisix_sync_source_errors_total has no series",
        // The pod watch: the demo's pods have deletions, stages and one workload whose sleep exceeds its grace
        // period from the start; these need more than the test's minutes or a fault the demo does not have.
        "APISIXSyncWorkloadPreStopBelowRemovalLag": "needs --recommendation.min-samples removals per workload",
        "APISIXSyncRoutableAfterPreStop": "needs a removal slower than its workload's preStop within the test",
        "APISIXSyncPodWatchForbidden": "the fake API server never answers 403",
        "Routable after preStop (5xx window)": "needs a removal slower than its workload's preStop within the test",
        "Removals without stages": "every demo removal is a pod deletion: none is skipped",
    ]

    @Test(.timeLimit(.minutes(3))) func dashboardAndRulesWorkAndTheLagAlertFiresOnlyBelowTheLag() async throws {
        guard let prometheus = ExternalTool.find("prometheus") else {
            try #require(!ExternalTool.isCI, "prometheus is required in CI")
            return
        }
        let binary = ExporterBinary.path
        try #require(FileManager.default.isExecutableFile(atPath: binary), "build the exporter first: \(binary)")
        let dashboard = try DashboardFixture()
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("live-prom-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }

        // The short-delay demo also times changes out after 5s (the slow Service's median lag is 3s), so that
        // APISIXSyncChangesTimingOut and the timeout outcome have data; its p99 stays well above the 1s delay.
        let short = try startDemo(
            name: "short-delay demo",
            binary: binary,
            arguments: ["--prestop-delay", "1s", "--change-timeout", "5s", "--seed", "7"],
            directory: directory
        )
        defer { short.stop() }
        let long = try startDemo(
            name: "long-delay demo",
            binary: binary,
            arguments: ["--prestop-delay", "60s", "--seed", "8"],
            directory: directory
        )
        defer { long.stop() }
        let shortPort = try await readyPort(of: short)
        let longPort = try await readyPort(of: long)

        let rulesFile = directory.appendingPathComponent("rules.yaml")
        try Self.rulesWithoutPendingPeriods().write(to: rulesFile, atomically: true, encoding: .utf8)
        let config = directory.appendingPathComponent("prometheus.yml")
        try """
        global:
          scrape_interval: 1s
          scrape_timeout: 1s
          evaluation_interval: 1s
        rule_files:
          - \(rulesFile.path)
        scrape_configs:
          - job_name: \(Self.shortDelayJob)
            static_configs:
              - targets: ["127.0.0.1:\(shortPort)"]
          - job_name: \(Self.longDelayJob)
            static_configs:
              - targets: ["127.0.0.1:\(longPort)"]
        """.write(to: config, atomically: true, encoding: .utf8)
        let server = try PrometheusTestProcess(
            name: "prometheus",
            executable: prometheus,
            arguments: [
                "--config.file=\(config.path)", "--storage.tsdb.path=\(directory.appendingPathComponent("data").path)",
                "--web.listen-address=127.0.0.1:0", "--log.level=info",
            ],
            directory: directory
        )
        defer { server.stop() }
        let listening = try await server.waitForOutput(#/msg="Listening on" address=127\.0\.0\.1:(\d+)/#)
        let api = PrometheusAPI(baseURL: "http://127.0.0.1:\(try #require(listening, "\(server.tail)"))")

        let prometheusReady = try await prometheusEventually(timeout: .seconds(30), every: .milliseconds(100)) {
            (try? await api.get("/-/ready").status) == 200
        }
        try #require(prometheusReady, "\(server.tail)")
        var targets: [PrometheusAPI.Targets.Target] = []
        let targetsUp = try await prometheusEventually(timeout: .seconds(30)) {
            targets = try await api.targets()
            return targets.count == 2 && targets.allSatisfy { $0.health == "up" }
        }
        try #require(targetsUp, "targets: \(targets.map { ($0.scrapeUrl, $0.health, $0.lastError) })")

        var check = LiveChecks(dashboard: dashboard)
        let done = try await prometheusEventually(timeout: .seconds(100), every: .seconds(1)) {
            try await check.poll(api)
        }
        #expect(done, "not seen within the deadline:\n\(check.missing.joined(separator: "\n"))")
        for (what, error) in check.errors.sorted(by: { $0.key < $1.key }) {
            Issue.record("\(what) does not evaluate: \(error)")
        }
        for alert in check.longDelayAlerts {
            Issue.record("\(Self.headlineAlert) is \(alert) for the demo whose delay (60s) is above its lag")
        }

        // The long-delay demo's quiet alert is no accident: its lag is the same as the short one's (p99 above 1s,
        // at least 10 removals, the alert's own guard), only the configured delay differs.
        let p99 = try await api.query(
            #"change:apisix_sync_lag_seconds:histogram_quantile_rate1h{job="\#(Self.longDelayJob)", "#
                + #"change="remove", quantile="0.99"}"#
        )
        let value = try #require(p99.result.first?.value, "no p99 removal lag for the long-delay demo")
        #expect(value > 1 && value < 60, "long-delay demo p99 removal lag \(value)")
        let removals = try await api.query(
            #"sum(increase(apisix_sync_lag_seconds_count{job="\#(Self.longDelayJob)", change="remove"}[1h]))"#
        )
        #expect((removals.result.first?.value ?? 0) >= 10)
    }

    /// What the polling loop has seen so far.
    struct LiveChecks {
        /// Dashboard queries (by name) still to be seen returning data, with the expression to run.
        var pending: [String: String] = [:]
        /// Rules (by name and expression) still to be seen returning data; nil before the first round.
        var rulesPending: Set<String>?
        var rules: Set<String> = []
        var rulesHealthy: Set<String> = []
        var headlineFired = false
        var errors: [String: String] = [:]
        /// States (pending, firing) the headline alert was seen in for the long-delay demo: must stay empty.
        var longDelayAlerts: Set<String> = []

        init(dashboard: DashboardFixture) {
            for target in dashboard.targets {
                pending["dashboard \(target)"] = DashboardFixture.substitute(target.expression, range: "5m")
            }
            for variable in dashboard.variableSelectors {
                pending["variable $\(variable.variable)"] = DashboardFixture.substitute(variable.selector)
            }
        }

        var missing: [String] {
            pending.keys.sorted().map { "data: \($0)" }
                + (rulesPending ?? ["(rules not loaded)"]).sorted().map { "data: rule \($0)" }
                + rules.subtracting(rulesHealthy).sorted().map { "health ok: rule \($0)" }
                + (headlineFired ? [] : ["\(LivePrometheusTests.headlineAlert) firing for the short-delay demo"])
        }

        /// Whether a dashboard target (`panel 3 "Title" target A`) or a rule (`Name: expression`) is allowed to
        /// have no data.
        static func isAllowed(_ name: String) -> Bool {
            LivePrometheusTests.allowedWithoutData.keys.contains {
                name.hasPrefix("\($0): ") || name.contains("\"\($0)\"")
            }
        }

        static func key(_ rule: PrometheusAPI.Rules.Rule) -> String {
            "\(rule.name): " + rule.query.split(whereSeparator: \.isWhitespace).joined(separator: " ")
        }

        /// One round: returns true once everything has been seen.
        mutating func poll(_ api: PrometheusAPI) async throws -> Bool {
            for (name, expression) in pending {
                do {
                    let result = try await api.query(expression)
                    if !result.isEmpty || Self.isAllowed(name) { pending[name] = nil }
                } catch let error as PrometheusAPI.APIError {
                    errors[name] = error.description
                    pending[name] = nil
                }
            }
            let loaded = try await api.rules()
            rules = Set(loaded.map(Self.key))
            var remaining = rulesPending ?? rules.filter { !Self.isAllowed($0) }
            for rule in loaded {
                let key = Self.key(rule)
                switch rule.health {
                case "ok": rulesHealthy.insert(key)
                case "err":
                    errors["rule \(key)"] = rule.lastError ?? "health err"
                    rulesHealthy.insert(key)  // reported as an error, not waited for
                    remaining.remove(key)
                default: break  // "unknown": not evaluated yet
                }
                guard remaining.contains(key) else { continue }
                do {
                    if try await !api.query(rule.query).isEmpty { remaining.remove(key) }
                } catch let error as PrometheusAPI.APIError {
                    errors["rule \(key)"] = error.description
                    remaining.remove(key)
                }
            }
            rulesPending = remaining
            for alert in try await api.alerts() where alert.labels["alertname"] == LivePrometheusTests.headlineAlert {
                switch alert.labels["job"] {
                case LivePrometheusTests.shortDelayJob: headlineFired = headlineFired || alert.state == "firing"
                case LivePrometheusTests.longDelayJob: longDelayAlerts.insert(alert.state)
                default: break
                }
            }
            return pending.isEmpty && remaining.isEmpty && headlineFired && rules.isSubset(of: rulesHealthy)
        }
    }

    /// deploy/prometheus/rules.yaml with every `for:` set to 0s: the alerts' pending periods (5m to 1h) are longer
    /// than the whole test, and what is checked here is that the expressions evaluate and fire, not the periods
    /// (`promtool test rules` covers those).
    static func rulesWithoutPendingPeriods() throws -> String {
        let rules = try String(contentsOf: DashboardFixture.rulesPath, encoding: .utf8)
        return rules.replacing(/(?m)^([ \t]*)for:[ \t]*\S+[ \t]*$/) { "\($0.1)for: 0s" }
    }

    func startDemo(name: String, binary: String, arguments: [String], directory: URL) throws -> PrometheusTestProcess {
        try PrometheusTestProcess(
            name: name,
            executable: binary,
            arguments: [
                "demo", "--web.listen-address", "127.0.0.1:0", "--recommendation.min-samples", "5",
                "--kubeconfig-out", directory.appendingPathComponent("\(UUID().uuidString).kubeconfig").path,
                "--log.level", "warn",
            ] + arguments,
            directory: directory
        )
    }

    /// The demo's port (from its banner) once its `/-/ready` answers 200.
    func readyPort(of demo: PrometheusTestProcess) async throws -> Int {
        let text = try await demo.waitForOutput(#/metrics +http://127\.0\.0\.1:(\d+)/metrics/#)
        let port = try #require(text.flatMap { Int($0) }, "\(demo.tail)")
        let ready = try await prometheusEventually(timeout: .seconds(30), every: .milliseconds(100)) {
            let response = try? await HTTPClient.shared.execute(
                HTTPClientRequest(url: "http://127.0.0.1:\(port)/-/ready"),
                timeout: .seconds(5)
            )
            return response?.status == .ok
        }
        try #require(ready, "\(demo.name) not ready; \(demo.tail)")
        return port
    }
}
