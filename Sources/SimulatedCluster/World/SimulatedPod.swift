/// A pod of a simulated Deployment, as the EndpointSlice controller sees it.
struct SimulatedPod: Sendable {
    /// `<deployment>-<pod-template-hash>-<suffix>`.
    let name: String
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
    /// Whether the pod is shutting down.
    var terminating = false

    /// Whether the pod counts as ready: `conditions.ready` in its endpoint.
    var ready: Bool {
        self.started && !self.probeFailed && !self.terminating
    }

    /// The endpoint the EndpointSlice controller writes for the pod: a terminating pod keeps `serving` while it
    /// still passes its readiness probe.
    var endpoint: FakeEndpoint {
        FakeEndpoint(
            addresses: [self.address],
            ready: self.ready,
            serving: self.terminating ? self.started && !self.probeFailed : self.ready,
            terminating: self.terminating,
            podName: self.name,
            nodeName: self.nodeName
        )
    }
}
