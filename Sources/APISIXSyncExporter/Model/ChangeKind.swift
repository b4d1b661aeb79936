/// Whether a node left or joined a Service port's desired node set.
public enum ChangeKind: String, Sendable, CaseIterable, Codable {
    case remove
    case add
}

/// How a tracked change ended; only `synced` records a lag sample.
public enum ChangeOutcome: String, Sendable, CaseIterable, Codable {
    /// APISIX reflected the change; the lag was recorded.
    case synced
    /// Kubernetes reverted the change before APISIX reflected it.
    case superseded
    /// APISIX did not reflect the change within `--change-timeout`.
    case timeout
    /// The start or the end of the change could not be observed exactly (an APISIX request failed in between, or the
    /// divergence already existed at start-up, after a relist or when the mapping changed).
    case unobserved
}
