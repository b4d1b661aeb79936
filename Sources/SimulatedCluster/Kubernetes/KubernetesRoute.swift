/// The API paths the fake Kubernetes API serves.
enum KubernetesRoute: Equatable {
    /// `/apis/discovery.k8s.io/v1/endpointslices` (`namespace == nil`) or
    /// `/apis/discovery.k8s.io/v1/namespaces/{namespace}/endpointslices`: list or watch.
    case collection(namespace: String?)
    /// `/apis/discovery.k8s.io/v1/namespaces/{namespace}/endpointslices/{name}`: get.
    case object(namespace: String, name: String)

    /// Parses `path`, or returns `nil` for a path the fake does not serve.
    init?(path: String) {
        let segments = path.split(separator: "/").map(String.init)
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
