import Foundation

/// One upstream object that APISIX routes with (or may, for upstream objects): an upstream from `/upstreams`, or an
/// inline upstream of a route or service that wins for some route.
public struct APISIXUpstreamInUse: Sendable, Equatable {
    /// Where the upstream is defined.
    public enum Origin: Hashable, Sendable, CustomStringConvertible {
        /// An upstream object (`/apisix/admin/upstreams/<id>`).
        case upstream(id: String)
        /// The inline `upstream` of a route.
        case route(id: String)
        /// The inline `upstream` of a service.
        case service(id: String)

        /// `upstream/<id>`, `route/<id>` or `service/<id>`.
        public var description: String {
            switch self {
            case .upstream(let id): "upstream/\(id)"
            case .route(let id): "route/\(id)"
            case .service(let id): "service/\(id)"
            }
        }

        /// The Admin API path that returns this upstream alone, for fast polling.
        public var adminPath: String {
            switch self {
            case .upstream(let id): "/apisix/admin/upstreams/\(Self.escape(id))"
            case .route(let id): "/apisix/admin/routes/\(Self.escape(id))"
            case .service(let id): "/apisix/admin/services/\(Self.escape(id))"
            }
        }

        private static func escape(_ id: String) -> String {
            id.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed.subtracting(["/"])) ?? id
        }
    }

    /// Where it is defined; also its identity.
    public var origin: Origin
    /// The upstream's name; for an inline upstream the route's or service's name (else the inline object's own).
    public var name: String?
    /// The static nodes; nil for a discovery upstream.
    public var nodes: Set<NodeAddress>?
    public var discovery: APISIXUpstream.Discovery?
    /// The revision of the object that holds the upstream (the route or service for an inline one).
    public var modifiedIndex: Int?
    /// A short explanation of why it is in use, for `/api/v1/state`.
    public var reason: String

    public init(
        origin: Origin,
        name: String?,
        nodes: Set<NodeAddress>?,
        discovery: APISIXUpstream.Discovery? = nil,
        modifiedIndex: Int?,
        reason: String
    ) {
        self.origin = origin
        self.name = name
        self.nodes = nodes
        self.discovery = discovery
        self.modifiedIndex = modifiedIndex
        self.reason = reason
    }

    /// A stable identity across polls: `upstream/<id>`, `route/<id>` or `service/<id>`.
    public var identity: String { origin.description }

    /// The Admin API path to fetch it alone (`/apisix/admin/upstreams/<id>`, `…/routes/<id>`, `…/services/<id>`).
    public var adminPath: String { origin.adminPath }

    /// As an ``APISIXUpstream`` for the mapper and tracker. Upstream objects keep their plain id (existing series and
    /// state keep their names); inline ones take the identity (`route/<id>`), which cannot collide because APISIX ids
    /// match `^[a-zA-Z0-9-_.]+$`.
    public var upstream: APISIXUpstream {
        let id: String
        switch origin {
        case .upstream(let plain): id = plain
        case .route, .service: id = identity
        }
        return APISIXUpstream(id: id, name: name, nodes: nodes, discovery: discovery, modifiedIndex: modifiedIndex)
    }
}
