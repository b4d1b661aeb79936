import Foundation
import TestSupport
import Testing

/// The Prometheus rules in `deploy/prometheus/`: promtool checks and unit-tests them (skipped when promtool is
/// missing, except in CI), and every alert carries the labels and annotations the runbook and Alertmanager rely on.
@Suite struct AlertRulesTests {
    static let root = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()
    static let rulesPath = root.appendingPathComponent("deploy/prometheus/rules.yaml").path
    static let rulesTestPath = root.appendingPathComponent("deploy/prometheus/rules.test.yaml").path
    static let runbookPath = root.appendingPathComponent("docs/runbook.md").path
    static let metricsDocPath = root.appendingPathComponent("docs/metrics.md").path
    static let runbookBase = "https://github.com/apisix-sync-exporter/apisix-sync-exporter/blob/main/docs/runbook.md"

    /// One alerting or recording rule as read from rules.yaml: its name and its top-level keys with their values
    /// (block scalars joined into one line).
    struct Rule {
        var isAlert: Bool
        var name: String
        var fields: [String: String] = [:]
    }

    func promtool() throws -> String? {
        guard let path = ExternalTool.find("promtool") else {
            try #require(!ExternalTool.isCI, "promtool is required in CI (apt-get install prometheus)")
            return nil
        }
        return path
    }

    func read(_ path: String) throws -> String {
        try String(contentsOfFile: path, encoding: .utf8)
    }

    func indentation(_ line: Substring) -> Int {
        line.prefix { $0 == " " }.count
    }

    /// Reads the rules of a plain rules file line by line (Yams is not a dependency of the test target): a rule
    /// starts at `- alert:` or `- record:`; keys indented deeper are its fields or, under `labels:` and
    /// `annotations:`, its labels and annotations.
    func rules() throws -> [Rule] {
        var rules: [Rule] = []
        var ruleIndent = 0
        var key: String?
        var keyIndent = 0
        for line in try read(Self.rulesPath).split(separator: "\n", omittingEmptySubsequences: false) {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if trimmed.isEmpty || trimmed.hasPrefix("#") { continue }
            let indent = indentation(line)
            for kind in ["alert", "record"] where trimmed.hasPrefix("- \(kind): ") {
                let name = trimmed.dropFirst(kind.count + 4).trimmingCharacters(in: .whitespaces)
                rules.append(Rule(isAlert: kind == "alert", name: name))
                ruleIndent = indent + 2
                key = nil
            }
            guard !rules.isEmpty, indent >= ruleIndent, !trimmed.hasPrefix("- ") else {
                if indent < ruleIndent { key = nil }
                continue
            }
            if let key, indent > keyIndent {
                let previous = rules[rules.count - 1].fields[key] ?? ""
                rules[rules.count - 1].fields[key] = previous.isEmpty ? trimmed : previous + " " + trimmed
                continue
            }
            guard let colon = trimmed.firstIndex(of: ":") else { continue }
            let name = String(trimmed[..<colon])
            var value = trimmed[trimmed.index(after: colon)...].trimmingCharacters(in: .whitespaces)
            let blockScalar = ["|", "|-", ">", ">-"].contains(value)
            if blockScalar { value = "" }
            if value.count >= 2, value.first == "\"", value.last == "\"" {
                value = String(value.dropFirst().dropLast())
            }
            rules[rules.count - 1].fields[name] = value
            key = blockScalar ? name : nil
            keyIndent = indent
        }
        return rules
    }

    /// The anchor GitHub gives a Markdown heading: lower case, punctuation other than `-` and `_` dropped,
    /// spaces turned into `-`.
    static func githubAnchor(_ heading: String) -> String {
        String(
            heading.lowercased().compactMap { character -> Character? in
                if character == " " { return "-" }
                if character.isLetter || character.isNumber || character == "-" || character == "_" { return character }
                return nil
            }
        )
    }

    func runbookAnchors() throws -> Set<String> {
        var anchors: Set<String> = []
        var fenced = false
        for line in try read(Self.runbookPath).split(separator: "\n") {
            if line.hasPrefix("```") { fenced.toggle() }
            guard !fenced, line.hasPrefix("#") else { continue }
            let heading = line.drop { $0 == "#" }.trimmingCharacters(in: .whitespaces)
            anchors.insert(Self.githubAnchor(heading))
        }
        return anchors
    }

    @Test func promtoolChecksTheRules() throws {
        guard let promtool = try promtool() else { return }
        let result = try ExternalTool.run(promtool, ["check", "rules", Self.rulesPath])
        #expect(result.status == 0, "promtool check rules: \(result.output)")
    }

    @Test func promtoolUnitTestsPass() throws {
        guard let promtool = try promtool() else { return }
        let result = try ExternalTool.run(promtool, ["test", "rules", Self.rulesTestPath])
        #expect(result.status == 0, "promtool test rules: \(result.output)")
    }

