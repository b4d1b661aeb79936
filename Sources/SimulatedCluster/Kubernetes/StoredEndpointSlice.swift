/// An EndpointSlice as held by ``FakeKubernetesAPI``: the scripted slice plus the metadata the API server owns.
struct StoredEndpointSlice: Sendable {
    /// The slice as last applied.
    var slice: FakeEndpointSlice
    /// `metadata.uid`, fixed at creation.
    var uid: String
    /// `metadata.resourceVersion`: the global resource version of the last write to this object.
    var resourceVersion: Int
    /// `metadata.generation`, 1 at creation and incremented on every update.
    var generation: Int
    /// `metadata.creationTimestamp` (RFC 3339, whole seconds, UTC).
    var creationTimestamp: String

    /// The storage key: `namespace/name`.
    var key: String {
        Self.key(namespace: self.slice.namespace, name: self.slice.name)
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
    let object: StoredEndpointSlice
    /// The object before the change (`nil` for an addition), used to rebuild older snapshots for paginated lists.
    let previous: StoredEndpointSlice?

    /// The resource version the change was written at.
    var resourceVersion: Int { self.object.resourceVersion }
}
