/// The JSON served at `/recommendation`.
public struct RecommendationDocument: Codable, Sendable, Equatable {
    public struct ServiceEntry: Codable, Sendable, Equatable {
        public var namespace: String
        public var service: String
        public var status: Recommendation.Status
        public var samples: Int
        public var observedQuantileSeconds: Double?
        public var prestopSeconds: Int?
        public var terminationGracePeriodSeconds: Int?
        public var removalsOverConfiguredDelay: Int
        public var maxObservedLagSeconds: Double?
        public var exactSamples: Int
        public var censoredSamples: Int
        public var censoredWideSamples: Int
        public var rightCensoredSamples: Int
        public var quantileIsLowerBound: Bool

        enum CodingKeys: String, CodingKey {
            case namespace, service, status, samples
            case exactSamples = "exact_samples"
            case censoredSamples = "censored_samples"
            case censoredWideSamples = "censored_wide_samples"
            case rightCensoredSamples = "right_censored_samples"
            case quantileIsLowerBound = "quantile_is_lower_bound"
            case observedQuantileSeconds = "observed_quantile_seconds"
            case prestopSeconds = "prestop_seconds"
            case terminationGracePeriodSeconds = "termination_grace_period_seconds"
            case removalsOverConfiguredDelay = "removals_over_configured_delay"
            case maxObservedLagSeconds = "max_observed_lag_seconds"
        }
    }

    /// Whether the configured delay covers the recommendation: `enough`, `not_enough`, or `unknown`.
    public enum Verdict: String, Codable, Sendable {
        case enough
        case notEnough = "not_enough"
        case unknown
    }

    public var status: Recommendation.Status
    public var verdict: Verdict
    public var quantile: Double
    public var observedQuantileSeconds: Double?
    public var marginSeconds: Double
    public var samples: Int
    public var minSamples: Int
    public var windowSeconds: Double
    public var prestopSeconds: Int?
    public var terminationGracePeriodSeconds: Int?
    public var shutdownBudgetSeconds: Double
    public var configuredPrestopSeconds: Double
    public var removalsOverConfiguredDelay: Int
    public var maxObservedLagSeconds: Double?
    /// Samples observed exactly (`synced`).
    public var exactSamples: Int
    /// `censored` samples with a narrow interval, counted by their upper bound.
    public var censoredSamples: Int
    /// `censored` samples wider than ``maxCensoredWidthSeconds``, counted by their lower bound.
    public var censoredWideSamples: Int
    /// `superseded` removals whose lag is known to exceed a value, used by the Kaplan-Meier estimate.
    public var rightCensoredSamples: Int
    /// True when right-censored samples leave the estimate short of the quantile: it is then a lower bound.
    public var quantileIsLowerBound: Bool
    public var maxCensoredWidthSeconds: Double
    /// Removal samples measured end to end, from the pod's deletion (stage `kubernetes` + stage `apisix`).
    public var endToEndSamples: Int
    /// Removal samples measured from the EndpointSlice change only (no pod, or its deletion unknown).
    public var sliceChangeSamples: Int
    public var services: [ServiceEntry]

    enum CodingKeys: String, CodingKey {
        case status, verdict, quantile, samples, services
        case exactSamples = "exact_samples"
        case censoredSamples = "censored_samples"
        case censoredWideSamples = "censored_wide_samples"
        case rightCensoredSamples = "right_censored_samples"
        case quantileIsLowerBound = "quantile_is_lower_bound"
        case maxCensoredWidthSeconds = "max_censored_width_seconds"
        case endToEndSamples = "end_to_end_samples"
        case sliceChangeSamples = "slice_change_samples"
        case observedQuantileSeconds = "observed_quantile_seconds"
        case marginSeconds = "margin_seconds"
        case minSamples = "min_samples"
        case windowSeconds = "window_seconds"
        case prestopSeconds = "prestop_seconds"
        case terminationGracePeriodSeconds = "termination_grace_period_seconds"
        case shutdownBudgetSeconds = "shutdown_budget_seconds"
        case configuredPrestopSeconds = "configured_prestop_seconds"
        case removalsOverConfiguredDelay = "removals_over_configured_delay"
        case maxObservedLagSeconds = "max_observed_lag_seconds"
    }