    @Test func parserFindsTheRules() throws {
        let rules = try rules()
        let alerts = rules.filter(\.isAlert)
        #expect(alerts.count >= 6)
        #expect(rules.count > alerts.count, "recording rules")
        let headline = try #require(alerts.first { $0.name == "APISIXSyncRemovalLagAbovePreStop" })
        #expect(headline.fields["expr"]?.contains("apisix_sync_configured_prestop_seconds") == true)
        #expect(headline.fields["description"]?.contains("{{ $value | humanizeDuration }}") == true)
        #expect(headline.fields["severity"] == "critical")
        #expect(headline.fields["for"] == "5m")
        for rule in rules {
            #expect(rule.fields["expr"]?.isEmpty == false, "\(rule.name) has an expression")
        }
    }

    @Test func everyAlertHasSeveritySummaryDescriptionAndRunbook() throws {
        let anchors = try runbookAnchors()
        for alert in try rules().filter(\.isAlert) {
            #expect(alert.name.hasPrefix("APISIXSync"), "\(alert.name): names start with APISIXSync")
            #expect(
                ["critical", "warning", "info"].contains(alert.fields["severity"] ?? ""),
                "\(alert.name): severity"
            )
            let summary = alert.fields["summary"] ?? ""
            #expect(summary.first?.isUppercase == true && summary.hasSuffix("."), "\(alert.name): summary sentence")
            let description = alert.fields["description"] ?? ""
            #expect(description.count > summary.count, "\(alert.name): a description longer than the summary")
            let anchor = alert.name.lowercased()
            #expect(alert.fields["runbook_url"] == "\(Self.runbookBase)#\(anchor)", "\(alert.name): runbook_url")
            #expect(anchors.contains(anchor), "docs/runbook.md has no heading for \(alert.name)")
        }
    }

    @Test func runbookHasNoSectionForAnUnknownAlert() throws {
        let alerts = Set(try rules().filter(\.isAlert).map { $0.name.lowercased() })
        for anchor in try runbookAnchors() where anchor.hasPrefix("apisixsync") {
            #expect(alerts.contains(anchor), "docs/runbook.md documents \(anchor), which rules.yaml does not define")
        }
    }

    /// Every alert is shown firing (`exp_alerts` with entries) and quiet (`exp_alerts: []`) by the promtool tests.
    @Test func everyAlertIsTestedFiringAndQuiet() throws {
        var firing: Set<String> = []
        var quiet: Set<String> = []
        var current: String?
        for line in try read(Self.rulesTestPath).split(separator: "\n") {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if trimmed.hasPrefix("alertname:") {
                current = trimmed.dropFirst("alertname:".count).trimmingCharacters(in: .whitespaces)
            } else if let alert = current, trimmed.hasPrefix("exp_alerts:") {
                if trimmed == "exp_alerts: []" { quiet.insert(alert) } else { firing.insert(alert) }
                current = nil
            }
        }
        for alert in try rules().filter(\.isAlert) {
            #expect(firing.contains(alert.name), "\(alert.name) is never shown firing")
            #expect(quiet.contains(alert.name), "\(alert.name) is never shown quiet")
        }
    }

    @Test func metricsDocListsEveryRecordingRuleAndMetricTheRulesUse() throws {
        let doc = try read(Self.metricsDocPath)
        let rules = try rules()
        for rule in rules where !rule.isAlert {
            let listed = doc.contains("`\(rule.name)`")
            #expect(listed, "docs/metrics.md does not list \(rule.name)")
        }
        let suffixes = ["_bucket", "_count", "_sum"]
        for rule in rules {
            let expression = rule.fields["expr"] ?? ""
            var rest = Substring(expression)
            while let range = rest.range(of: "apisix_sync_") {
                let name = rest[range.lowerBound...].prefix { $0.isLetter || $0.isNumber || $0 == "_" }
                rest = rest[name.endIndex...]
                // Recording-rule names (level:metric:operations) contain the metric name after a colon.
                let start = range.lowerBound
                if start > expression.startIndex, expression[expression.index(before: start)] == ":" { continue }
                var metric = String(name)
                if let suffix = suffixes.first(where: { metric.hasSuffix($0) }) {
                    metric = String(metric.dropLast(suffix.count))
                }
                let listed = doc.contains("`\(metric)`")
                #expect(listed, "docs/metrics.md does not list \(metric), used by \(rule.name)")
            }
        }
    }

    @Test func githubAnchorsFollowGitHub() {
        #expect(Self.githubAnchor("APISIXSyncStaleNodes") == "apisixsyncstalenodes")
        #expect(Self.githubAnchor("Two exporter replicas") == "two-exporter-replicas")
        #expect(Self.githubAnchor("`/api/v1/state`, the status page") == "apiv1state-the-status-page")
    }
}
