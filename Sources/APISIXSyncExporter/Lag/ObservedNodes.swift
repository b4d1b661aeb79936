/// What one APISIX target routes to for one Service port, over all upstreams mapped to that port.
public struct ObservedNodes: Equatable, Sendable {
    /// Nodes at least one mapped upstream routes to: a removal is reflected once its node is gone from here.
    public var union: Set<NodeAddress>
    /// Nodes every mapped upstream routes to: an addition is reflected once its node is here.
    public var intersection: Set<NodeAddress>

    public init(union: Set<NodeAddress>, intersection: Set<NodeAddress>) {
        self.union = union
        self.intersection = intersection
    }

    /// The view of a single upstream.
    public init(_ nodes: Set<NodeAddress>) {
        self.init(union: nodes, intersection: nodes)
    }

    /// Combines the node sets of several upstreams mapped to one Service port.
    public init(combining sets: [Set<NodeAddress>]) {
        if sets.count == 1, let only = sets.first {
            self.init(only)  // one upstream (the usual case): both views share its storage
            return
        }
        let union = sets.reduce(into: Set<NodeAddress>()) { $0.formUnion($1) }
        let intersection = sets.dropFirst().reduce(sets.first ?? []) { $0.intersection($1) }
        self.init(union: union, intersection: intersection)
    }

    func reflects(_ kind: ChangeKind, of node: NodeAddress) -> Bool {
        switch kind {
        case .remove: !union.contains(node)
        case .add: intersection.contains(node)
        }
    }
}
