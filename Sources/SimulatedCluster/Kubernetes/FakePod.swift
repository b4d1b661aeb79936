/// A `v1` Pod as scripted into ``FakeKubernetesAPI``.
///
/// Unlike slices, a pod carries its own `uid` (EndpointSlice `targetRef`s must name it); the fake adds
/// `resourceVersion` and `creationTimestamp`.
public struct FakePod: Sendable, Hashable {
    /// `status.phase`.
    public enum Phase: String, Sendable, Hashable, CaseIterable {
        case pending = "Pending"
        case running = "Running"
        case succeeded = "Succeeded"
        case failed = "Failed"
    }

    /// `metadata.namespace`.
    public var namespace: String
    /// `metadata.name`.
    public var name: String
    /// `metadata.uid`.
    public var uid: String
    /// `metadata.labels`.
    public var labels: [String: String]
    /// The controlling owner (a ReplicaSet), or `nil` for a bare pod.
    public var owner: FakeOwnerReference?
    /// `spec.containers`.
    public var containers: [FakeContainer]
    /// `spec.terminationGracePeriodSeconds`.
    public var terminationGracePeriodSeconds: Int
    /// `spec.nodeName`; `nil` omits it (not scheduled yet).
    public var nodeName: String?
    /// `status.phase`.
    public var phase: Phase
    /// `status.podIP` (and the only `status.podIPs` entry); `nil` omits both.
    public var podIP: String?
    /// The `Ready` and `ContainersReady` conditions.
    public var ready: Bool
    /// `metadata.deletionTimestamp` (RFC 3339, whole seconds): set when the pod is deleted, to the delete request
    /// time truncated to seconds plus the grace period. `nil` omits it.
    public var deletionTimestamp: String?
    /// `metadata.deletionGracePeriodSeconds`, set together with ``deletionTimestamp``.
    public var deletionGracePeriodSeconds: Int?

    /// Creates a pod.
    public init(
        namespace: String,
        name: String,
        uid: String,
        labels: [String: String] = [:],
        owner: FakeOwnerReference? = nil,
        containers: [FakeContainer] = [],
        terminationGracePeriodSeconds: Int = 30,
        nodeName: String? = nil,
        phase: Phase = .running,
        podIP: String? = nil,
        ready: Bool = true,
        deletionTimestamp: String? = nil,
        deletionGracePeriodSeconds: Int? = nil
    ) {
        self.namespace = namespace
        self.name = name
        self.uid = uid
        self.labels = labels
        self.owner = owner
        self.containers = containers
        self.terminationGracePeriodSeconds = terminationGracePeriodSeconds
        self.nodeName = nodeName
        self.phase = phase
        self.podIP = podIP
        self.ready = ready
        self.deletionTimestamp = deletionTimestamp
        self.deletionGracePeriodSeconds = deletionGracePeriodSeconds
    }

    /// Whether the pod is being deleted (it carries a ``deletionTimestamp``).
    public var isTerminating: Bool {
        self.deletionTimestamp != nil
    }
}
