/// A node that joined or left a Service port's desired set and that not every APISIX target reflects yet.
public struct PendingChange: Equatable, Sendable {
    /// How far one APISIX target is with this change.
    public struct Progress: Equatable, Sendable {
        /// When the target was first seen reflecting the change.
        public var reflectedAt: Timestamp?
        /// Set when the end is known only within an interval: the last look that showed the change unreflected
        /// (the reflection happened after it, at or before `reflectedAt`).
        public var reflectedAfter: Timestamp?
        /// Why this target's part has no known start (it joined mid-change, or already routed the new way).
        public var unobserved: UnobservedCause?
        /// False when the target never had to act (the change reverted an earlier one it had not applied).
        public var recordsInstanceLag: Bool
        /// A request to the target failed (or it was failing at the start) and no good look has shown the change
        /// unreflected since: a reflection seen next is censored.
        public var interrupted: Bool = false
        /// The last look before `reflectedAt` (or the change's start): the target changed after it.
        public var lastLookBefore: Timestamp?

        public init(
            reflectedAt: Timestamp? = nil,
            reflectedAfter: Timestamp? = nil,
            unobserved: UnobservedCause? = nil,
            recordsInstanceLag: Bool = true,
            interrupted: Bool = false
        ) {
            self.reflectedAt = reflectedAt
            self.reflectedAfter = reflectedAfter
            self.unobserved = unobserved
            self.recordsInstanceLag = recordsInstanceLag
            self.interrupted = interrupted
        }
    }

    public var node: NodeAddress
    public var kind: ChangeKind
    /// When the exporter received the Kubernetes event (or noticed the divergence).
    public var since: Timestamp
    /// Why the start is unknown (a divergence found at start-up or by a relist, a replayed event, ...); nil when known.
    public var unknownStart: UnobservedCause?
    /// With an unknown start from a watch gap: the gap began here, so the change happened between this and `since`.
    public var earliestStart: Timestamp?
    /// The start is known but the node's writes are out of order (a revert nobody applied, or a node that keeps
    /// flapping, may still have stale writes queued): the first reflection may be such a write, so the lag is only
    /// known to exceed the last look before it (right-censored).
    public var ambiguousEnd = false
    public var targets: [String: Progress]

    /// Whether the start was observed.
    public var startKnown: Bool { unknownStart == nil }

    var isComplete: Bool { targets.values.allSatisfy { $0.reflectedAt != nil } }
}
