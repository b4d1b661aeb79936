import Logging

/// Where the lag engine's events go: metrics, the recommendation windows (overall and per Service), the counts of
/// unobserved causes, the debug log and an optional observer. Owned by the ``SyncTracker`` actor.
struct LagEventSink {
    let metrics: ExporterMetrics
    let logger: Logger
    let policy: RecommendationPolicy
    let window: Double
    var observer: (@Sendable (ChangeRecord) -> Void)?
    private(set) var removals: CensoredLagWindow
    private(set) var additions: CensoredLagWindow
    private(set) var serviceRemovals: [ServiceKey: SampleWindow] = [:]
    private(set) var serviceAdditions: [ServiceKey: SampleWindow] = [:]
    /// Changes that ended `unobserved` since start, by cause (served in `/api/v1/state`).
    private(set) var unobservedCauses: [UnobservedCause: Int] = [:]
    private var lastWindowPrune: Timestamp = 0

    init(metrics: ExporterMetrics, logger: Logger, policy: RecommendationPolicy, window: Double) {
        self.metrics = metrics
        self.logger = logger
        self.policy = policy
        self.window = window
        removals = CensoredLagWindow(window: window, maxCensoredWidth: policy.maxCensoredWidth)
        additions = CensoredLagWindow(window: window, maxCensoredWidth: policy.maxCensoredWidth)
    }

    mutating func handle(_ events: [LagEvent], at time: Timestamp) {
        for event in events {
            switch event {
            case .synced(let key, let kind, let lag, let node):
                metrics.recordLag(lag, service: key.service, kind: kind, configuredDelay: policy.configuredDelay)
                record(.exact(lag), key: key, kind: kind, node: node, outcome: .synced, at: time)
            case .censored(let key, let kind, let lower, let upper, let node) where !upper.isFinite:
                // Only a lower bound (the node's writes were out of order): right-censored for the recommendation.
                record(.atLeast(lower), key: key, kind: kind, node: node, outcome: .censored, at: time)
            case .censored(let key, let kind, let lower, let upper, let node):
                metrics.recordCensoredLag(
                    lowerBound: lower,
                    upperBound: upper,
                    service: key.service,
                    kind: kind,
                    configuredDelay: policy.configuredDelay
                )
                record(
                    .interval(lower: lower, upper: upper),
                    key: key,
                    kind: kind,
                    node: node,
                    outcome: .censored,
                    at: time
                )
            case .superseded(let key, let kind, let atLeast, let node):
                if let atLeast {
                    record(.atLeast(atLeast), key: key, kind: kind, node: node, outcome: .superseded, at: time)
                } else {
                    ended(key, kind, node: node, outcome: .superseded, cause: nil, at: time)
                }
            case .supersededLag(let key, let kind, let sample, let node):
                // The outcome was counted when the change was superseded: only the sample is new.
                record(sample, key: key, kind: kind, node: node, outcome: .superseded, at: time, counted: true)
            case .instanceSynced(let target, _, let kind, let lag, _):
                metrics.recordInstanceLag(lag, target: target, kind: kind)
            case .timedOut(let key, let kind, let node):
                ended(key, kind, node: node, outcome: .timeout, cause: nil, at: time)
            case .unobserved(let key, let kind, let cause, let node):
                unobservedCauses[cause, default: 0] += 1
                ended(key, kind, node: node, outcome: .unobserved, cause: cause, at: time)
            }
        }
    }

