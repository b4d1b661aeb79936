import Foundation

/// The Grafana dashboard of `dashboards/`, as the dashboard and live-Prometheus tests read it.
struct DashboardFixture {
    /// One PromQL query of a panel.
    struct Target: CustomStringConvertible {
        let panelID: Int
        let panelTitle: String
        let refID: String
        /// The expression as written, with Grafana variables.
        let expression: String
        let format: String?
        let datasourceUID: String?

        var description: String { "panel \(panelID) \"\(panelTitle)\" target \(refID)" }
    }

    /// The repository root, found from this file's path (`Tests/OperationsTests/Operations/...`).
    static let repositoryRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()
    static let path = repositoryRoot.appendingPathComponent("dashboards/apisix-sync-exporter.json")
    static let rulesPath = repositoryRoot.appendingPathComponent("deploy/prometheus/rules.yaml")

    /// The dashboard's top-level JSON object.
    let json: [String: Any]

    init() throws {
        let data = try Data(contentsOf: Self.path)
        guard let object = try JSONSerialization.jsonObject(with: data) as? [String: Any] else {
            throw FixtureError("\(Self.path.path) is not a JSON object")
        }
        json = object
    }

    /// Every panel, including those nested in collapsed rows.
    var panels: [[String: Any]] {
        let top = json["panels"] as? [[String: Any]] ?? []
        return top.flatMap { panel in [panel] + (panel["panels"] as? [[String: Any]] ?? []) }
    }

    /// The template variables.
    var variables: [[String: Any]] {
        (json["templating"] as? [String: Any])?["list"] as? [[String: Any]] ?? []
    }

    func variable(_ name: String) -> [String: Any]? {
        variables.first { $0["name"] as? String == name }
    }

    /// Every panel's PromQL targets.
    var targets: [Target] {
        panels.flatMap { panel -> [Target] in
            let id = panel["id"] as? Int ?? -1
            let title = panel["title"] as? String ?? ""
            return (panel["targets"] as? [[String: Any]] ?? []).map { target in
                Target(
                    panelID: id,
                    panelTitle: title,
                    refID: target["refId"] as? String ?? "?",
                    expression: target["expr"] as? String ?? "",
                    format: target["format"] as? String,
                    datasourceUID: (target["datasource"] as? [String: Any])?["uid"] as? String
                )
            }
        }
    }

    /// The series selectors of the query variables (`label_values(<selector>, <label>)`), with the label.
    var variableSelectors: [(variable: String, selector: String, label: String)] {
        variables.compactMap { variable in
            guard variable["type"] as? String == "query", let name = variable["name"] as? String else { return nil }
            let query = (variable["query"] as? [String: Any])?["query"] as? String ?? variable["query"] as? String ?? ""
            guard let match = query.firstMatch(of: /^label_values\((.+),\s*(\w+)\)$/) else { return nil }
            return (name, String(match.1), String(match.2))
        }
    }

    /// Replaces the Grafana variables of an expression with values Prometheus accepts: every multi-value variable
    /// by its "All" regex, `$__rate_interval` and the other interval variables by fixed durations.
    static func substitute(_ expression: String, rateInterval: String = "1m", range: String = "1h") -> String {
        let values = [
            "__rate_interval": rateInterval, "__interval": "15s", "__range": range,
            "job": ".+", "instance": ".+", "namespace": ".*", "service": ".*",
        ]
        return expression.replacing(/\$\{(\w+)\}|\$(\w+)|\[\[(\w+)\]\]/) { match in
            let name = String(match.1 ?? match.2 ?? match.3 ?? "")
            return values[name] ?? String(match.0)  // unknown variables stay, so the expression fails to parse
        }
    }

    /// The names the rules file records (`record:`).
    static func recordedNames() throws -> Set<String> {
        let text = try String(contentsOf: rulesPath, encoding: .utf8)
        return Set(text.matches(of: /(?m)^\s*-?\s*record:\s*"?([A-Za-z_:][A-Za-z0-9_:]*)"?\s*$/).map { String($0.1) })
    }

    struct FixtureError: Error, CustomStringConvertible {
        let description: String
        init(_ description: String) { self.description = description }
    }
}
