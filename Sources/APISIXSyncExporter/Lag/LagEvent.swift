/// What the lag engine reports when a change ends or a target reflects it.
public enum LagEvent: Equatable, Sendable {
    /// Every APISIX target reflects the change: the Service-level lag in seconds (outcome `synced`).
    case synced(ServicePortKey, ChangeKind, lag: Double, node: NodeAddress)
    /// One APISIX target reflects the change: that target's lag in seconds.
    case instanceSynced(target: String, ServicePortKey, ChangeKind, lag: Double, node: NodeAddress)
    /// The change ended without a sample.
    case ended(ServicePortKey, ChangeKind, ChangeOutcome, node: NodeAddress)
}
