/// When a pod's deletion began, as far as the exporter knows it.
public struct PodDeletion: Sendable, Equatable {
    /// Exporter clock: when the pod update that first carried `deletionTimestamp` was received live; nil when that
    /// update was not seen live (start-up, a watch gap).
    public var seen: Timestamp?
    /// Apiserver clock: `deletionTimestamp - deletionGracePeriodSeconds`, the delete request time truncated to whole
    /// seconds; nil when the object carried no deletion timestamp.
    public var requested: Double?

    public init(seen: Timestamp?, requested: Double?) {
        self.seen = seen
        self.requested = requested
    }
}
