/// Why a removal is timed from the EndpointSlice change only (`apisix_sync_removal_stage_skipped_total`).
public enum RemovalStageSkip: String, Sendable, CaseIterable {
    /// The endpoint names no pod.
    case noTargetRef = "no_target_ref"
    /// The pod is not known (deleted before it was seen, or outside the watched scope).
    case podUnknown = "pod_unknown"
    /// The pod is not deleting: the endpoint went unready for another reason (a failing readiness probe).
    case notTerminating = "not_terminating"
    /// The deletion came after the EndpointSlice change on every clock (clock skew).
    case negativeStage = "negative_stage"
    /// The deletion lies further back than the change timeout.
    case implausibleStage = "implausible_stage"
}
