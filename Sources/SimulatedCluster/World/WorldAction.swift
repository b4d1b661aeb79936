/// One entry of ``SimulatedWorld/actions``: something the simulated world did, on its own (churn) or because it
/// was scripted.
///
/// Times are simulated seconds since the world started: the time the action was scheduled for, so that the log of
/// a world driven by its churn alone is the same for the same seed however the process is loaded.
public struct WorldAction: Sendable, Hashable, CustomStringConvertible {
    /// What happened.
    public enum Kind: String, Sendable, Hashable, CaseIterable {
        /// The Deployment's replica count was changed (``WorldAction/detail`` is `from -> to`).
        case scale
        /// A rolling update of the Deployment started (``WorldAction/detail`` is the new pod-template hash).
        case roll
        /// A ready pod failed its readiness probe and recovers shortly after (``SimulatedWorld/revert(service:)``).
        case revert
        /// An endpoint was moved from one slice to another (``SimulatedWorld/rebalance(service:)``).
        case rebalance
        /// A burst of readiness changes started (``SimulatedWorld/burst(service:count:)``).
        case burst
        /// A pod was deleted on purpose (``SimulatedWorld/deletePod(service:)``); its ReplicaSet replaces it.
        case podDeletion
        /// A pod was created; it is listed as not ready until it has started.
        case podCreated
        /// A pod became ready.
        case podReady
        /// A pod failed its readiness probe (not ready, not terminating).
        case podNotReady
        /// A pod started terminating: `ready: false, serving: <was ready>, terminating: true`. With
        /// ``SimulatedWorld/Configuration/pods`` this is the pod's deletion (its `deletionTimestamp` is written); the
        /// endpoint follows after the endpoint controller's delay.
        case podTerminating
        /// A terminated pod disappeared from its EndpointSlice.
        case podDeleted
    }

    /// Simulated seconds since the world started.
    public let time: Double
    /// The Service (and Deployment) name.
    public let service: String
    /// What happened.
    public let kind: Kind
    /// The pod concerned, if any.
    public let pod: String?
    /// The pod's IP address, if any.
    public let address: String?
    /// Details, e.g. `3 -> 4` for a scale or `checkout-x2k9p -> checkout-h7tqz` for a rebalance.
    public let detail: String?

    /// Creates an entry.
    public init(
        time: Double,
        service: String,
        kind: Kind,
        pod: String? = nil,
        address: String? = nil,
        detail: String? = nil
    ) {
        self.time = time
        self.service = service
        self.kind = kind
        self.pod = pod
        self.address = address
        self.detail = detail
    }

    /// E.g. `12.345s checkout podTerminating checkout-6d4f8b9c7-x2k9p 10.1.0.7`.
    public var description: String {
        let time = (self.time * 1000).rounded() / 1000
        return ["\(time)s", self.service, self.kind.rawValue, self.pod, self.address, self.detail]
            .compactMap { $0 }
            .joined(separator: " ")
    }
}
