/// One removal (or addition) lag as the recommendation window keeps it: exact, known within bounds, or known only to
/// exceed a value. See `docs/measurement.md`, "How the recommendation counts each outcome".
public enum LagSample: Sendable, Equatable {
    /// A `synced` change: the lag in seconds.
    case exact(Double)
    /// A `censored` change: the lag lies in `lower...upper` seconds.
    case interval(lower: Double, upper: Double)
    /// A `superseded` change: the lag exceeded this many seconds (right-censored).
    case atLeast(Double)
}

/// How the samples behind a recommendation were observed.
public struct SampleCounts: Sendable, Equatable, Codable {
    /// `synced` changes.
    public var exact = 0
    /// `censored` changes with a narrow interval, counted by their upper bound.
    public var censored = 0
    /// `censored` changes with a wide interval (longer than the policy's limit), counted by their lower bound.
    public var censoredWide = 0
    /// `superseded` changes, counted as right-censored at their lower bound (Kaplan-Meier).
    public var rightCensored = 0

    public init(exact: Int = 0, censored: Int = 0, censoredWide: Int = 0, rightCensored: Int = 0) {
        self.exact = exact
        self.censored = censored
        self.censoredWide = censoredWide
        self.rightCensored = rightCensored
    }

    enum CodingKeys: String, CodingKey {
        case exact
        case censored
        case censoredWide = "censored_wide"
        case rightCensored = "right_censored"
    }
}

extension LagSample {
    /// The value the recommendation counts as a lag (nil for a right-censored sample), and whether the interval
    /// counts as narrow: an interval no wider than `maxWidth` counts by its upper bound (sleeping a little too long
    /// costs a slower rollout, too short costs 5xx), a wider one by its lower bound (a ten-minute outage must not
    /// become a ten-minute preStop).
    func counted(maxWidth: Double) -> (value: Double?, kind: Kind) {
        switch self {
        case .exact(let lag): (lag, .exact)
        case .interval(let lower, let upper): upper - lower <= maxWidth ? (upper, .censored) : (lower, .censoredWide)
        case .atLeast: (nil, .rightCensored)
        }
    }

    /// How a sample is counted.
    enum Kind: UInt8, Sendable, CaseIterable {
        case exact, censored, censoredWide, rightCensored
    }
}

extension LagSample {
    /// The same sample with `seconds` added to every bound (a removal's Kubernetes stage).
    public func shifted(by seconds: Double) -> LagSample {
        switch self {
        case .exact(let lag): .exact(lag + seconds)
        case .interval(let lower, let upper): .interval(lower: lower + seconds, upper: upper + seconds)
        case .atLeast(let bound): .atLeast(bound + seconds)
        }
    }
}

extension SampleCounts {
    mutating func add(_ kind: LagSample.Kind, _ count: Int = 1) {
        switch kind {
        case .exact: exact += count
        case .censored: censored += count
        case .censoredWide: censoredWide += count
        case .rightCensored: rightCensored += count
        }
    }

    /// Samples that count as a lag value (all but the right-censored ones).
    public var counted: Int { exact + censored + censoredWide }
}
