/// What really happened to one node of one upstream: the ground truth the accuracy benchmark compares the
/// exporter's measurements with. Produced by ``SimulatedIngressController``.
public struct TruthRecord: Sendable, Hashable, CustomStringConvertible {
    /// The direction of the change, as the exporter's `change` label.
    public enum Kind: String, Sendable, Hashable, CaseIterable {
        /// The node left the Service port's ready set.
        case remove
        /// The node joined the Service port's ready set.
        case add
    }

    /// What became of the change.
    public enum Outcome: String, Sendable, Hashable, CaseIterable {
        /// The controller wrote it to APISIX at ``TruthRecord/apisixTime``.
        case synced
        /// Kubernetes reverted it (at ``TruthRecord/revertTime``) before the controller wrote it: it never
        /// reached APISIX.
        case superseded
        /// Not written yet (only in ``SimulatedIngressController/pendingChanges``).
        case pending
    }

    /// The Service's namespace.
    public let namespace: String
    /// The Service's name.
    public let service: String
    /// The Service port's name, e.g. `http`.
    public let portName: String
    /// The node, `ip:port`.
    public let node: String
    /// The id of the APISIX object that holds the Service port's nodes: the upstream, or with
    /// ``SimulatedIngressController/UpstreamStyle/inlineRoutes`` the route, or with an inline
    /// ``SimulatedIngressController/UpstreamStyle/ingressController2(_:)`` layout the service.
    public let upstreamID: String
    /// The direction of the change.
    public let kind: Kind
    /// What became of the change.
    public let outcome: Outcome
    /// When the world wrote the EndpointSlice that changed the node's readiness (wall clock, seconds since 1970).
    public let kubernetesTime: Double
    /// When the controller wrote the upstream that reflects the change (wall clock, seconds since 1970); `nil`
    /// unless ``outcome`` is ``Outcome/synced``.
    public let apisixTime: Double?
    /// When Kubernetes reverted the change (wall clock, seconds since 1970); only for ``Outcome/superseded``.
    public let revertTime: Double?
    /// The name of the APISIX instance (``FakeAPISIXAdmin/name``) the record is about: with several instances,
    /// every change has one record per instance, each with that instance's own lag.
    public let instance: String
    /// When the instance's workers route with the change (``apisixTime`` plus the instance's
    /// ``FakeAPISIXAdmin/workerDelay`` at the write: what its Control API shows), in wall-clock seconds since 1970;
    /// `nil` unless ``outcome`` is ``Outcome/synced``.
    public let workerTime: Double?
    /// For a removal caused by deleting a pod (a scale-down, a rolling update, ``SimulatedWorld/deletePod(service:)``):
    /// the pod and the moment it was deleted; `nil` for every other change.
    public let podDeletion: PodDeletionTruth?

    /// Creates a record.
    public init(
        namespace: String,
        service: String,
        portName: String,
        node: String,
        upstreamID: String,
        kind: Kind,
        outcome: Outcome,
        kubernetesTime: Double,
        apisixTime: Double? = nil,
        revertTime: Double? = nil,
        instance: String = "apisix",
        workerTime: Double? = nil,
        podDeletion: PodDeletionTruth? = nil
    ) {
        self.namespace = namespace
        self.service = service
        self.portName = portName
        self.node = node
        self.upstreamID = upstreamID
        self.kind = kind
        self.outcome = outcome
        self.kubernetesTime = kubernetesTime
        self.apisixTime = apisixTime
        self.revertTime = revertTime
        self.instance = instance
        self.workerTime = workerTime
        self.podDeletion = podDeletion
    }

    /// When the pod behind the removal was deleted (wall clock, seconds since 1970), or `nil`.
    public var podDeletionTime: Double? {
        self.podDeletion?.time
    }

    /// The true Kubernetes stage of a pod-deletion removal, `kubernetesTime - podDeletionTime`: the endpoint
    /// controller's delay between the pod update and the EndpointSlice update. `nil` without a pod deletion.
    public var kubernetesStageLag: Double? {
        self.podDeletion.map { self.kubernetesTime - $0.time }
    }

    /// The true end-to-end lag of a pod-deletion removal, `apisixTime - podDeletionTime`; `nil` without a pod
    /// deletion or unless ``outcome`` is ``Outcome/synced``.
    public var endToEndLag: Double? {
        guard let deletion = self.podDeletion, let apisixTime = self.apisixTime else { return nil }
        return apisixTime - deletion.time
    }

    /// The true sync lag, `apisixTime - kubernetesTime`, in seconds; `nil` unless ``outcome`` is
    /// ``Outcome/synced``.
    public var lag: Double? {
        self.apisixTime.map { $0 - self.kubernetesTime }
    }

    /// The true lag until the instance's workers route with the change, `workerTime - kubernetesTime`, in seconds;
    /// `nil` unless ``outcome`` is ``Outcome/synced``.
    public var workerLag: Double? {
        self.workerTime.map { $0 - self.kubernetesTime }
    }

    /// E.g. `demo/checkout:http 10.1.0.7:8080 remove synced lag=0.734s`.
    public var description: String {
        var text = "\(self.namespace)/\(self.service):\(self.portName) \(self.node) \(self.kind.rawValue) "
        text += self.outcome.rawValue
        if let lag = self.lag {
            text += " lag=\((lag * 1000).rounded() / 1000)s"
        }
        return text
    }
}
