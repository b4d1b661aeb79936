/// One in-process write to a ``FakeAPISIXAdmin``: what a controller (or ADC) changes in one go. In etcd mode each
/// object is its own etcd write (its own revision); in API-driven standalone mode the batch is one full-config
/// push.
struct APISIXWriteBatch: Sendable {
    /// Upstreams to create or replace.
    var upstreams: [FakeUpstream] = []
    /// Services to create or replace.
    var services: [FakeService] = []
    /// Routes to create or replace.
    var routes: [FakeRoute] = []
    /// Upstreams to delete.
    var deletedUpstreams: [FakeUpstream.ID] = []
    /// Services to delete.
    var deletedServices: [FakeUpstream.ID] = []
    /// Routes to delete.
    var deletedRoutes: [FakeUpstream.ID] = []
    /// Kubernetes discovery endpoints to set, by `namespace/name`: port name to nodes; `nil` removes the Service.
    var discovery: [(service: String, ports: [String: [FakeUpstream.Node]]?)] = []

    /// Appends `other`'s changes.
    mutating func append(_ other: APISIXWriteBatch) {
        self.upstreams += other.upstreams
        self.services += other.services
        self.routes += other.routes
        self.deletedUpstreams += other.deletedUpstreams
        self.deletedServices += other.deletedServices
        self.deletedRoutes += other.deletedRoutes
        self.discovery += other.discovery
    }
}
