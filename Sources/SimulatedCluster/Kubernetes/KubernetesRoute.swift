/// The API paths the fake Kubernetes API serves.
enum KubernetesRoute: Equatable {
    /// `/version`: the server's version (readable without credentials, like `system:public-info-viewer`).
    case version
    /// `/api`: the versions of the core group (`APIVersions`).
    case coreVersions
    /// `/api/v1`: the core resources (`APIResourceList`: `pods`).
    case coreResources
    /// `/apis`: the API groups (`APIGroupList`).
    case groups
    /// `/apis/discovery.k8s.io`: the `discovery.k8s.io` group (`APIGroup`).
    case discoveryGroup
    /// `/apis/discovery.k8s.io/v1`: the resources of `discovery.k8s.io/v1` (`APIResourceList`).
    case discoveryResources
    /// `/apis/apps`: the `apps` group (`APIGroup`).
    case appsGroup
    /// `/apis/apps/v1`: the resources of `apps/v1` (`APIResourceList`: `replicasets`).
    case appsResources
    /// `…/{resource}` (`namespace == nil`) or `…/namespaces/{namespace}/{resource}`: list or watch.
    case collection(KubernetesResource, namespace: String?)
    /// `…/namespaces/{namespace}/{resource}/{name}`: get.
    case object(KubernetesResource, namespace: String, name: String)

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
        case ["apis", "apps"]:
            self = .appsGroup
        case ["apis", "apps", "v1"]:
            self = .appsResources
        default:
            let rest: [String]
            if segments.count >= 3, segments[0] == "api", segments[1] == "v1" {
                rest = Array(segments.dropFirst(2))
            } else if segments.count >= 4, segments[0] == "apis", segments[2] == "v1" {
                rest = Array(segments.dropFirst(3))
            } else {
                return nil
            }
            let group = segments[0] == "api" ? "" : segments[1]
            func resource(_ name: String) -> KubernetesResource? {
                KubernetesResource(rawValue: name).flatMap { $0.group == group ? $0 : nil }
            }
            switch rest.count {
            case 1:
                guard let resource = resource(rest[0]) else { return nil }
                self = .collection(resource, namespace: nil)
            case 3 where rest[0] == "namespaces":
                guard let resource = resource(rest[2]) else { return nil }
                self = .collection(resource, namespace: rest[1])
            case 4 where rest[0] == "namespaces":
                guard let resource = resource(rest[2]) else { return nil }
                self = .object(resource, namespace: rest[1], name: rest[3])
            default:
                return nil
            }
        }
    }

    /// Whether the route is about pods or ReplicaSets (their objects or the `apps` discovery documents).
    var isWorkload: Bool {
        switch self {
        case .appsGroup, .appsResources:
            return true
        case .collection(let resource, _), .object(let resource, _, _):
            return resource != .endpointSlices
        case .version, .coreVersions, .coreResources, .groups, .discoveryGroup, .discoveryResources:
            return false
        }
    }

    /// Whether the route is a discovery document (rather than objects).
    var isDiscovery: Bool {
        switch self {
        case .version, .coreVersions, .coreResources, .groups, .discoveryGroup, .discoveryResources, .appsGroup,
            .appsResources:
            return true
        case .collection, .object:
            return false
        }
    }
}
