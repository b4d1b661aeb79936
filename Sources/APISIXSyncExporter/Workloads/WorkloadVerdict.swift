/// Whether a workload's configured termination keeps it out of APISIX before it stops serving.
public enum WorkloadVerdict: String, Sendable, CaseIterable, Comparable {
    /// preStop >= terminationGracePeriodSeconds: the pod is killed mid-sleep.
    case exceedsGrace = "prestop_exceeds_grace"
    /// preStop below the end-to-end p99 lag of the workload's Services (or below the recommendation).
    case tooShort = "too_short"
    /// The preStop hook is not a readable delay (httpGet, a script).
    case unknown
    /// Not enough removal samples of its Services yet.
    case noData = "no_data"
    case ok

    /// At-risk verdicts sort first.
    public static func < (lhs: WorkloadVerdict, rhs: WorkloadVerdict) -> Bool {
        lhs.rank < rhs.rank
    }

    /// The position in the sort order (the order of the cases).
    private var rank: Int {
        switch self {
        case .exceedsGrace: 0
        case .tooShort: 1
        case .unknown: 2
        case .noData: 3
        case .ok: 4
        }
    }

    /// Whether the workload needs a change.
    public var atRisk: Bool { self == .exceedsGrace || self == .tooShort }
}
