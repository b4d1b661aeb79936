/// What a scrape shows of one Service port: its pending changes and how far APISIX diverges from Kubernetes.
public struct PortGauges: Sendable {
    /// How many changes are pending per kind, and since when the oldest of each.
    public var pendingSummary: [ChangeKind: (count: Int, oldest: Timestamp)]
    /// Nodes the most divergent target routes to that are not ready in Kubernetes.
    public var stale: Int
    /// Ready nodes the most divergent target does not route to.
    public var missing: Int
}
