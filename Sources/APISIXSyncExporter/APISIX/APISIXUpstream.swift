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
    /// The etcd revision of the upstream's last write, when APISIX reported it: equal revisions, equal contents.
    public var modifiedIndex: Int?

    public init(
        id: String,
        name: String? = nil,
        nodes: Set<NodeAddress>?,
        discovery: Discovery? = nil,
        modifiedIndex: Int? = nil
    ) {
        self.id = id
        self.name = name
        self.nodes = nodes
        self.discovery = discovery
        self.modifiedIndex = modifiedIndex
    }

    /// Same id, name, nodes and discovery; the revision is not compared.
    public func sameContents(as other: APISIXUpstream) -> Bool {
        id == other.id && name == other.name && nodes == other.nodes && discovery == other.discovery
    }
}
