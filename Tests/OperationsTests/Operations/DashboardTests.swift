import Foundation
import TestSupport
import Testing

@testable import APISIXSyncExporter

/// `dashboards/apisix-sync-exporter.json` against the grafana dashboard-linter rules (see
/// `../shared/reference/ecosystem.md` §2.5; the linter itself cannot be installed here) and the real promtool.
@Suite struct DashboardTests {
    let dashboard: DashboardFixture

    init() throws {
        dashboard = try DashboardFixture()
    }

    static let panelTypes: Set<String> = ["timeseries", "stat", "heatmap", "table", "bargauge", "gauge", "row"]
    static let datasourceReferences: Set<String> = ["${datasource}", "$datasource"]

    func uid(_ object: Any?) -> String? {
        (object as? [String: Any])?["uid"] as? String
    }

    @Test func hasAStableIdentityAndTheDashboardFields() throws {
        #expect(dashboard.json["uid"] as? String == "apisix-sync-exporter")
        #expect(dashboard.json["title"] as? String == "APISIX sync lag")
        #expect(!(dashboard.json["tags"] as? [String] ?? []).isEmpty)
        let schema = try #require(dashboard.json["schemaVersion"] as? Int)
        #expect((36...41).contains(schema))
        #expect(dashboard.json["editable"] as? Bool == false, "uneditable-dashboard")
        #expect(!dashboard.panels.isEmpty)
    }

    @Test func hasExactlyOnePrometheusDatasourceVariable() throws {
        let datasources = dashboard.variables.filter { $0["type"] as? String == "datasource" }
        #expect(datasources.count == 1, "template-datasource-rule")
        let variable = try #require(datasources.first)
        #expect(variable["name"] as? String == "datasource")
        #expect(variable["query"] as? String == "prometheus")
        #expect(variable["label"] as? String == "Data source")
    }

    @Test(arguments: [("job", "Job"), ("instance", "Instance")])
    func jobAndInstanceVariablesFollowTheLinter(name: String, label: String) throws {
        let variable = try #require(dashboard.variable(name), "template-\(name)-rule: no $\(name) variable")
        #expect(variable["type"] as? String == "query")
        #expect(Self.datasourceReferences.contains(uid(variable["datasource"]) ?? ""))
        #expect(variable["multi"] as? Bool == true)
        #expect(variable["includeAll"] as? Bool == true)
        #expect(variable["allValue"] as? String == ".+")
        #expect(variable["label"] as? String == label)
        #expect(variable["refresh"] as? Int == 2, "template-on-time-change-reload-rule")
    }

    @Test(arguments: ["namespace", "service"])
    func namespaceAndServiceVariablesMatchEverythingByDefault(name: String) throws {
        let variable = try #require(dashboard.variable(name))
        #expect(variable["type"] as? String == "query")
        #expect(Self.datasourceReferences.contains(uid(variable["datasource"]) ?? ""))
        #expect(variable["multi"] as? Bool == true)
        #expect(variable["includeAll"] as? Bool == true)
        // `.*` also matches series without the label (--metrics.service-labels=false).
        #expect(variable["allValue"] as? String == ".*")
        #expect(variable["refresh"] as? Int == 2, "template-on-time-change-reload-rule")
    }

