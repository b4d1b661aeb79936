/// A node that joined or left a Service port's desired set and that not every APISIX target reflects yet.
public struct PendingChange: Equatable, Sendable {
    /// How far one APISIX target is with this change.
    public struct Progress: Equatable, Sendable {
        /// When the target was first seen reflecting the change.
        public var reflectedAt: Timestamp?
        /// A request to the target failed while the change was pending, or the target joined mid-change.
        public var unobserved: Bool
        /// False when the target never had to act (the change reverted an earlier one it had not applied).
        public var recordsInstanceLag: Bool
    }

    public var node: NodeAddress
    public var kind: ChangeKind
    /// When the exporter received the Kubernetes event (or noticed the divergence).
    public var since: Timestamp
    /// False when the divergence already existed at start-up, after a relist or a mapping change.
    public var startKnown: Bool
    public var targets: [String: Progress]

    var isComplete: Bool { targets.values.allSatisfy { $0.reflectedAt != nil } }
}