    /// A change that ended with a number (exact, an interval or a lower bound): into the windows, counted, logged.
    private mutating func record(
        _ sample: LagSample,
        key: ServicePortKey,
        kind: ChangeKind,
        node: NodeAddress,
        outcome: ChangeOutcome,
        at time: Timestamp,
        counted: Bool = false
    ) {
        if !counted { metrics.countChange(service: key.service, kind: kind, outcome: outcome) }
        let empty = SampleWindow(window: window, maxCensoredWidth: policy.maxCensoredWidth)
        switch kind {
        case .remove:
            removals.record(sample, at: time)
            serviceRemovals[key.service, default: empty].record(sample, at: time)
        case .add:
            additions.record(sample, at: time)
            serviceAdditions[key.service, default: empty].record(sample, at: time)
        }
        var metadata: Logger.Metadata = [
            "service_port": "\(key)", "node": "\(node)", "change": "\(kind.rawValue)", "at": "\(time)",
        ]
        var lag: Double?
        var bounds: ClosedRange<Double>?
        switch sample {
        case .exact(let value):
            lag = value
            metadata["lag_seconds"] = "\(value)"
            if outcome != .synced { metadata["outcome"] = "\(outcome.rawValue)" }
            logger.debug("change synced", metadata: metadata)
        case .interval(let lower, let upper):
            bounds = lower...max(lower, upper)
            metadata["outcome"] = "\(outcome.rawValue)"
            metadata["lag_lower_seconds"] = "\(lower)"
            metadata["lag_upper_seconds"] = "\(upper)"
            logger.debug("change censored", metadata: metadata)
        case .atLeast(let bound) where outcome == .censored:
            bounds = bound...Double.infinity
            metadata["outcome"] = "\(outcome.rawValue)"
            metadata["lag_lower_seconds"] = "\(bound)"
            metadata["lag_upper_seconds"] = "inf"
            logger.debug("change censored", metadata: metadata)
        case .atLeast(let bound):
            bounds = bound...Double.infinity
            metadata["outcome"] = "\(outcome.rawValue)"
            metadata["lag_at_least_seconds"] = "\(bound)"
            // A superseded change whose bound comes after its outcome was logged has a message of its own.
            logger.debug(counted ? "superseded change bound" : "change ended without sample", metadata: metadata)
        }
        observer?(
            ChangeRecord(key: key, node: node, kind: kind, outcome: outcome, lag: lag, bounds: bounds, time: time)
        )
    }

    /// A change that ended without a number.
    private func ended(
        _ key: ServicePortKey,
        _ kind: ChangeKind,
        node: NodeAddress,
        outcome: ChangeOutcome,
        cause: UnobservedCause?,
        at time: Timestamp
    ) {
        metrics.countChange(service: key.service, kind: kind, outcome: outcome)
        observer?(ChangeRecord(key: key, node: node, kind: kind, outcome: outcome, lag: nil, cause: cause, time: time))
        var metadata: Logger.Metadata = [
            "service_port": "\(key)", "node": "\(node)", "change": "\(kind.rawValue)",
            "outcome": "\(outcome.rawValue)", "at": "\(time)",
        ]
        if let cause { metadata["cause"] = "\(cause.rawValue)" }
        logger.debug("change ended without sample", metadata: metadata)
    }

    /// Drops samples that left the window; Services that went quiet are pruned once a minute.
    mutating func prune(at time: Timestamp) {
        removals.prune(at: time)
        additions.prune(at: time)
        guard time - lastWindowPrune >= 60 else { return }
        lastWindowPrune = time
        for service in serviceRemovals.keys { serviceRemovals[service]?.prune(at: time) }
        for service in serviceAdditions.keys { serviceAdditions[service]?.prune(at: time) }
        serviceRemovals = serviceRemovals.filter { !$0.value.isEmpty }
        serviceAdditions = serviceAdditions.filter { !$0.value.isEmpty }
    }

    /// A deleted Service: its series and windows go.
    mutating func forget(_ service: ServiceKey) {
        metrics.removeService(service)
        serviceRemovals[service] = nil
        serviceAdditions[service] = nil
    }

    /// The overall recommendation at `time`.
    func recommendation(at time: Timestamp) -> Recommendation {
        Recommendation.compute(from: removals.summary(at: time), policy: policy)
    }

    /// One recommendation per Service with removal samples in the window.
    func serviceRecommendations(at time: Timestamp) -> [(ServiceKey, Recommendation)] {
        serviceRemovals.keys.sorted().compactMap { service in
            guard let window = serviceRemovals[service] else { return nil }
            let summary = window.summary(at: time)
            guard summary.count > 0 else { return nil }
            return (service, Recommendation.compute(from: summary, policy: policy))
        }
    }
}
