/// The Control API paths the fake serves.
enum ControlAPIRoute: Equatable {
    /// `/v1/upstreams`.
    case upstreams
    /// `/v1/upstream/{id}`.
    case upstream(id: String)
    /// `/v1/services`.
    case services
    /// `/v1/service/{id}`.
    case service(id: String)
    /// `/v1/routes`.
    case routes
    /// `/v1/route/{id}`.
    case route(id: String)
    /// `/v1/discovery/kubernetes/dump`.
    case kubernetesDiscoveryDump
    /// Anything else.
    case notFound

    init(path: String) {
        let segments = path.split(separator: "/").map(String.init)
        guard segments.first == "v1" else {
            self = .notFound
            return
        }
        let rest = Array(segments.dropFirst())
        switch rest.count {
        case 1 where rest[0] == "upstreams": self = .upstreams
        case 1 where rest[0] == "services": self = .services
        case 1 where rest[0] == "routes": self = .routes
        case 2 where rest[0] == "upstream": self = .upstream(id: rest[1])
        case 2 where rest[0] == "service": self = .service(id: rest[1])
        case 2 where rest[0] == "route": self = .route(id: rest[1])
        case 3 where rest == ["discovery", "kubernetes", "dump"]: self = .kubernetesDiscoveryDump
        default: self = .notFound
        }
    }
}
