/// What ``EndpointSliceIndex`` keeps of one EndpointSlice: its Service, its ports and, per endpoint, the first address
/// and whether it is ready or terminating; the pod behind each endpoint only when pods are timed.
///
/// 10,000 Services' slices kept as decoded (one array of addresses per endpoint, conditions and target references
/// inline) were about 14 MB of heap in 120,000 allocations; this keeps three arrays per slice.
struct IndexedSlice: Sendable {
    struct Endpoint: Sendable {
        /// The first address: the one kube-proxy and APISIX route to.
        var address: String?
        /// `conditions.ready`, absent counting as ready.
        var ready: Bool
        /// `conditions.terminating`, absent counting as not terminating.
        var terminating: Bool
    }

    let service: ServiceKey
    /// The slice's ports without their protocol.
    let ports: [EndpointSlice.Port]
    let endpoints: [Endpoint]
    /// The pod behind each endpoint, in the order of ``endpoints``; empty when pods are not timed.
    let pods: [PodReference?]

    init(_ slice: EndpointSlice, service: ServiceKey, keepingPods: Bool) {
        self.service = service
        ports = slice.ports.map { EndpointSlice.Port(name: $0.name, port: $0.port, protocol: nil) }
        endpoints = slice.endpoints.map { endpoint in
            Endpoint(
                address: endpoint.addresses.first,
                ready: endpoint.conditions?.ready ?? true,
                terminating: endpoint.conditions?.terminating ?? false
            )
        }
        pods = keepingPods ? slice.endpoints.map { $0.targetRef.flatMap(PodReference.init) } : []
    }

    /// The pod behind the endpoint at `offset`, when pods are kept and the endpoint names one.
    func pod(at offset: Int) -> PodReference? {
        pods.indices.contains(offset) ? pods[offset] : nil
    }
}
