/// The Kubernetes part of a removal whose pod's deletion moment is known: from the pod's deletion to the exporter
/// receiving the EndpointSlice change. Added to the APISIX lag it gives the end-to-end lag, the time a terminating
/// pod stays routable.
public struct RemovalStage: Sendable, Equatable {
    /// Where the deletion moment comes from.
    public enum Provenance: String, Sendable, Codable {
        /// The pod update that first carried `deletionTimestamp`, received live (exporter clock, milliseconds).
        case watch
        /// `deletionTimestamp - deletionGracePeriodSeconds` (apiserver clock, whole seconds): the update was not
        /// seen live, or arrived after the EndpointSlice change.
        case metadata
    }

    /// Seconds from the pod's deletion to the EndpointSlice change.
    public var kubernetes: Double
    public var provenance: Provenance
    /// The workload of the pod.
    public var workload: WorkloadKey
    /// The preStop of the container serving the removed port.
    public var preStop: PreStopAction
    /// When the EndpointSlice change was received.
    public var since: Timestamp

    public init(
        kubernetes: Double,
        provenance: Provenance,
        workload: WorkloadKey,
        preStop: PreStopAction,
        since: Timestamp
    ) {
        self.kubernetes = kubernetes
        self.provenance = provenance
        self.workload = workload
        self.preStop = preStop
        self.since = since
    }
}

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

/// A removal of one node from one Service port.
struct RemovalKey: Hashable, Sendable {
    let port: ServicePortKey
    let node: NodeAddress
}
