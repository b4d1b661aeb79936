/// What the lag engine reports when a change ends or a target reflects it.
public enum LagEvent: Equatable, Sendable {
    /// Every APISIX target reflects the change and each end was observed exactly: the Service-level lag in seconds
    /// (outcome `synced`).
    case synced(ServicePortKey, ChangeKind, lag: Double, node: NodeAddress)
    /// Every APISIX target reflects the change, but at least one end is known only within an interval (a request
    /// failed, or polling stalled, between the last look that showed the change unreflected and the first that showed
    /// it reflected): the lag lies in `lower...upper` seconds (outcome `censored`).
    case censored(ServicePortKey, ChangeKind, lower: Double, upper: Double, node: NodeAddress)
    /// One APISIX target reflects the change, observed exactly: that target's lag in seconds.
    case instanceSynced(target: String, ServicePortKey, ChangeKind, lag: Double, node: NodeAddress)
    /// Kubernetes reverted the change before every target reflected it (outcome `superseded`); `atLeast` is what the
    /// lag is known to have exceeded (a right-censored sample), nil when the start is unknown.
    case superseded(ServicePortKey, ChangeKind, atLeast: Double?, node: NodeAddress)
    /// What the lag of a change that ended `superseded` turned out to be (no outcome of its own): exact or an interval
    /// when a target applied the reverted change late (a stale write), else the lower bound, once the revert is
    /// forgotten.
    case supersededLag(ServicePortKey, ChangeKind, LagSample, node: NodeAddress)
    /// Not reflected within the change timeout (outcome `timeout`).
    case timedOut(ServicePortKey, ChangeKind, node: NodeAddress)
    /// The start of the change, or which change a target applied, is unknown (outcome `unobserved`).
    case unobserved(ServicePortKey, ChangeKind, UnobservedCause, node: NodeAddress)

    /// The node the event is about.
    public var node: NodeAddress {
        switch self {
        case .synced(_, _, _, let node), .censored(_, _, _, _, let node), .instanceSynced(_, _, _, _, let node),
            .superseded(_, _, _, let node), .supersededLag(_, _, _, let node), .timedOut(_, _, let node),
            .unobserved(_, _, _, let node):
            node
        }
    }
}
