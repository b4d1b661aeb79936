/// One metric family of the exposition: its name, type, HELP text and label names.
struct MetricFamily: Sendable {
    /// The Prometheus metric type, as written in the `# TYPE` line.
    enum Kind: String, Sendable {
        case counter, gauge, histogram
    }

    let name: String
    let kind: Kind
    let help: String
    let labelNames: [String]

    /// - Parameter name: the name after the `apisix_sync_` prefix, or the whole name when `prefixed` is false.
    init(_ name: String, _ kind: Kind, labels: [String] = [], help: String, prefixed: Bool = true) {
        self.name = prefixed ? "\(ExporterMetrics.namespace)_\(name)" : name
        self.kind = kind
        self.help = help
        self.labelNames = labels
    }
}
