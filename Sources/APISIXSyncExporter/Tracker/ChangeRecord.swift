/// A change that ended, as reported to an observer (the accuracy benchmark and tests compare these with the truth).
public struct ChangeRecord: Sendable, Equatable {
    public var key: ServicePortKey
    public var node: NodeAddress
    public var kind: ChangeKind
    public var outcome: ChangeOutcome
    /// The recorded exact Service-level APISIX lag in seconds (from the EndpointSlice change); nil unless `outcome`
    /// is `synced`.
    public var lag: Double?
    /// What is known of the lag when it is not exact: `lower...upper` for `censored`, `lower...infinity` for a
    /// `superseded` change with a known start.
    public var bounds: ClosedRange<Double>?
    /// Why the change is `unobserved`.
    public var cause: UnobservedCause?
    /// When the change ended.
    public var time: Timestamp
    /// For a removal timed from its pod's deletion: the Kubernetes stage (`lag` and `bounds` stay the APISIX lag;
    /// the end-to-end lag adds `stage.kubernetes`).
    public var stage: RemovalStage?

    public init(
        key: ServicePortKey,
        node: NodeAddress,
        kind: ChangeKind,
        outcome: ChangeOutcome,
        lag: Double?,
        bounds: ClosedRange<Double>? = nil,
        cause: UnobservedCause? = nil,
        time: Timestamp
    ) {
        self.key = key
        self.node = node
        self.kind = kind
        self.outcome = outcome
        self.lag = lag
        self.bounds = bounds
        self.cause = cause
        self.time = time
    }
}