    @Test func variableQueriesAreFilteredByTheVariablesBeforeThem() throws {
        let selectors = dashboard.variableSelectors
        #expect(Set(selectors.map(\.variable)) == ["job", "instance", "namespace", "service"])
        let before = [
            "job": [String](), "instance": ["job"], "namespace": ["job", "instance"],
            "service": ["job", "instance", "namespace"],
        ]
        for entry in selectors {
            let matchers = DashboardPromQL(entry.selector).selectors.flatMap(\.matchers)
            for name in before[entry.variable] ?? [] {
                #expect(
                    matchers.contains(.init(label: name, op: "=~", value: "$\(name)")),
                    "$\(entry.variable) query \(entry.selector) does not filter by $\(name)"
                )
            }
        }
    }

    @Test func everyPanelHasATitleADescriptionAUnitAndTheTemplatedDatasource() {
        for panel in dashboard.panels {
            let title = panel["title"] as? String ?? ""
            let type = panel["type"] as? String ?? ""
            #expect(!title.isEmpty, "panel-title-description-rule: panel \(panel["id"] ?? "?") has no title")
            #expect(
                !(panel["description"] as? String ?? "").isEmpty,
                "panel-title-description-rule: \(title) has no description"
            )
            #expect(Self.panelTypes.contains(type), "\(title): panel type \(type)")
            if type == "row" { continue }
            let defaults = (panel["fieldConfig"] as? [String: Any])?["defaults"] as? [String: Any] ?? [:]
            let unit = defaults["unit"] as? String ?? ""
            #expect(!unit.isEmpty, "panel-units-rule: \(title) has no unit")
            #expect(
                Self.datasourceReferences.contains(uid(panel["datasource"]) ?? ""),
                "panel-datasource-rule: \(title)"
            )
            #expect(!(panel["targets"] as? [Any] ?? []).isEmpty, "\(title) has no targets")
        }
    }

    @Test func panelIDsAreUniqueAndPanelsDoNotOverlap() {
        let ids = dashboard.panels.compactMap { $0["id"] as? Int }
        #expect(ids.count == dashboard.panels.count, "a panel has no id")
        #expect(Set(ids).count == ids.count, "duplicate panel ids: \(ids)")
        let boxes = dashboard.panels.map { panel -> (String, x: Int, y: Int, w: Int, h: Int) in
            let grid = panel["gridPos"] as? [String: Int] ?? [:]
            return (panel["title"] as? String ?? "", grid["x"] ?? -1, grid["y"] ?? -1, grid["w"] ?? 0, grid["h"] ?? 0)
        }
        for (index, box) in boxes.enumerated() {
            #expect(box.x >= 0 && box.y >= 0 && box.w > 0 && box.h > 0 && box.x + box.w <= 24, "\(box.0): \(box)")
            for other in boxes[(index + 1)...] {
                let overlaps =
                    box.x < other.x + other.w && other.x < box.x + box.w && box.y < other.y + other.h
                    && other.y < box.y + box.h
                #expect(!overlaps, "\(box.0) overlaps \(other.0)")
            }
        }
    }

    @Test func everyTargetUsesTheTemplatedDatasource() {
        for target in dashboard.targets {
            #expect(Self.datasourceReferences.contains(target.datasourceUID ?? ""), "panel-datasource-rule: \(target)")
            #expect(!target.expression.isEmpty, "\(target) has no expression")
        }
    }

    @Test func rateFunctionsUseTheRateInterval() {
        for target in dashboard.targets {
            for call in DashboardPromQL(target.expression).rateCalls {
                let argument = call.argument.trimmingCharacters(in: .whitespacesAndNewlines)
                #expect(
                    argument.hasSuffix("[$__rate_interval]"),
                    "target-rate-interval-rule: \(target): \(call.function)(\(call.argument))"
                )
            }
        }
    }

    @Test func countersAreOnlyUsedThroughRateOrIncrease() {
        for target in dashboard.targets {
            for selector in DashboardPromQL(target.expression).selectors
            where selector.metric?.hasSuffix("_total") == true {
                #expect(
                    DashboardPromQL.rateFunctions.contains(selector.enclosingFunction ?? ""),
                    "target-counter-agg-rule: \(target): \(selector.metric ?? "")"
                )
            }
        }
    }

    @Test func everySelectorMatchesJobAndInstance() {
        for target in dashboard.targets {
            let selectors = DashboardPromQL(target.expression).selectors
            #expect(!selectors.isEmpty, "\(target) selects no series")
            for selector in selectors {
                for name in ["job", "instance"] {
                    #expect(
                        selector.matchers.contains(.init(label: name, op: "=~", value: "$\(name)")),
                        "target-\(name)-rule: \(target): \(selector.metric ?? "{...}") has no \(name)=~\"$\(name)\""
                    )
                }
            }
        }
    }

    @Test func heatmapsShowPrecomputedBuckets() throws {
        let heatmaps = dashboard.panels.filter { $0["type"] as? String == "heatmap" }
        #expect(!heatmaps.isEmpty)
        for panel in heatmaps {
            #expect((panel["options"] as? [String: Any])?["calculate"] as? Bool == false)
            for target in panel["targets"] as? [[String: Any]] ?? [] {
                #expect(target["format"] as? String == "heatmap")
                #expect((target["expr"] as? String ?? "").contains("sum by (le)"))
                #expect(target["legendFormat"] as? String == "{{le}}")
            }
        }
    }

    /// Every selected metric is one the exporter exposes (or a rule of deploy/prometheus/rules.yaml records), and
    /// every label matched on is one of its labels: a renamed metric or label breaks this test, not a dashboard.
    @Test func selectorsUseTheExportersMetricsAndLabels() throws {
        let families = Self.exporterFamilies()
        let recorded = try DashboardFixture.recordedNames()
        let selectors =
            dashboard.targets.map { ($0.description, $0.expression) }
            + dashboard.variableSelectors.map { ("variable \($0.variable)", $0.selector) }
        for (origin, expression) in selectors {
            for selector in DashboardPromQL(expression).selectors {
                let metric = try #require(selector.metric, "\(origin): a selector without a metric name")
                if metric.contains(":") {
                    #expect(recorded.contains(metric), "\(origin): \(metric) is not recorded by rules.yaml")
                    continue
                }
                let labels = try #require(families[metric], "\(origin): the exporter has no metric \(metric)")
                for matcher in selector.matchers where !["job", "instance"].contains(matcher.label) {
                    #expect(labels.contains(matcher.label), "\(origin): \(metric) has no label \(matcher.label)")
                }
            }
        }
        for variable in dashboard.variableSelectors where !["job", "instance"].contains(variable.label) {
            let metric = DashboardPromQL(variable.selector).selectors.first?.metric ?? ""
            #expect(families[metric]?.contains(variable.label) == true, "$\(variable.variable): \(variable.selector)")
        }
    }

    /// Every target expression (and every variable's selector), with the Grafana variables substituted, parses
    /// with the real promtool: each becomes a recording rule of a temporary rules file for `promtool check rules`.
    @Test func everyExpressionParsesWithPromtool() throws {
        guard let promtool = ExternalTool.find("promtool") else {
            try #require(!ExternalTool.isCI, "promtool is required in CI")
            return
        }
        var rules: [[String: String]] = dashboard.targets.map { target in
            [
                "record": "dashboard:panel_\(target.panelID)_\(target.refID)",
                "expr": DashboardFixture.substitute(target.expression),
            ]
        }
        rules += dashboard.variableSelectors.map {
            ["record": "dashboard:variable_\($0.variable)", "expr": DashboardFixture.substitute($0.selector)]
        }
        #expect(rules.count > dashboard.panels.count)
        // JSON is YAML: the expressions need no YAML quoting of their own.
        let document = try JSONSerialization.data(
            withJSONObject: ["groups": [["name": "dashboard", "rules": rules]]],
            options: [.prettyPrinted, .sortedKeys]
        )
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("dashboard-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = directory.appendingPathComponent("dashboard-rules.yaml")
        try document.write(to: file)
        let result = try ExternalTool.run(promtool, ["check", "rules", file.path])
        #expect(result.status == 0, "promtool check rules: \(result.output)")
        #expect(result.output.contains("SUCCESS: \(rules.count) rules found"), "\(result.output)")
    }

    @Test func variablesAreSubstitutedForPromtool() {
        let expression = #"rate(x{job=~"$job", instance=~"${instance}", service=~"[[service]]"}[$__rate_interval])"#
        #expect(
            DashboardFixture.substitute(expression)
                == #"rate(x{job=~".+", instance=~".+", service=~".*"}[1m])"#
        )
        #expect(DashboardFixture.substitute("x[$__range]", range: "5m") == "x[5m]")
        #expect(DashboardFixture.substitute("x{a=\"$unknown\"}") == "x{a=\"$unknown\"}")
    }

    @Test func theScannerFindsSelectorsRangesAndCounters() {
        let scan = DashboardPromQL(
            #"sum by (le) (increase(a_bucket{job=~"$job", le!="+Inf"}[$__rate_interval])) / "#
                + #"on (job) group_left max(b:c{x="}{"}) - time() + sum(rate(d_total[5m])) > bool 0.5"#
        )
        #expect(scan.selectors.map(\.metric) == ["a_bucket", "b:c", "d_total"])
        #expect(scan.selectors.map(\.enclosingFunction) == ["increase", "max", "rate"])
        #expect(
            scan.selectors[0].matchers == [
                .init(label: "job", op: "=~", value: "$job"), .init(label: "le", op: "!=", value: "+Inf"),
            ]
        )
        #expect(scan.selectors[1].matchers == [.init(label: "x", op: "=", value: "}{")])
        #expect(scan.rateCalls.map(\.function) == ["increase", "rate"])
        #expect(scan.rateCalls.last?.argument == "d_total[5m]")
    }

    /// The metric contract of the pod watch (removal stages, routable-after-preStop time, per-workload preStop
    /// verdicts), as the dashboard and the alerts use it: names and labels, histogram series spelled out. The
    /// exporter must expose each with exactly these labels (`podWatchContractMatchesTheExporter`).
    static let podWatchFamilies: [String: Set<String>] = [
        "apisix_sync_removal_stage_seconds_bucket": ["stage", "le"],
        "apisix_sync_removal_stage_seconds_sum": ["stage"],
        "apisix_sync_removal_stage_seconds_count": ["stage"],
        "apisix_sync_removal_stage_skipped_total": ["reason"],
        "apisix_sync_routable_after_prestop_seconds_total": ["namespace", "service"],
        "apisix_sync_workload_prestop_seconds": ["namespace", "workload", "kind"],
        "apisix_sync_workload_termination_grace_period_seconds": ["namespace", "workload", "kind"],
        "apisix_sync_workload_removal_lag_p99_seconds": ["namespace", "workload", "kind"],
        "apisix_sync_workload_recommended_prestop_seconds": ["namespace", "workload", "kind"],
        "apisix_sync_workload_info": ["namespace", "workload", "kind", "prestop", "verdict"],
        "apisix_sync_pod_watch_enabled": [],
    ]

    @Test func podWatchContractMatchesTheExporter() {
        let families = Self.exporterFamilies()
        for (name, labels) in Self.podWatchFamilies {
            let exposed = families[name] ?? []
            #expect(families[name] != nil, "the exporter does not expose \(name)")
            #expect(exposed == labels, "\(name): the exporter's labels \(exposed.sorted()) are not \(labels.sorted())")
        }
    }

    @Test func theDashboardShowsThePodWatch() {
        let metrics = Set(
            dashboard.targets.flatMap { DashboardPromQL($0.expression).selectors.compactMap(\.metric) }
        )
        for name in Self.podWatchFamilies.keys where !name.hasSuffix("_sum") && !name.hasSuffix("_count") {
            #expect(metrics.contains(name), "no panel shows \(name)")
        }
        let table = dashboard.panels.first { $0["title"] as? String == "At-risk workloads" }
        #expect(table?["type"] as? String == "table")
        let sortBy = (table?["options"] as? [String: Any])?["sortBy"] as? [[String: Any]]
        #expect(sortBy?.first?["displayName"] as? String == "Risk" && sortBy?.first?["desc"] as? Bool == true)
    }

    /// The exporter's metric families with their label names (histogram series included), from an exposition
    /// that has every series.
    static func exporterFamilies() -> [String: Set<String>] {
        let metrics = ExporterMetrics(resolution: 0.1)
        let web = ServiceKey(namespace: "shop", name: "web")
        metrics.setBuildInfo(version: "0.1.0", revision: "abc", swiftVersion: "6.3")
        metrics.recordLag(7, service: web, kind: .remove, configuredDelay: 5)
        metrics.recordInstanceLag(7, target: "apisix:9180", kind: .remove)
        metrics.countChange(service: web, kind: .add, outcome: .synced)
        metrics.countSourceError(source: "apisix", target: "apisix:9180", reason: "timeout")
        metrics.recordStages(kubernetes: 0.2, apisix: 7)
        metrics.countStageSkipped(.notTerminating)
        metrics.addRoutableAfterPrestop(2.2, service: web)
        var snapshot = ExporterMetrics.GaugeSnapshot()
        snapshot.podWatchEnabled = true
        snapshot.workloads = [
            WorkloadReport(
                workload: WorkloadKey(namespace: "shop", kind: "Deployment", name: "web"),
                services: [web],
                container: "app",
                preStop: .sleep(seconds: 5),
                terminationGracePeriodSeconds: 30,
                removalLagP99: 7.2,
                samples: 1,
                recommendedPreStop: 9,
                recommendedTerminationGracePeriodSeconds: 34,
                verdict: .tooShort
            )
        ]
        var state = ExporterMetrics.GaugeSnapshot.ServiceState()
        state.pending[.remove] = 1
        state.oldestPending[.remove] = 1_700_000_000
        snapshot.services[web] = state
        snapshot.sources = [.init(source: "apisix", target: "apisix:9180", up: true, lastSuccess: 1_700_000_000)]
        snapshot.upstreams["apisix:9180"] = [.mapped: 1]
        snapshot.configuredDelay = 5
        var policy = RecommendationPolicy()
        policy.minSamples = 1
        snapshot.recommendation = Recommendation.compute(
            samples: 1,
            quantileValue: 7,
            maximum: 7,
            overDelay: 1,
            policy: policy
        )
        var families: [String: Set<String>] = [:]
        for line in metrics.text(gauges: snapshot).split(separator: "\n") where !line.hasPrefix("#") {
            let name = String(line.prefix { $0 != "{" && $0 != " " })
            let labels = line.matches(of: /([a-zA-Z_][a-zA-Z0-9_]*)="/).map { String($0.1) }
            families[name, default: []].formUnion(labels)
        }
        return families
    }
}
