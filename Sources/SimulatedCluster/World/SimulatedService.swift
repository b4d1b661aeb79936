/// A Service of the simulated world together with its Deployment, its pods and its EndpointSlices.
struct SimulatedService: Sendable {
    /// One EndpointSlice: its name and its pods in endpoint order.
    struct Slice: Sendable {
        let name: String
        var pods: [String]
    }

    /// The index in the world (0-based); it also selects the pod IP block `10.<index + 1>.x.y`.
    let index: Int
    /// The Service and Deployment name.
    let name: String
    /// The Deployment's desired replica count.
    var replicas: Int
    /// The pod-template hash of the Deployment's current revision.
    var revision: String
    /// The pods by name.
    var pods: [String: SimulatedPod] = [:]
    /// The slices in creation order.
    var slices: [Slice] = []
    /// The slices as last written to the Kubernetes API, by name.
    var written: [String: FakeEndpointSlice] = [:]
    /// The slices whose content changed since they were last written.
    var dirtySlices: Set<String> = []
    /// The ready set after the last write, to count ready-set changes.
    var lastReadyNodes: Set<String> = []
    /// The number of pod IPs handed out so far.
    var addressesAllocated = 0
    /// How the Deployment's pods shut down.
    var workload = SimulatedWorkload()
    /// The pod template's containers (shared by every pod object written).
    var containers: [FakeContainer] = []
    /// The pod-template hashes of the Deployment's ReplicaSets, oldest first (with pods).
    var replicaSetRevisions: [String] = []
    /// The replica and ready counts of each ReplicaSet as last written, by pod-template hash.
    var replicaSetCounts: [String: [Int]] = [:]

    /// The name of the ReplicaSet of `revision`: `<deployment>-<pod-template-hash>`.
    func replicaSetName(_ revision: String) -> String {
        "\(self.name)-\(revision)"
    }

    /// The pods that are not terminating, oldest first.
    var livePods: [SimulatedPod] {
        self.pods.values.filter { !$0.terminating }.sorted { $0.creationIndex < $1.creationIndex }
    }

    /// Marks every slice that lists `pod` as changed.
    mutating func markSlicesDirty(containing pod: String) {
        for slice in self.slices where slice.pods.contains(pod) {
            self.dirtySlices.insert(slice.name)
        }
    }

    /// The ready endpoints of port `portName` over all written slices, as `ip:port`, merged the way kube-proxy
    /// does (an endpoint listed in two slices counts once).
    func readyNodes(portName: String) -> Set<String> {
        var nodes: Set<String> = []
        for slice in self.written.values {
            guard let port = slice.ports?.first(where: { $0.name == portName })?.port else { continue }
            for endpoint in slice.endpoints ?? [] where endpoint.ready != false {
                if let address = endpoint.addresses.first {
                    nodes.insert("\(address):\(port)")
                }
            }
        }
        return nodes
    }
}
