/// The Admin API paths the fake serves.
enum APISIXRoute: Equatable {
    /// A resource type the fake stores.
    enum Resource: String, Sendable, CaseIterable {
        case upstreams
        case services
        case routes
    }

    /// `/apisix/admin` itself (`HEAD` in standalone mode).
    case adminRoot
    /// `/apisix/admin/{upstreams|services|routes}`.
    case list(Resource)
    /// `/apisix/admin/{upstreams|services|routes}/{id}`.
    case object(Resource, id: String)
    /// `/apisix/admin/configs` (API-driven standalone mode).
    case configs
    /// The collection of another known resource type, e.g. `/apisix/admin/consumers`; the fake has none of them.
    case otherList(resource: String)
    /// One object of another known resource type; the fake has none of them.
    case otherObject(resource: String)
    /// `/apisix/admin/{resource}` for a resource type APISIX does not have.
    case unsupported(resource: String)
    /// A path outside `/apisix/admin`.
    case notFound

    /// The resource types APISIX 3.x serves besides the stored ones.
    static let otherResources: Set<String> = [
        "consumers", "consumer_groups", "ssls", "global_rules", "plugin_configs", "plugin_metadata",
        "stream_routes", "protos", "secrets",
    ]

    init(path: String) {
        let segments = path.split(separator: "/").map(String.init)
        guard segments.count >= 2, segments[0] == "apisix", segments[1] == "admin" else {
            self = .notFound
            return
        }
        guard segments.count >= 3 else {
            self = .adminRoot
            return
        }
        let resource = segments[2]
        let id = segments.dropFirst(3).joined(separator: "/")
        if let stored = Resource(rawValue: resource) {
            self = id.isEmpty ? .list(stored) : .object(stored, id: id)
            return
        }
        switch (resource, id.isEmpty) {
        case ("configs", true): self = .configs
        case (_, true) where Self.otherResources.contains(resource): self = .otherList(resource: resource)
        case (_, false) where Self.otherResources.contains(resource): self = .otherObject(resource: resource)
        default: self = .unsupported(resource: resource)
        }
    }

    /// The fault scope requests on this route belong to, or `nil` when faults do not apply.
    var faultScope: FakeAPISIXAdmin.FaultScope? {
        switch self {
        case .list, .configs: return .list
        case .object: return .single
        case .adminRoot, .otherList, .otherObject, .unsupported, .notFound: return nil
        }
    }
}
