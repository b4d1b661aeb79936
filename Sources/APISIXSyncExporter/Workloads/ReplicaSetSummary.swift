/// What the exporter keeps of a ReplicaSet: its name and controlling owner (usually a Deployment).
public struct ReplicaSetSummary: Sendable, Equatable {
    public var namespace: String
    public var name: String
    public var resourceVersion: String?
    public var owner: OwnerReference?

    public init(namespace: String, name: String, resourceVersion: String? = nil, owner: OwnerReference? = nil) {
        self.namespace = namespace
        self.name = name
        self.resourceVersion = resourceVersion
        self.owner = owner
    }
}
