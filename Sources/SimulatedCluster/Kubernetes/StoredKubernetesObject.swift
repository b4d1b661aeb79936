/// What an object of ``FakeKubernetesAPI`` is: the scripted value of one of the served resources.
enum StoredPayload: Sendable, Equatable {
    case endpointSlice(FakeEndpointSlice)
    case pod(FakePod)
    case replicaSet(FakeReplicaSet)

    /// The resource the object belongs to.
    var resource: KubernetesResource {
        switch self {
        case .endpointSlice: return .endpointSlices
        case .pod: return .pods
        case .replicaSet: return .replicaSets
        }
    }

    /// `metadata.namespace`.
    var namespace: String {
        switch self {
        case .endpointSlice(let slice): return slice.namespace
        case .pod(let pod): return pod.namespace
        case .replicaSet(let replicaSet): return replicaSet.namespace
        }
    }

    /// `metadata.name`.
    var name: String {
        switch self {
        case .endpointSlice(let slice): return slice.name
        case .pod(let pod): return pod.name
        case .replicaSet(let replicaSet): return replicaSet.name
        }
    }

    /// The labels as served.
    var labels: [String: String] {
        switch self {
        case .endpointSlice(let slice): return slice.effectiveLabels
        case .pod(let pod): return pod.labels
        case .replicaSet(let replicaSet): return replicaSet.labels
        }
    }

    /// The uid the scripted value carries itself (pods and ReplicaSets), or `nil` (slices get one from the store).
    var ownUID: String? {
        switch self {
        case .endpointSlice: return nil
        case .pod(let pod): return pod.uid
        case .replicaSet(let replicaSet): return replicaSet.uid
        }
    }
}

/// An object as held by ``FakeKubernetesAPI``: the scripted value plus the metadata the API server owns.
struct StoredKubernetesObject: Sendable {
    /// The object as last applied.
    var payload: StoredPayload
    /// `metadata.uid`, fixed at creation.
    var uid: String
    /// `metadata.resourceVersion`: the global resource version of the last write to this object.
    var resourceVersion: Int
    /// `metadata.generation`, 1 at creation and incremented on every update.
    var generation: Int
    /// `metadata.creationTimestamp` (RFC 3339, whole seconds, UTC).
    var creationTimestamp: String

    /// The resource of the object.
    var resource: KubernetesResource { self.payload.resource }

    /// `metadata.namespace`.
    var namespace: String { self.payload.namespace }

    /// `metadata.name`.
    var name: String { self.payload.name }

    /// The storage key within the resource: `namespace/name`.
    var key: String {
        Self.key(namespace: self.payload.namespace, name: self.payload.name)
    }

    /// The storage key of the object `namespace/name`.
    static func key(namespace: String, name: String) -> String {
        "\(namespace)/\(name)"
    }
}

/// The type of a change recorded in the watch history.
enum StoredEventType: String, Sendable {
    case added = "ADDED"
    case modified = "MODIFIED"
    case deleted = "DELETED"
}

/// One change in the watch history.
struct StoredEvent: Sendable {
    /// What happened.
    let type: StoredEventType
    /// The object after the change; for a deletion, the last state carrying the deletion's resource version.
    let object: StoredKubernetesObject
    /// The object before the change (`nil` for an addition), used to rebuild older snapshots for paginated lists.
    let previous: StoredKubernetesObject?

    /// The resource version the change was written at.
    var resourceVersion: Int { self.object.resourceVersion }

    /// The resource of the changed object.
    var resource: KubernetesResource { self.object.resource }
}
