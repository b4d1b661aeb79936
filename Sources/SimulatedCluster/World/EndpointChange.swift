/// The in-process notification ``SimulatedWorld`` sends ``SimulatedIngressController`` after each EndpointSlice
/// write: the Service port's ready node set as it is right after that write.
struct EndpointChange: Sendable {
    /// The Service's index in the world (0-based).
    let serviceIndex: Int
    /// The number of Services in the world.
    let serviceCount: Int
    /// The Service's namespace.
    let namespace: String
    /// The Service's name.
    let service: String
    /// The Service port number (which names the upstream, e.g. `demo_checkout_80`).
    let servicePort: Int
    /// The Service port's name, e.g. `http`.
    let portName: String
    /// The ready endpoints merged over all slices of the Service, as `ip:port`.
    let readyNodes: Set<String>
    /// When the slice was written (wall clock, seconds since 1970).
    let kubernetesTime: Double
    /// The pod deletions behind nodes this change removes from the ready set, by node (`ip:port`).
    var podDeletions: [String: PodDeletionTruth] = [:]
    /// Whether this is the state seeded at start-up, which the controller syncs at once and without truth.
    let isInitial: Bool
}