    public init(
        overall: Recommendation,
        services: [(ServiceKey, Recommendation)],
        policy: RecommendationPolicy,
        window: Double
    ) {
        status = overall.status
        if let preStop = overall.preStopSeconds {
            verdict = Double(preStop) <= policy.configuredDelay ? .enough : .notEnough
        } else {
            verdict = .unknown
        }
        quantile = policy.quantile
        observedQuantileSeconds = overall.observedQuantile
        marginSeconds = policy.margin
        samples = overall.samples
        minSamples = policy.minSamples
        windowSeconds = window
        prestopSeconds = overall.preStopSeconds
        terminationGracePeriodSeconds = overall.terminationGracePeriodSeconds
        shutdownBudgetSeconds = policy.shutdownBudget
        configuredPrestopSeconds = policy.configuredDelay
        removalsOverConfiguredDelay = overall.removalsOverConfiguredDelay
        maxObservedLagSeconds = overall.maxObservedLag
        exactSamples = overall.sampleCounts.exact
        censoredSamples = overall.sampleCounts.censored
        censoredWideSamples = overall.sampleCounts.censoredWide
        rightCensoredSamples = overall.sampleCounts.rightCensored
        quantileIsLowerBound = overall.quantileIsLowerBound
        maxCensoredWidthSeconds = policy.maxCensoredWidth
        endToEndSamples = overall.endToEndSamples
        sliceChangeSamples = overall.samples + overall.sampleCounts.rightCensored - overall.endToEndSamples
        self.services = services.map { service, recommendation in
            ServiceEntry(
                namespace: service.namespace,
                service: service.name,
                status: recommendation.status,
                samples: recommendation.samples,
                observedQuantileSeconds: recommendation.observedQuantile,
                prestopSeconds: recommendation.preStopSeconds,
                terminationGracePeriodSeconds: recommendation.terminationGracePeriodSeconds,
                removalsOverConfiguredDelay: recommendation.removalsOverConfiguredDelay,
                maxObservedLagSeconds: recommendation.maxObservedLag,
                exactSamples: recommendation.sampleCounts.exact,
                censoredSamples: recommendation.sampleCounts.censored,
                censoredWideSamples: recommendation.sampleCounts.censoredWide,
                rightCensoredSamples: recommendation.sampleCounts.rightCensored,
                quantileIsLowerBound: recommendation.quantileIsLowerBound
            )
        }
    }

    /// A paste-ready pod spec fragment (`?format=yaml`).
    public var yaml: String {
        let window = GoDuration.format(seconds: windowSeconds)
        let q = "p\(Self.percentile(quantile))"
        guard status == .ok, let preStop = prestopSeconds, let grace = terminationGracePeriodSeconds,
            let observed = observedQuantileSeconds
        else {
            return """
                # apisix-sync-exporter: insufficient data for a recommendation yet
                # (\(samples) of \(minSamples) removal samples in the last \(window)).
                # Keep your current preStop delay (\(Self.number(configuredPrestopSeconds))s) until samples accumulate.

                """
        }
        return """
            # Recommended by apisix-sync-exporter from \(samples) endpoint removals in the last \(window)\(sampleNote):
            # \(q) removal lag \(Self.number(observed))s + margin \(Self.number(marginSeconds))s, rounded up.
            # terminationGracePeriodSeconds = max(30, preStop + \(Self.number(shutdownBudgetSeconds))s shutdown budget).
            # lifecycle.preStop.sleep needs Kubernetes >= 1.30 (no shell or sleep binary in the image).
            spec:
              terminationGracePeriodSeconds: \(grace)
              containers:
                - name: app  # your container
                  lifecycle:
                    preStop:
                      sleep:
                        seconds: \(preStop)
                      # Before Kubernetes 1.30, use an exec hook instead (needs `sleep` in the image):
                      # exec:
                      #   command: ["sleep", "\(preStop)"]

            """
    }

    /// ` (N exact, M censored, ...)` when not every sample was exact.
    var sampleNote: String {
        guard censoredSamples + censoredWideSamples + rightCensoredSamples > 0 else { return "" }
        var parts = ["\(exactSamples) exact", "\(censoredSamples + censoredWideSamples) censored"]
        if rightCensoredSamples > 0 { parts.append("\(rightCensoredSamples) superseded as lower bounds") }
        return " (" + parts.joined(separator: ", ") + ")"
    }

    static func number(_ value: Double) -> String {
        let rounded = (value * 100).rounded() / 100
        return rounded == rounded.rounded() ? String(Int(rounded)) : String(rounded)
    }

    static func percentile(_ quantile: Double) -> String {
        number(quantile * 100)
    }
}
