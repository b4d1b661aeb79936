/// The endpoints APISIX's Kubernetes discovery holds on one pod (`GET /v1/discovery/kubernetes/dump` on the Control
/// API), which is what its workers route discovery upstreams with.
///
/// Deliberately without the dump's `config`: it echoes the discovery configuration, including any inline token.
public struct APISIXKubernetesDiscoveryDump: Sendable, Equatable {
    /// The endpoints of one watched cluster.
    public struct Cluster: Sendable, Equatable {
        /// The cluster id in multi-cluster mode; nil in single-cluster mode.
        public var id: String?
        /// Nodes per Service, then per port name (the endpoint port number as text for an unnamed port).
        public var services: [ServiceKey: [String: Set<NodeAddress>]]

        public init(id: String? = nil, services: [ServiceKey: [String: Set<NodeAddress>]] = [:]) {
            self.id = id
            self.services = services
        }
    }

    /// One entry per watched cluster (a single one without id in single-cluster mode).
    public var clusters: [Cluster]

    public init(clusters: [Cluster] = []) {
        self.clusters = clusters
    }

    /// The nodes APISIX resolves for a `service_name`: nil when the Service is not in the dump (or the cluster is
    /// unknown), `[]` when the Service is there without that port (no ready endpoints). A single-cluster name only
    /// matches a dump without cluster ids, a multi-cluster name only its cluster, as in APISIX.
    public func nodes(for name: APISIXKubernetesServiceName) -> Set<NodeAddress>? {
        guard let cluster = clusters.first(where: { $0.id == name.clusterID }),
            let ports = cluster.services[name.service]
        else { return nil }
        return ports[name.portName] ?? []
    }
}
