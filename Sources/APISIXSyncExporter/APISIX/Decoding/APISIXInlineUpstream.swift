/// An upstream written inline in a route or service (`value.upstream`), which has no id of its own.
public struct APISIXInlineUpstream: Sendable, Equatable {
    /// The inline object's own `name`, rarely set (apisix-ingress-controller 2.x clears it).
    public var name: String?
    /// The static nodes; nil for a discovery upstream.
    public var nodes: Set<NodeAddress>?
    public var discovery: APISIXUpstream.Discovery?

    public init(name: String? = nil, nodes: Set<NodeAddress>?, discovery: APISIXUpstream.Discovery? = nil) {
        self.name = name
        self.nodes = nodes
        self.discovery = discovery
    }
}
