/// One row of the workload table: a workload behind measured Services, its configured termination, what its
/// Services' removals measured, and the verdict.
public struct WorkloadReport: Sendable, Equatable {
    public var workload: WorkloadKey
    /// The measured Services whose endpoints are this workload's pods.
    public var services: [ServiceKey]
    /// The container serving the Services' target ports (nil when several could and none declares the port).
    public var container: String?
    public var preStop: PreStopAction
    public var terminationGracePeriodSeconds: Int
    /// p99 of the end-to-end removal lag of its Services, nil until enough samples.
    public var removalLagP99: Double?
    /// Removal samples of its Services in the window.
    public var samples: Int
    public var recommendedPreStop: Int?
    public var recommendedTerminationGracePeriodSeconds: Int?
    public var verdict: WorkloadVerdict
    /// Why the workload is only approximately known (`owner_missing`: its pods' ReplicaSet is not known, so the
    /// ReplicaSet stands for its Deployment); nil when the owner chain resolved.
    public var ownerGap: String?
    /// The patch that sets the recommended preStop (and grace period); nil when none can be written.
    public var patch: WorkloadPatch?

    public init(
        workload: WorkloadKey,
        services: [ServiceKey],
        container: String?,
        preStop: PreStopAction,
        terminationGracePeriodSeconds: Int,
        removalLagP99: Double?,
        samples: Int,
        recommendedPreStop: Int?,
        recommendedTerminationGracePeriodSeconds: Int?,
        verdict: WorkloadVerdict
    ) {
        self.workload = workload
        self.services = services
        self.container = container
        self.preStop = preStop
        self.terminationGracePeriodSeconds = terminationGracePeriodSeconds
        self.removalLagP99 = removalLagP99
        self.samples = samples
        self.recommendedPreStop = recommendedPreStop
        self.recommendedTerminationGracePeriodSeconds = recommendedTerminationGracePeriodSeconds
        self.verdict = verdict
    }
}
