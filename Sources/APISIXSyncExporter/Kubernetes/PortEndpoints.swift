/// The endpoints of one Service port after merging all of the Service's slices.
public struct PortEndpoints: Equatable, Sendable {
    /// Ready endpoints (`ready` nil counts as true): the node set APISIX should route to.
    public var ready: Set<NodeAddress>
    /// Every endpoint in the slices, ready or not; used to match APISIX upstreams by overlap.
    public var all: Set<NodeAddress>

    public init(ready: Set<NodeAddress> = [], all: Set<NodeAddress> = []) {
        self.ready = ready
        self.all = all
    }
}

/// A Service port whose desired node set changed.
public struct DesiredSetChange: Equatable, Sendable {
    public var key: ServicePortKey
    /// The ready set before the change; nil when the port was not known yet.
    public var old: Set<NodeAddress>?
    /// The ready set after the change; nil when the Service was deleted.
    public var new: Set<NodeAddress>?
}
