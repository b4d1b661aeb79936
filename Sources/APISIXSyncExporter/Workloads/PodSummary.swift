/// What the exporter keeps of a Pod: identity, addresses, owner, deletion and the spec fields that decide its
/// termination (containers' ports and preStop, grace period). Nothing else of the object is kept: pod specs can carry
/// secrets in env values.
public struct PodSummary: Sendable, Equatable {
    public var namespace: String
    public var name: String
    public var uid: String?
    public var resourceVersion: String?
    /// `status.podIPs` (or `status.podIP`); empty before the pod has an address.
    public var ips: [String] = []
    /// The controlling owner (`controller: true`), else the first owner reference; nil for a bare pod.
    public var owner: OwnerReference?
    /// `metadata.deletionTimestamp` as Unix seconds (apiserver clock: delete request time + grace period).
    public var deletionTimestamp: Double?
    /// `metadata.deletionGracePeriodSeconds`.
    public var deletionGracePeriodSeconds: Int?
    public var template = PodTemplateSummary()

    /// The apiserver's delete request time, `deletionTimestamp - deletionGracePeriodSeconds` (whole seconds).
    public var deletionRequested: Double? {
        guard let deletionTimestamp else { return nil }
        return deletionTimestamp - Double(deletionGracePeriodSeconds ?? 0)
    }
}

/// An `ownerReferences` entry.
public struct OwnerReference: Sendable, Hashable {
    public var kind: String
    public var name: String
    public var uid: String?

    public init(kind: String, name: String, uid: String? = nil) {
        self.kind = kind
        self.name = name
        self.uid = uid
    }
}

/// The termination-relevant part of a pod spec; pods of one template share one value.
public struct PodTemplateSummary: Sendable, Hashable {
    public var containers: [ContainerSummary]
    /// `spec.terminationGracePeriodSeconds`, 30 when absent.
    public var terminationGracePeriodSeconds: Int

    public static let defaultTerminationGracePeriodSeconds = 30

    public init(containers: [ContainerSummary] = [], terminationGracePeriodSeconds: Int? = nil) {
        self.containers = containers
        self.terminationGracePeriodSeconds = terminationGracePeriodSeconds ?? Self.defaultTerminationGracePeriodSeconds
    }
}

/// One container: its declared ports and its preStop hook.
public struct ContainerSummary: Sendable, Hashable {
    public var name: String
    /// `ports[].containerPort`.
    public var ports: [Int]
    public var preStop: PreStopAction

    public init(name: String, ports: [Int] = [], preStop: PreStopAction = .none) {
        self.name = name
        self.ports = ports
        self.preStop = preStop
    }
}
