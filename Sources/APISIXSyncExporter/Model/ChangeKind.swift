/// Whether a node left or joined a Service port's desired node set.
public enum ChangeKind: String, Sendable, CaseIterable, Codable {
    case remove
    case add
}

/// How a tracked change ended: `synced` records an exact lag sample, `censored` a lag known within bounds, and
/// `superseded` a lower bound (see `docs/measurement.md`).
public enum ChangeOutcome: String, Sendable, CaseIterable, Codable {
    /// APISIX reflected the change; the lag was recorded.
    case synced
    /// APISIX reflected the change, but a failed request or stalled polling left its end known only within bounds.
    case censored
    /// Kubernetes reverted the change before APISIX reflected it (the lag is at least the time until the revert).
    case superseded
    /// APISIX did not reflect the change within `--change-timeout`.
    case timeout
    /// The start of the change, or which change APISIX applied, is unknown (see ``UnobservedCause``).
    case unobserved
}
