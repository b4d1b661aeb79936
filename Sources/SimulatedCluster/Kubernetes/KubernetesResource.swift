/// The resources ``FakeKubernetesAPI`` serves.
enum KubernetesResource: String, Sendable, Hashable, CaseIterable {
    /// `discovery.k8s.io/v1` `endpointslices`.
    case endpointSlices = "endpointslices"
    /// `v1` `pods` (core group).
    case pods
    /// `apps/v1` `replicasets`.
    case replicaSets = "replicasets"

    /// The API group, empty for the core group.
    var group: String {
        switch self {
        case .endpointSlices: return "discovery.k8s.io"
        case .pods: return ""
        case .replicaSets: return "apps"
        }
    }

    /// The `apiVersion` of the objects, e.g. `discovery.k8s.io/v1` or `v1`.
    var apiVersion: String {
        self.group.isEmpty ? "v1" : "\(self.group)/v1"
    }

    /// The `kind` of one object.
    var kind: String {
        switch self {
        case .endpointSlices: return "EndpointSlice"
        case .pods: return "Pod"
        case .replicaSets: return "ReplicaSet"
        }
    }

    /// The `kind` of a list.
    var listKind: String {
        self.kind + "List"
    }

    /// The singular resource name.
    var singularName: String {
        self.kind.lowercased()
    }

    /// The short names kubectl accepts (`po`, `rs`).
    var shortNames: [String] {
        switch self {
        case .endpointSlices: return []
        case .pods: return ["po"]
        case .replicaSets: return ["rs"]
        }
    }

    /// The 404 `Status` for a missing object `name`.
    func notFound(name: String) -> KubernetesStatus {
        KubernetesStatus.notFound(resource: self, name: name)
    }
}
