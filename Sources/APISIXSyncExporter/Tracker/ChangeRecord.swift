/// A change that ended, as reported to an observer (the accuracy benchmark compares these with the truth).
public struct ChangeRecord: Sendable, Equatable {
    public var key: ServicePortKey
    public var node: NodeAddress
    public var kind: ChangeKind
    public var outcome: ChangeOutcome
    /// The recorded Service-level lag in seconds; nil unless `outcome` is `synced`.
    public var lag: Double?
    /// When the change ended.
    public var time: Timestamp
}
