/// The pod deletion behind a removal: which pod, and when it was deleted (when the pod update carrying
/// `metadata.deletionTimestamp` was written to the Kubernetes API).
public struct PodDeletionTruth: Sendable, Hashable {
    /// The pod's name.
    public let pod: String
    /// The pod's `metadata.uid` (the endpoint's `targetRef.uid`).
    public let uid: String
    /// When the pod was deleted, wall clock, seconds since 1970 (comparable with ``TruthRecord/kubernetesTime``).
    public let time: Double
    /// When the pod was deleted, in simulated seconds since the world started (as in ``WorldAction/time``).
    public let worldTime: Double

    /// Creates a deletion record.
    public init(pod: String, uid: String, time: Double, worldTime: Double) {
        self.pod = pod
        self.uid = uid
        self.time = time
        self.worldTime = worldTime
    }
}
