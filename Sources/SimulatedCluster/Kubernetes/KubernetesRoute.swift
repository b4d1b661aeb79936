/// The API paths the fake Kubernetes API serves.
enum KubernetesRoute: Equatable {
    /// `/version`: the server's version (readable without credentials, like `system:public-info-viewer`).
    case version
    /// `/api`: the versions of the core group (`APIVersions`).
    case coreVersions
    /// `/api/v1`: the core resources (`APIResourceList`; the fake serves none).
    case coreResources
    /// `/apis`: the API groups (`APIGroupList`).
    case groups
    /// `/apis/discovery.k8s.io`: the `discovery.k8s.io` group (`APIGroup`).
    case discoveryGroup
    /// `/apis/discovery.k8s.io/v1`: the resources of `discovery.k8s.io/v1` (`APIResourceList`).
    case discoveryResources
    /// `/apis/discovery.k8s.io/v1/endpointslices` (`namespace == nil`) or
    /// `/apis/discovery.k8s.io/v1/namespaces/{namespace}/endpointslices`: list or watch.
    case collection(namespace: String?)
    /// `/apis/discovery.k8s.io/v1/namespaces/{namespace}/endpointslices/{name}`: get.
    case object(namespace: String, name: String)

    /// Parses `path`, or returns `nil` for a path the fake does not serve.
    init?(path: String) {
        let segments = path.split(separator: "/").map(String.init)
        switch segments {
        case ["version"]:
            self = .version
        case ["api"]:
            self = .coreVersions
        case ["api", "v1"]:
            self = .coreResources
        case ["apis"]:
            self = .groups
        case ["apis", "discovery.k8s.io"]:
            self = .discoveryGroup
        case ["apis", "discovery.k8s.io", "v1"]:
            self = .discoveryResources
        default:
            guard segments.count >= 4, segments[0] == "apis", segments[1] == "discovery.k8s.io", segments[2] == "v1"
            else { return nil }
            let rest = Array(segments.dropFirst(3))
            switch rest.count {
            case 1 where rest[0] == "endpointslices":
                self = .collection(namespace: nil)
            case 3 where rest[0] == "namespaces" && rest[2] == "endpointslices":
                self = .collection(namespace: rest[1])
            case 4 where rest[0] == "namespaces" && rest[2] == "endpointslices":
                self = .object(namespace: rest[1], name: rest[3])
            default:
                return nil
            }
        }
    }

    /// Whether the route is a discovery document (rather than EndpointSlices).
    var isDiscovery: Bool {
        switch self {
        case .version, .coreVersions, .coreResources, .groups, .discoveryGroup, .discoveryResources:
            return true
        case .collection, .object:
            return false
        }
    }
}
