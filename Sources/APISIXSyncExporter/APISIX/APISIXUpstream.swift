/// An APISIX upstream as the exporter sees it: its id, name and node set.
public struct APISIXUpstream: Sendable, Equatable {
    /// Service discovery settings of an upstream without static nodes.
    public struct Discovery: Sendable, Equatable {
        public var type: String
        public var serviceName: String
    }

    /// The id, as a string even when APISIX stored an integer.
    public var id: String
    public var name: String?
    /// The static nodes; nil for a discovery upstream.
    public var nodes: Set<NodeAddress>?
    public var discovery: Discovery?

    public init(id: String, name: String? = nil, nodes: Set<NodeAddress>?, discovery: Discovery? = nil) {
        self.id = id
        self.name = name
        self.nodes = nodes
        self.discovery = discovery
    }
}
