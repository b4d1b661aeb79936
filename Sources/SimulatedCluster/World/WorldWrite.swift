/// One write the simulated world makes to the Kubernetes API, in order: an EndpointSlice write (which the
/// ingress controller is told about) or a pod or ReplicaSet write.
enum WorldWrite: Sendable {
    /// An EndpointSlice write.
    case slice(WorldState.SliceWrite)
    /// A pod created or updated.
    case pod(FakePod)
    /// A pod gone for good (`DELETED`).
    case podRemoved(namespace: String, name: String)
    /// A ReplicaSet created or updated.
    case replicaSet(FakeReplicaSet)
    /// A ReplicaSet deleted (beyond the revision history).
    case replicaSetRemoved(namespace: String, name: String)
}
