import APISIXSyncDemo

/// What `scale --apisix.source` runs: one exporter reading APISIX through the Admin API or through etcd, or `both`
/// side by side (two exporters against the same simulated cluster and churn, measured in the same window).
enum ScaleSource: String, CaseIterable, Sendable {
    case admin
    case etcd
    case both

    /// The sources of the exporters to run, in the order they are reported.
    var sources: [DemoOptions.Source] {
        switch self {
        case .admin: [.admin]
        case .etcd: [.etcd]
        case .both: [.admin, .etcd]
        }
    }

    /// The values, as a flag's error message lists them: `admin, etcd or both`.
    static var choices: String {
        let names = allCases.map(\.rawValue)
        return names.dropLast().joined(separator: ", ") + " or " + (names.last ?? "")
    }
}
