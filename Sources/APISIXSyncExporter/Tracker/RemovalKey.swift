/// A removal of one node from one Service port.
struct RemovalKey: Hashable, Sendable {
    let port: ServicePortKey
    let node: NodeAddress
}
