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
