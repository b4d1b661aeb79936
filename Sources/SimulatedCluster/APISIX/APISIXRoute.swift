/// The Admin API paths the fake serves.
enum APISIXRoute: Equatable {
    /// `/apisix/admin/upstreams`.
    case upstreamList
    /// `/apisix/admin/upstreams/{id}`.
    case upstream(id: String)
    /// The collection of another known resource type, e.g. `/apisix/admin/routes`; the fake has none of them.
    case otherList(resource: String)
    /// One object of another known resource type; the fake has none of them.
    case otherObject(resource: String)
    /// `/apisix/admin/{resource}` for a resource type APISIX does not have.
    case unsupported(resource: String)
    /// A path outside `/apisix/admin`.
    case notFound

    /// The resource types APISIX 3.x serves besides upstreams.
    static let otherResources: Set<String> = [
        "routes", "services", "consumers", "consumer_groups", "ssls", "global_rules", "plugin_configs",
        "plugin_metadata", "stream_routes", "protos", "secrets",
    ]

    init(path: String) {
        let segments = path.split(separator: "/").map(String.init)
        guard segments.count >= 3, segments[0] == "apisix", segments[1] == "admin" else {
            self = .notFound
            return
        }
        let resource = segments[2]
        let id = segments.dropFirst(3).joined(separator: "/")
        switch (resource, id.isEmpty) {
        case ("upstreams", true): self = .upstreamList
        case ("upstreams", false): self = .upstream(id: id)
        case (_, true) where Self.otherResources.contains(resource): self = .otherList(resource: resource)
        case (_, false) where Self.otherResources.contains(resource): self = .otherObject(resource: resource)
        default: self = .unsupported(resource: resource)
        }
    }

    /// The fault scope requests on this route belong to, or `nil` when faults do not apply.
    var faultScope: FakeAPISIXAdmin.FaultScope? {
        switch self {
        case .upstreamList: return .list
        case .upstream: return .single
        case .otherList, .otherObject, .unsupported, .notFound: return nil
        }
    }
}
