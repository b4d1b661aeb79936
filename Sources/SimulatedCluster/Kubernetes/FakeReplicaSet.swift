/// An `apps/v1` ReplicaSet as scripted into ``FakeKubernetesAPI``, owned by a Deployment.
public struct FakeReplicaSet: Sendable, Hashable {
    /// `metadata.namespace`.
    public var namespace: String
    /// `metadata.name`, `<deployment>-<pod-template-hash>`.
    public var name: String
    /// `metadata.uid`.
    public var uid: String
    /// `metadata.labels` (also the template's labels and the selector's `matchLabels`).
    public var labels: [String: String]
    /// The controlling Deployment, or `nil`.
    public var owner: FakeOwnerReference?
    /// `spec.replicas` and `status.replicas`.
    public var replicas: Int
    /// `status.readyReplicas` and `status.availableReplicas`.
    public var readyReplicas: Int
    /// The template's containers.
    public var containers: [FakeContainer]
    /// The template's `terminationGracePeriodSeconds`.
    public var terminationGracePeriodSeconds: Int

    /// Creates a ReplicaSet.
    public init(
        namespace: String,
        name: String,
        uid: String,
        labels: [String: String] = [:],
        owner: FakeOwnerReference? = nil,
        replicas: Int = 1,
        readyReplicas: Int = 0,
        containers: [FakeContainer] = [],
        terminationGracePeriodSeconds: Int = 30
    ) {
        self.namespace = namespace
        self.name = name
        self.uid = uid
        self.labels = labels
        self.owner = owner
        self.replicas = replicas
        self.readyReplicas = readyReplicas
        self.containers = containers
        self.terminationGracePeriodSeconds = terminationGracePeriodSeconds
    }
}
