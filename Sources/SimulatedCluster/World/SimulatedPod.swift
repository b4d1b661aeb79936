/// A pod of a simulated Deployment, as the EndpointSlice controller sees it.
struct SimulatedPod: Sendable {
    /// `<deployment>-<pod-template-hash>-<suffix>`.
    let name: String
    /// `metadata.uid`, the endpoint's `targetRef.uid`.
    var uid = ""
    /// The pod IP, unique over the run.
    let address: String
    /// The pod-template hash of the Deployment revision the pod belongs to.
    let revision: String
    /// The node the pod runs on.
    let nodeName: String
    /// The creation order within the world, to pick the newest pod.
    let creationIndex: Int
    /// Whether the container has started and passed its first readiness probe.
    var started = false
    /// Whether the readiness probe currently fails (a flapping pod: not ready, not terminating).
    var probeFailed = false
    /// Whether the pod is shutting down (deleted: no longer counted by its ReplicaSet).
    var terminating = false
    /// Whether its endpoint shows it terminating. Without pods it does from the start of the termination; with
    /// pods only once the endpoint controller has caught up with the deletion.
    var endpointTerminating = false
    /// The deletion, once the pod was deleted (with pods).
    var deletion: PodDeletionTruth?
    /// `metadata.deletionTimestamp`, once the pod was deleted (with pods).
    var deletionTimestamp: String?

    /// Whether the pod counts as ready: `conditions.ready` in its endpoint.
    var ready: Bool {
        self.started && !self.probeFailed && !self.endpointTerminating
    }

    /// The endpoint the EndpointSlice controller writes for the pod: a terminating pod keeps `serving` while it
    /// still passes its readiness probe.
    var endpoint: FakeEndpoint {
        FakeEndpoint(
            addresses: [self.address],
            ready: self.ready,
            serving: self.endpointTerminating ? self.started && !self.probeFailed : self.ready,
            terminating: self.endpointTerminating,
            podName: self.name,
            nodeName: self.nodeName,
            podUID: self.uid.isEmpty ? nil : self.uid
        )
    }
}
