/// `/api/v1/workloads`: the workloads behind measured Services, at-risk first, each with its configured
/// termination, what its Services measured, the verdict and, when a change is needed, the patch that makes it.
public struct WorkloadsDocument: Codable, Sendable, Equatable {
    /// One workload.
    public struct Workload: Codable, Sendable, Equatable {
        public var namespace: String
        public var kind: String
        public var name: String
        public var services: [String]
        public var container: String?
        /// `none`, `sleep`, `exec`, `httpGet`, `tcpSocket`, `other` or `ambiguous`.
        public var prestop: String
        /// The configured delay; nil when it cannot be read.
        public var prestopSeconds: Int?
        public var terminationGracePeriodSeconds: Int
        public var removalLagP99Seconds: Double?
        public var samples: Int
        public var recommendedPrestopSeconds: Int?
        public var recommendedTerminationGracePeriodSeconds: Int?
        public var verdict: String
        /// `owner_missing` when the pods' ReplicaSet is not known (deleted, not listed yet, or not readable): the
        /// ReplicaSet stands for its workload.
        public var ownerGap: String?
        /// A strategic-merge patch of the workload that sets the recommended sleep (and grace period).
        public var patch: String?
        /// The `kubectl patch` command applying ``patch``.
        public var kubectlPatch: String?
        /// What to know before applying the patch.
        public var patchNote: String?

        enum CodingKeys: String, CodingKey {
            case namespace, kind, name, services, container, prestop, samples, verdict, patch
            case prestopSeconds = "prestop_seconds"
            case terminationGracePeriodSeconds = "termination_grace_period_seconds"
            case removalLagP99Seconds = "removal_lag_p99_seconds"
            case recommendedPrestopSeconds = "recommended_prestop_seconds"
            case recommendedTerminationGracePeriodSeconds = "recommended_termination_grace_period_seconds"
            case kubectlPatch = "kubectl_patch"
            case ownerGap = "owner_gap"
            case patchNote = "patch_note"
        }
    }

    /// Whether removals are timed from pod deletion.
    public var enabled: Bool
    /// Why not, when the pod watch was forbidden or turned off.
    public var disabledReason: String?
    public var workloads: [Workload]

    enum CodingKeys: String, CodingKey {
        case enabled, workloads
        case disabledReason = "disabled_reason"
    }

    public init(enabled: Bool, disabledReason: String?, workloads: [Workload]) {
        self.enabled = enabled
        self.disabledReason = disabledReason
        self.workloads = workloads
    }
}

extension WorkloadsDocument.Workload {
    init(_ report: WorkloadReport) {
        namespace = report.workload.namespace
        kind = report.workload.kind
        name = report.workload.name
        services = report.services.map(\.description)
        container = report.container
        prestop = report.preStop.form
        prestopSeconds = report.preStop.seconds
        terminationGracePeriodSeconds = report.terminationGracePeriodSeconds
        removalLagP99Seconds = report.removalLagP99
        samples = report.samples
        recommendedPrestopSeconds = report.recommendedPreStop
        recommendedTerminationGracePeriodSeconds = report.recommendedTerminationGracePeriodSeconds
        verdict = report.verdict.rawValue
        ownerGap = report.ownerGap
        if report.verdict.atRisk, let patch = report.patch {
            self.patch = patch.json
            kubectlPatch = patch.command
            patchNote = patch.note
        }
    }
}
