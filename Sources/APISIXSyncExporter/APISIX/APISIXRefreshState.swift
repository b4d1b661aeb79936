/// What one target's poller remembers between full refreshes: the detected Admin API mode and the objects of the
/// last refresh, which the next one reuses when their `modifiedIndex` did not change.
public struct APISIXRefreshState: Sendable {
    /// nil until detected; detected again after a refresh answered 404 (the target changed mode or URL).
    public var mode: APISIXAdminMode?
    var upstreams: [String: APISIXUpstream] = [:]
    var routes: [String: APISIXRoute] = [:]
    var services: [String: APISIXService] = [:]
    var standalone: APISIXStandaloneConfig?
    /// `X-Digest` (else `X-Last-Modified`) of the standalone config last read.
    var configVersion: String?
    /// Upstreams in use with `discovery_type: kubernetes`, by id: their nodes come from the discovery dump.
    var kubernetesDiscovery: [String: APISIXUpstream] = [:]
    /// The Control API lists (`/v1/routes`, `/v1/services`) the last refresh found missing (404), read as empty:
    /// inline upstreams of routes or services are then not measured. Empty when the target has both.
    public internal(set) var missingControlLists: [String] = []

    public init() {}

    /// Keeps one etcd-shaped read (Admin API lists or Control API arrays) for the next refresh to reuse, and returns
    /// the upstream objects in use: an `upstream_id` beats an inline upstream, a route's beats its service's.
    mutating func remember(
        upstreams: [APISIXUpstream],
        routes: [APISIXRoute],
        services: [APISIXService]
    ) -> [APISIXUpstream] {
        self.upstreams = Dictionary(upstreams.map { ($0.id, $0) }, uniquingKeysWith: { $1 })
        self.routes = Dictionary(routes.map { ($0.id, $0) }, uniquingKeysWith: { $1 })
        self.services = Dictionary(services.map { ($0.id, $0) }, uniquingKeysWith: { $1 })
        if routes.isEmpty && services.isEmpty { return upstreams }
        return APISIXRoutingResolver.resolve(upstreams: upstreams, routes: routes, services: services)
            .inUse.map(\.upstream)
    }
}
