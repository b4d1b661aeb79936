/// Settings of the preStop recommendation.
public struct RecommendationPolicy: Sendable, Equatable {
    /// The removal-lag quantile the preStop sleep must cover (0...1).
    public var quantile: Double = SettingDefaults.quantile
    /// Seconds added to the quantile.
    public var margin: Double = SettingDefaults.margin
    /// Removals needed before a recommendation is made.
    public var minSamples: Int = SettingDefaults.minSamples
    /// Seconds the application needs to shut down after the preStop sleep.
    public var shutdownBudget: Double = SettingDefaults.shutdownBudget
    /// The preStop delay users configured today, to compare against.
    public var configuredDelay: Double = SettingDefaults.prestopDelay
    /// A censored lag whose interval is at most this many seconds wide counts by its upper bound, a wider one by its
    /// lower bound (see `docs/measurement.md`).
    public var maxCensoredWidth: Double = 5

    public init() {}
}

/// A recommended preStop sleep and termination grace period, computed from removal lags.
public struct Recommendation: Sendable, Equatable {
    public enum Status: String, Sendable, Codable {
        case ok
        case insufficientData = "insufficient_data"
    }

    public var status: Status
    /// Samples the recommendation is based on.
    public var samples: Int
    /// The observed removal-lag quantile in seconds; nil without samples.
    public var observedQuantile: Double?
    /// Whole seconds for `lifecycle.preStop.sleep.seconds`; nil until there are enough samples.
    public var preStopSeconds: Int?
    /// Whole seconds for `terminationGracePeriodSeconds`; nil until there are enough samples.
    public var terminationGracePeriodSeconds: Int?
    /// Removals in the window whose lag exceeded the configured delay.
    public var removalsOverConfiguredDelay: Int
    /// The largest removal lag in the window, in seconds.
    public var maxObservedLag: Double?
    /// How the samples were observed (exact, censored, right-censored).
    public var sampleCounts = SampleCounts()
    /// True when right-censored samples leave the quantile estimate short: `observedQuantile` is a lower bound.
    public var quantileIsLowerBound = false
    /// Samples (of every kind) measured end to end from the pod's deletion.
    public var endToEndSamples = 0

    /// preStop = ceil(quantile + margin), at least 1; grace = max(30, preStop + shutdown budget).
    public static func compute(
        samples: Int,
        quantileValue: Double?,
        maximum: Double?,
        overDelay: Int,
        policy: RecommendationPolicy
    ) -> Recommendation {
        guard samples >= policy.minSamples, samples > 0, let quantileValue, quantileValue.isFinite else {
            return Recommendation(
                status: .insufficientData,
                samples: samples,
                observedQuantile: quantileValue,
                preStopSeconds: nil,
                terminationGracePeriodSeconds: nil,
                removalsOverConfiguredDelay: overDelay,
                maxObservedLag: maximum
            )
        }
        // Round to the millisecond first so that 2.000000001 + 1 does not become 4.
        let raw = ((quantileValue + policy.margin) * 1000).rounded() / 1000
        let preStop = max(1, Int(raw.rounded(.up)))
        let grace = max(30, Int((Double(preStop) + policy.shutdownBudget).rounded(.up)))
        return Recommendation(
            status: .ok,
            samples: samples,
            observedQuantile: quantileValue,
            preStopSeconds: preStop,
            terminationGracePeriodSeconds: grace,
            removalsOverConfiguredDelay: overDelay,
            maxObservedLag: maximum
        )
    }

    /// The recommendation for the samples of a window.
    public static func compute(from summary: some LagStatistics, policy: RecommendationPolicy) -> Recommendation {
        var recommendation = compute(
            samples: summary.count,
            quantileValue: summary.quantile(policy.quantile),
            maximum: summary.maximum,
            overDelay: summary.count(above: policy.configuredDelay),
            policy: policy
        )
        recommendation.sampleCounts = summary.sampleCounts
        recommendation.quantileIsLowerBound = summary.quantileIsLowerBound(policy.quantile)
        return recommendation
    }
}
