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
    /// The Kubernetes stage of pending removals whose pod's deletion is known, until the removal ends.
    private(set) var removalStages: [RemovalKey: RemovalStage] = [:]
    /// How long a stage is kept for a removal that has not ended (longer than any change can stay pending).
    let stageRetention: Double
    private var lastWindowPrune: Timestamp = 0

    init(
        metrics: ExporterMetrics,
        logger: Logger,
        policy: RecommendationPolicy,
        window: Double,
        stageRetention: Double = 3_600
    ) {
        self.metrics = metrics
        self.logger = logger
        self.policy = policy
        self.window = window
        self.stageRetention = stageRetention
        removals = CensoredLagWindow(window: window, maxCensoredWidth: policy.maxCensoredWidth)
        additions = CensoredLagWindow(window: window, maxCensoredWidth: policy.maxCensoredWidth)
    }

    /// Remembers the Kubernetes stage of a removal that starts now: its samples become end-to-end lags.
    mutating func beginRemoval(_ key: RemovalKey, stage: RemovalStage) {
        removalStages[key] = stage
    }

    mutating func handle(_ events: [LagEvent], at time: Timestamp) {
        for event in events {
            let stage = stage(of: event)
            switch event {
            case .synced(let key, let kind, let lag, let node):
                metrics.recordLag(lag, service: key.service, kind: kind, configuredDelay: apisixBudget(of: stage))
                if let stage { metrics.recordStages(kubernetes: stage.kubernetes, apisix: lag) }
                recordExposure(lowerBound: lag, stage: stage, service: key.service)
                record(.exact(lag), key: key, kind: kind, node: node, outcome: .synced, at: time, stage: stage)
            case .censored(let key, let kind, let lower, let upper, let node) where !upper.isFinite:
                // Only a lower bound (the node's writes were out of order): right-censored for the recommendation.
                recordExposure(lowerBound: lower, stage: stage, service: key.service)
                record(.atLeast(lower), key: key, kind: kind, node: node, outcome: .censored, at: time, stage: stage)
            case .censored(let key, let kind, let lower, let upper, let node):
                metrics.recordCensoredLag(
                    lowerBound: lower,
                    upperBound: upper,
                    service: key.service,
                    kind: kind,
                    configuredDelay: apisixBudget(of: stage)
                )
                recordExposure(lowerBound: lower, stage: stage, service: key.service)
                record(
                    .interval(lower: lower, upper: upper),
                    key: key,
                    kind: kind,
                    node: node,
                    outcome: .censored,
                    at: time,
                    stage: stage
                )
            case .superseded(let key, let kind, let atLeast, let node):
                if let atLeast {
                    record(
                        .atLeast(atLeast),
                        key: key,
                        kind: kind,
                        node: node,
                        outcome: .superseded,
                        at: time,
                        stage: stage
                    )
                } else {
                    ended(key, kind, node: node, outcome: .superseded, cause: nil, at: time)
                }
            case .supersededLag(let key, let kind, let sample, let node):
                // The outcome was counted when the change was superseded: only the sample is new.
                record(
                    sample,
                    key: key,
                    kind: kind,
                    node: node,
                    outcome: .superseded,
                    at: time,
                    counted: true,
                    stage: stage
                )
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

    /// The stage of a removal's event; the stage is dropped once the removal has ended for good.
    private mutating func stage(of event: LagEvent) -> RemovalStage? {
        let (key, kind, final): (ServicePortKey, ChangeKind, Bool)
        switch event {
        case .instanceSynced: return nil
        case .synced(let port, let change, _, _), .censored(let port, let change, _, _, _),
            .supersededLag(let port, let change, _, _), .timedOut(let port, let change, _),
            .unobserved(let port, let change, _, _):
            (key, kind, final) = (port, change, true)
        case .superseded(let port, let change, _, _):
            // A late write of the reverted removal may still give its lag (``LagEvent/supersededLag``).
            (key, kind, final) = (port, change, false)
        }
        guard kind == .remove else { return nil }
        let removal = RemovalKey(port: key, node: event.node)
        return final ? removalStages.removeValue(forKey: removal) : removalStages[removal]
    }

    /// The preStop delay a removal is compared with: its workload's when known, else `--prestop-delay`.
    private func preStop(of stage: RemovalStage?) -> Double {
        stage?.preStop.seconds.map(Double.init) ?? policy.configuredDelay
    }

    /// What the preStop leaves for APISIX once the Kubernetes stage has passed: an APISIX lag above it means the
    /// pod stayed routable after its preStop ended.
    private func apisixBudget(of stage: RemovalStage?) -> Double {
        preStop(of: stage) - (stage?.kubernetes ?? 0)
    }

    /// Adds what is known of the time a terminating pod stayed routable after its own preStop ended.
    private func recordExposure(lowerBound apisixLag: Double, stage: RemovalStage?, service: ServiceKey) {
        guard let stage else { return }
        let exposure = stage.kubernetes + apisixLag - preStop(of: stage)
        if exposure > 0 { metrics.addRoutableAfterPrestop(exposure, service: service) }
    }

    /// A change that ended with a number (exact, an interval or a lower bound): into the windows, counted, logged.
    /// With a stage, the number is the end-to-end lag (the stage plus the APISIX lag).
    private mutating func record(
        _ apisixSample: LagSample,
        key: ServicePortKey,
        kind: ChangeKind,
        node: NodeAddress,
        outcome: ChangeOutcome,
        at time: Timestamp,
        counted: Bool = false,
        stage: RemovalStage? = nil
    ) {
        if !counted { metrics.countChange(service: key.service, kind: kind, outcome: outcome) }
        let sample = stage.map { apisixSample.shifted(by: $0.kubernetes) } ?? apisixSample
        let empty = SampleWindow(window: window, maxCensoredWidth: policy.maxCensoredWidth)
        switch kind {
        case .remove:
            removals.record(sample, at: time, endToEnd: stage != nil)
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
        switch apisixSample {
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
        if let stage {
            metadata["kubernetes_stage_seconds"] = "\(stage.kubernetes)"
            metadata["deletion_provenance"] = "\(stage.provenance.rawValue)"
            metadata["workload"] = "\(stage.workload)"
        }
        var change = ChangeRecord(
            key: key,
            node: node,
            kind: kind,
            outcome: outcome,
            lag: lag,
            bounds: bounds,
            time: time
        )
        change.stage = stage
        observer?(change)
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
        removalStages = removalStages.filter { time - $0.value.since < stageRetention }
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
        let summary = removals.summary(at: time)
        var recommendation = Recommendation.compute(from: summary, policy: policy)
        recommendation.endToEndSamples = summary.endToEndSamples
        return recommendation
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
