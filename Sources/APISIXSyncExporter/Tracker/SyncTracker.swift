import Logging

/// Joins the Kubernetes and APISIX sides: keeps the desired and observed node sets, runs the lag engine, feeds
/// metrics and the recommendation window, and answers the HTTP endpoints. Every input carries the time it was
/// received, so the tracker itself never reads a clock.
public actor SyncTracker {
    /// A class so that updating one upstream of 10,000 does not copy them all (fast polls do it hundreds of
    /// times a second); only ever touched inside the actor.
    final class TargetState {
        let target: APISIXTarget
        var health = SourceHealth()
        var upstreams: [String: APISIXUpstream] = [:]
        var mappings: [String: UpstreamMapping] = [:]
        var upstreamsByKey: [ServicePortKey: [String]] = [:]
        var refreshed = false
        /// Services whose EndpointSlices changed since this target's mappings were last checked.
        var dirtyServices: Set<ServiceKey> = []
        /// Upstreams a fast poll found changed: mapped again at the next remap.
        var fetchedChanges: Set<String> = []
        /// Set when incremental remapping cannot be trusted (first refresh, relist, a failure): map everything.
        var needsFullRemap = true
        /// Whether `/-/ready` waits for this target's first refresh (static targets, pods found by the first list).
        let gatesReadiness: Bool

        init(target: APISIXTarget, gatesReadiness: Bool = true) {
            self.target = target
            self.gatesReadiness = gatesReadiness
        }
    }

    let settings: ExporterSettings
    let metrics: ExporterMetrics
    let logger: Logger
    private var engine: LagEngine
    private var index = EndpointSliceIndex()
    private let mapper: UpstreamMapper
    private var targets: [String: TargetState] = [:]
    private var kubernetes = SourceHealth()
    private var podDiscovery = SourceHealth()
    private var kubernetesTarget = "kubernetes"
    private var kubernetesListed = false
    private var watchOpen = false
    private var replayUntil: Timestamp?
    private var removalWindow: CensoredLagWindow
    private var additionWindow: CensoredLagWindow
    private var serviceWindows: [ServiceKey: SampleWindow] = [:]
    private var serviceAdditionWindows: [ServiceKey: SampleWindow] = [:]
    private var observer: (@Sendable (ChangeRecord) -> Void)?
    private var lastWindowPrune: Timestamp = 0
    /// Changes that ended `unobserved` since start, by cause (served in `/api/v1/state`).
    private var unobservedCauses: [UnobservedCause: Int] = [:]
    /// False maps every upstream at every remap (tests compare both ways).
    private var incrementalRemap = true
    /// Set while APISIX pod discovery has not listed the pods yet: not ready until it has.
    private var awaitingPodDiscovery = false

    public init(settings: ExporterSettings, targets: [APISIXTarget], metrics: ExporterMetrics, logger: Logger) {
        self.settings = settings
        self.metrics = metrics
        self.logger = logger
        self.engine = LagEngine(
            changeTimeout: settings.changeTimeout,
            maxUncertainty: Self.maxUncertainty(fastPollInterval: settings.fastPollInterval)
        )
        self.mapper = UpstreamMapper(overrides: settings.overrides)
        let width = settings.recommendation.maxCensoredWidth
        self.removalWindow = CensoredLagWindow(window: settings.recommendationWindow, maxCensoredWidth: width)
        self.additionWindow = CensoredLagWindow(window: settings.recommendationWindow, maxCensoredWidth: width)
        for target in targets { self.targets[target.name] = TargetState(target: target) }
    }

    /// Calls `observer` with every change that ends (for benchmarks; must return quickly).
    public func setObserver(_ observer: (@Sendable (ChangeRecord) -> Void)?) { self.observer = observer }

    /// How stale a target's previous observation may be for a change it reflects to be timed: twice the fast-poll
    /// interval plus a second for request time and scheduling.
    public static func maxUncertainty(fastPollInterval: Double) -> Double { 2 * fastPollInterval + 1 }

    /// Turns incremental remapping off or on; the result must not depend on it (tests check that it does not).
    func setIncrementalRemap(_ enabled: Bool) { incrementalRemap = enabled }

    /// Names the Kubernetes source in metrics (`target` label), e.g. the API server's host:port.
    public func setKubernetesTarget(_ name: String) { kubernetesTarget = name }

    // MARK: Kubernetes

    /// A complete list of slices (initial list or relist): differences to the previous state have unknown start.
    public func kubernetesListed(_ slices: [EndpointSlice], namespace: String?, at time: Timestamp) {
        kubernetesSucceeded(at: time)
        let changes = index.replaceAll(slices, inNamespace: namespace)
        for state in targets.values { state.needsFullRemap = true }
        apply(changes, at: time, unknownStart: kubernetesListed ? .relist : .startup)
        kubernetesListed = true
        // The relist has shown what changed in the gap: outcomes held since the watch failed are final now.
        handle(engine.kubernetesResumed(), at: time)
    }

    /// One watch event, stamped with the time it was received; `startKnown` is false for events replayed after a
    /// slow reconnect, whose real time is somewhere in the gap.
    public func kubernetesEvent(_ event: WatchEvent, at time: Timestamp, startKnown: Bool = true) {
        kubernetesSucceeded(at: time)
        let unknownStart: UnobservedCause? = startKnown ? nil : .replayed
        switch event {
        case .added(let slice), .modified(let slice): apply(index.upsert(slice), at: time, unknownStart: unknownStart)
        case .deleted(let slice): apply(index.delete(slice), at: time, unknownStart: unknownStart)
        case .bookmark, .error: break
        }
    }

    /// The watch is healthy (bookmark, stream opened, or an event).
    public func kubernetesSucceeded(at time: Timestamp) {
        if kubernetes.succeeded(at: time) {
            logger.info("source up", metadata: ["source": "kubernetes", "target": .string(kubernetesTarget)])
        }
        resumeIfSettled(at: time)
    }

    /// A watch stream opened; events until `replayUntil` may be replays of a gap and have an unknown start.
    public func kubernetesWatchOpened(at time: Timestamp, replayUntil: Timestamp?) {
        watchOpen = true
        self.replayUntil = replayUntil
        kubernetesSucceeded(at: time)
    }

    /// Releases the outcomes held since the watch failed once the watch is open again and past the window in which
    /// events may be replays of the gap: a revert inside the gap has arrived by then.
    private func resumeIfSettled(at time: Timestamp) {
        guard engine.kubernetesGap, watchOpen, time >= (replayUntil ?? -.infinity) else { return }
        handle(engine.kubernetesResumed(), at: time)
    }

    /// The watch stream ended with an error.
    public func kubernetesWatchClosed() {
        watchOpen = false
    }

    /// A list or watch request failed.
    public func kubernetesFailed(_ failure: SourceFailure, at time: Timestamp) {
        engine.kubernetesInterrupted(expired: failure.reason == .expired)
        metrics.countSourceError(source: "kubernetes", target: kubernetesTarget, reason: failure.reason.rawValue)
        if kubernetes.failed(failure) {
            logger.warning(
                "source down",
                metadata: ["source": "kubernetes", "target": .string(kubernetesTarget), "error": "\(failure)"]
            )
        }
    }

    /// A list or watch request of APISIX pod discovery failed: counted as a Kubernetes error and logged once per
    /// state change, but the EndpointSlice watch of the measured Services is unaffected, so pending changes keep
    /// their timing.
    public func podDiscoveryFailed(_ failure: SourceFailure, at time: Timestamp) {
        metrics.countSourceError(source: "kubernetes", target: kubernetesTarget, reason: failure.reason.rawValue)
        if podDiscovery.failed(failure) {
            logger.warning(
                "APISIX pod discovery failing",
                metadata: ["source": "kubernetes", "target": .string(kubernetesTarget), "error": "\(failure)"]
            )
        }
    }

    /// APISIX pod discovery listed or watched successfully again.
    public func podDiscoverySucceeded(at time: Timestamp) {
        if podDiscovery.succeeded(at: time), podDiscovery.errors > 0 {
            logger.info("APISIX pod discovery working again", metadata: ["target": .string(kubernetesTarget)])
        }
    }

    private func apply(_ changes: [DesiredSetChange], at time: Timestamp, unknownStart: UnobservedCause?) {
        var deleted = Set<ServiceKey>()
        for state in targets.values {
            for change in changes { state.dirtyServices.insert(change.key.service) }
        }
        if changes.contains(where: { $0.old == nil }) {
            // New Service ports: upstreams named after them can be mapped now rather than at the next refresh.
            // The mapping uses the last refresh's node sets, which the engine has already seen.
            for name in targets.keys.sorted() { remap(target: name, at: time, refresh: false, changed: []) }
        }
        for change in changes {
            handle(engine.desiredChanged(change.key, to: change.new, at: time, unknownStart: unknownStart), at: time)
            if change.new == nil { deleted.insert(change.key.service) }
        }
        for service in deleted where index.ports(of: service).isEmpty {
            metrics.removeService(service)
            serviceWindows[service] = nil
            serviceAdditionWindows[service] = nil
        }
    }

    // MARK: APISIX targets

    /// Makes `/-/ready` wait for APISIX pod discovery's first list (call before the exporter serves).
    public func setAwaitingPodDiscovery(_ awaiting: Bool) { awaitingPodDiscovery = awaiting }

    /// Starts tracking a target found at run time (a discovered APISIX pod); nothing happens if one with its name
    /// is tracked already. Targets that do not gate readiness leave `/-/ready` alone while they come up.
    public func addTarget(_ target: APISIXTarget, gatesReadiness: Bool) {
        guard targets[target.name] == nil else { return }
        targets[target.name] = TargetState(target: target, gatesReadiness: gatesReadiness)
        logger.info("APISIX target added", metadata: ["target": .string(target.name), "view": "\(target.view)"])
    }

    /// Stops tracking a target that left at `time` (a deleted pod): pending changes it took part in can no longer be
    /// timed and end `unobserved` (a pod leaving is not a lag sample); its series go away.
    public func removeTarget(named name: String, at time: Timestamp) {
        guard let state = targets.removeValue(forKey: name) else { return }
        for key in state.upstreamsByKey.keys.sorted() {
            handle(engine.observed(nil, target: name, for: key, at: time), at: time)
        }
        engine.targetRecovered(name)
        metrics.removeTarget(name)
        logger.info("APISIX target removed", metadata: ["target": .string(name)])
    }

    /// The names of the targets tracked now.
    public var targetNames: [String] { targets.keys.sorted() }

    // MARK: APISIX

    /// A full list of a target's upstreams, received at `time`: remaps upstreams and updates observations.
    public func apisixRefreshed(target name: String, upstreams: [APISIXUpstream], at time: Timestamp) {
        guard let state = targets[name] else { return }
        markSucceeded(state, at: time)
        var changed = Set<String>()
        var next: [String: APISIXUpstream] = [:]
        next.reserveCapacity(upstreams.count)
        for upstream in upstreams {
            // By index, so that neither the old upstream nor its mapping is copied (10,000 of them every refresh).
            if let index = state.upstreams.index(forKey: upstream.id),
                state.mappings.index(forKey: upstream.id) != nil
            {
                let oldIndex = state.upstreams.values[index].modifiedIndex
                let same =
                    oldIndex != nil && oldIndex == upstream.modifiedIndex
                    || state.upstreams.values[index].sameContents(as: upstream)
                if !same { changed.insert(upstream.id) }
            } else {
                changed.insert(upstream.id)
            }
            next[upstream.id] = upstream
        }
        for id in state.upstreams.keys where next[id] == nil { changed.insert(id) }
        state.upstreams = next
        state.refreshed = true
        remap(target: name, at: time, refresh: true, changed: changed)
    }

    /// Maps the target's upstreams to Service ports again and updates the engine's observations.
    ///
    /// Incremental unless `needsFullRemap`: only upstreams in `changed`, upstreams mapped to Services whose slices
    /// changed since the last remap, and unmapped upstreams are mapped again (a mapping depends only on the upstream,
    /// its Service's endpoints and the previous mapping). Ports whose upstreams or mapping changed are observed, and,
    /// at a `refresh`, ports with pending changes too (a full list is a look at them).
    private func remap(target name: String, at time: Timestamp, refresh: Bool, changed: Set<String>) {
        guard let state = targets[name], state.refreshed else { return }
        let full = state.needsFullRemap || !incrementalRemap
        let changed = changed.union(state.fetchedChanges)
        state.fetchedChanges = []
        var subset = changed
        if !full {
            if changed.isEmpty && state.dirtyServices.isEmpty && !refresh { return }
            if !changed.isEmpty || !state.dirtyServices.isEmpty {
                for (id, mapping) in state.mappings {
                    if mapping.state == .unmapped {
                        subset.insert(id)
                    } else if let key = mapping.key, state.dirtyServices.contains(key.service) {
                        subset.insert(id)
                    } else if mapping.method == .overlap, let name = state.upstreams[id]?.name,
                        let named = UpstreamMapper.namedService(name), state.dirtyServices.contains(named)
                    {
                        subset.insert(id)  // matched by overlap while the Service its name gives was missing
                    }
                }
            }
        }
        state.needsFullRemap = false
        state.dirtyServices = []
        let candidates = full ? Array(state.upstreams.values) : subset.compactMap { state.upstreams[$0] }
        let remapped = mapper.map(candidates, index: index, previous: state.mappings)
        var affected = Set<ServicePortKey>()
        let previousMappings = state.mappings
        if full {
            state.mappings = remapped
        } else {
            for id in subset {
                state.mappings[id] = remapped[id]
            }
        }
        let touched = full ? Set(previousMappings.keys).union(remapped.keys) : subset
        for id in touched {
            let before = previousMappings[id].flatMap { $0.state == .mapped ? $0.key : nil }
            let after = state.mappings[id].flatMap { $0.state == .mapped ? $0.key : nil }
            if before == after {
                // Same mapping, but the upstream or its Service changed (the engine drops a deleted Service's
                // observations): look again; unchanged observations are skipped below.
                if let after { affected.insert(after) }
                continue
            }
            if let before {
                state.upstreamsByKey[before]?.removeAll { $0 == id }
                if state.upstreamsByKey[before]?.isEmpty == true { state.upstreamsByKey[before] = nil }
                // Lost or changed mapping: the target's part of pending changes can no longer be timed.
                handle(engine.observed(nil, target: name, for: before, at: time), at: time)
                affected.insert(before)
            }
            if let after {
                var ids = state.upstreamsByKey[after] ?? []
                ids.insert(id, at: ids.firstIndex { $0 > id } ?? ids.endIndex)
                if state.upstreamsByKey[after] != nil {
                    // The port's upstream set changed: its pending changes lose this target's timing.
                    handle(engine.observed(nil, target: name, for: after, at: time), at: time)
                }
                state.upstreamsByKey[after] = ids
                affected.insert(after)
            }
        }
        var keys = affected
        if refresh || full {
            keys.formUnion(engine.keysWithPendingWork(target: name).filter { state.upstreamsByKey[$0] != nil })
        }
        if full { keys.formUnion(state.upstreamsByKey.keys) }
        for key in keys.sorted() {
            guard let nodes = observation(state, key) else { continue }
            // Unchanged node sets of ports without pending changes need no work: only ports with pending changes
            // (which fast polls observe anyway) or different nodes do.
            if engine.observedNodes(key, target: name) == nodes, !engine.hasPendingWork(key, target: name) {
                continue
            }
            // Outside a refresh (a Kubernetes event mapped new Service ports) the node sets are the last fetch's, not a
            // look at `time`.
            handle(engine.observed(nodes, target: name, for: key, at: time, fresh: refresh), at: time)
        }
    }

    /// Several answers of fast polling at once, in order; see ``apisixFetched(target:id:upstream:at:)``.
    public func apisixFetched(
        target name: String,
        _ fetched: [(id: String, upstream: APISIXUpstream?, at: Timestamp)]
    ) {
        for answer in fetched {
            apisixFetched(target: name, id: answer.id, upstream: answer.upstream, at: answer.at)
        }
    }

    /// One upstream fetched by a fast poll at `time`; nil when APISIX answered 404 (it was deleted).
    public func apisixFetched(target name: String, id: String, upstream: APISIXUpstream?, at time: Timestamp) {
        guard let state = targets[name] else { return }
        markSucceeded(state, at: time)
        let key = state.mappings[id]?.key
        if let upstream {
            if state.mappings[id] == nil || state.upstreams[id].map({ !$0.sameContents(as: upstream) }) ?? true {
                state.fetchedChanges.insert(id)
            }
            state.upstreams[id] = upstream
        } else {
            state.upstreams[id] = nil
            state.mappings[id] = nil
            if let key {
                state.upstreamsByKey[key]?.removeAll { $0 == id }
                if state.upstreamsByKey[key]?.isEmpty == true { state.upstreamsByKey[key] = nil }
            }
        }
        guard let key else { return }
        if upstream == nil {
            handle(engine.observed(nil, target: name, for: key, at: time), at: time)
            if state.upstreamsByKey[key] == nil { return }
        }
        handle(engine.observed(observation(state, key), target: name, for: key, at: time), at: time)
    }

    /// A cheap check at `time` showed the target's config unchanged (standalone `HEAD`): a look at every port with
    /// pending changes, which still shows what the last full read showed.
    public func apisixUnchanged(target name: String, at time: Timestamp) {
        guard let state = targets[name] else { return }
        markSucceeded(state, at: time)
        for key in engine.keysWithPendingWork(target: name) {
            guard let nodes = observation(state, key) else { continue }
            handle(engine.observed(nodes, target: name, for: key, at: time), at: time)
        }
    }

    /// A request to a target failed at `time`.
    public func apisixFailed(target name: String, _ failure: SourceFailure, at time: Timestamp) {
        guard let state = targets[name] else { return }
        engine.targetFailed(name)
        state.needsFullRemap = true
        metrics.countSourceError(source: "apisix", target: name, reason: failure.reason.rawValue)
        if state.health.failed(failure) {
            var metadata: Logger.Metadata = ["source": "apisix", "target": .string(name), "error": "\(failure)"]
            if failure.reason == .unauthorized {
                metadata["hint"] = "the Admin API rejected the key: check --apisix.admin-key-file or APISIX_ADMIN_KEY"
            }
            logger.warning("source down", metadata: metadata)
        }
    }

    private func markSucceeded(_ state: TargetState, at time: Timestamp) {
        if state.health.succeeded(at: time) {
            logger.info("source up", metadata: ["source": "apisix", "target": .string(state.target.name)])
        }
        engine.targetRecovered(state.target.name)
    }

    private func observation(_ state: TargetState, _ key: ServicePortKey) -> ObservedNodes? {
        guard let ids = state.upstreamsByKey[key], !ids.isEmpty else { return nil }
        return ObservedNodes(combining: ids.map { state.upstreams[$0]?.nodes ?? [] })
    }

    /// Upstream ids of a target that have changes waiting for it: what fast polling fetches.
    public func pendingUpstreams(target name: String) -> [String] {
        guard let state = targets[name] else { return [] }
        var ids: [String] = []
        for key in engine.keysWithPendingWork(target: name) {
            ids += state.upstreamsByKey[key] ?? []
        }
        return ids
    }

    // MARK: Time

    /// Ends changes that waited longer than `--change-timeout`.
    public func tick(at time: Timestamp) {
        resumeIfSettled(at: time)
        handle(engine.expire(at: time), at: time)
        removalWindow.prune(at: time)
        additionWindow.prune(at: time)
        if time - lastWindowPrune >= 60 {
            // Per-Service windows drop old samples when they record; Services that went quiet are pruned here.
            lastWindowPrune = time
            for service in serviceWindows.keys { serviceWindows[service]?.prune(at: time) }
            for service in serviceAdditionWindows.keys { serviceAdditionWindows[service]?.prune(at: time) }
            serviceWindows = serviceWindows.filter { !$0.value.isEmpty }
            serviceAdditionWindows = serviceAdditionWindows.filter { !$0.value.isEmpty }
        }
    }

    private func handle(_ events: [LagEvent], at time: Timestamp) {
        for event in events {
            switch event {
            case .synced(let key, let kind, let lag, let node):
                metrics.recordLag(
                    lag,
                    service: key.service,
                    kind: kind,
                    configuredDelay: settings.recommendation.configuredDelay
                )
                record(.exact(lag), key: key, kind: kind, node: node, outcome: .synced, at: time)
            case .censored(let key, let kind, let lower, let upper, let node):
                metrics.recordCensoredLag(
                    lowerBound: lower,
                    upperBound: upper,
                    service: key.service,
                    kind: kind,
                    configuredDelay: settings.recommendation.configuredDelay
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
    private func record(
        _ sample: LagSample,
        key: ServicePortKey,
        kind: ChangeKind,
        node: NodeAddress,
        outcome: ChangeOutcome,
        at time: Timestamp
    ) {
        metrics.countChange(service: key.service, kind: kind, outcome: outcome)
        let window = SampleWindow(
            window: settings.recommendationWindow,
            maxCensoredWidth: settings.recommendation.maxCensoredWidth
        )
        switch kind {
        case .remove:
            removalWindow.record(sample, at: time)
            serviceWindows[key.service, default: window].record(sample, at: time)
        case .add:
            additionWindow.record(sample, at: time)
            serviceAdditionWindows[key.service, default: window].record(sample, at: time)
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
            logger.debug("change synced", metadata: metadata)
        case .interval(let lower, let upper):
            bounds = lower...max(lower, upper)
            metadata["outcome"] = "\(outcome.rawValue)"
            metadata["lag_lower_seconds"] = "\(lower)"
            metadata["lag_upper_seconds"] = "\(upper)"
            logger.debug("change censored", metadata: metadata)
        case .atLeast(let bound):
            bounds = bound...Double.infinity
            metadata["outcome"] = "\(outcome.rawValue)"
            metadata["lag_at_least_seconds"] = "\(bound)"
            logger.debug("change ended without sample", metadata: metadata)
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

    // MARK: Queries

    /// How much per-Service state is held (tests check that deleted Services leave none behind).
    func retainedState() -> (ports: Int, windows: Int, indexServices: Int) {
        (engine.keys.count, serviceWindows.count + serviceAdditionWindows.count, index.services.count)
    }

    /// Service ports that exist in Kubernetes and that at least one APISIX upstream maps to: the ones measured, and
    /// the only ones with per-Service series, rows and state.
    private var measuredKeys: [ServicePortKey] {
        engine.keys.filter { index.endpoints(of: $0) != nil && !engine.targets(of: $0).isEmpty }
    }

    /// 200 on `/-/ready`: the first EndpointSlice list is in and every APISIX target answered a full refresh.
    public var isReady: Bool {
        kubernetesListed && !awaitingPodDiscovery && !targets.isEmpty
            && targets.values.allSatisfy { $0.refreshed || !$0.gatesReadiness }
    }

    /// The overall recommendation at `time`.
    public func recommendation(at time: Timestamp) -> Recommendation {
        Recommendation.compute(from: removalWindow.summary(at: time), policy: settings.recommendation)
    }

    /// One recommendation per Service with removal samples in the window.
    public func serviceRecommendations(at time: Timestamp) -> [(ServiceKey, Recommendation)] {
        serviceWindows.keys.sorted().compactMap { service in
            guard let window = serviceWindows[service] else { return nil }
            let summary = window.summary(at: time)
            guard summary.count > 0 else { return nil }
            return (service, Recommendation.compute(from: summary, policy: settings.recommendation))
        }
    }

    /// The state the gauges show, for ``ExporterMetrics/exposition(gauges:)``, which renders outside the tracker.
    public func gaugeSnapshot(at time: Timestamp) -> ExporterMetrics.GaugeSnapshot {
        var snapshot = ExporterMetrics.GaugeSnapshot()
        for key in measuredKeys {
            let pending = engine.pendingSummary(key)
            let divergence = engine.divergenceCounts(key)
            snapshot.services[key.service, default: .init()].add(
                pending: pending,
                stale: divergence.stale,
                missing: divergence.missing
            )
        }
        snapshot.sources.append(
            .init(
                source: "kubernetes",
                target: kubernetesTarget,
                up: kubernetes.up,
                lastSuccess: kubernetes.lastSuccess
            )
        )
        for (name, state) in targets {
            snapshot.sources.append(
                .init(source: "apisix", target: name, up: state.health.up, lastSuccess: state.health.lastSuccess)
            )
            var counts: [UpstreamMapping.State: Int] = [:]
            for mapping in state.mappings.values { counts[mapping.state, default: 0] += 1 }
            snapshot.upstreams[name] = counts
        }
        snapshot.recommendation = recommendation(at: time)
        snapshot.configuredDelay = settings.recommendation.configuredDelay
        return snapshot
    }

    /// What the status page shows.
    public func statusSnapshot(at time: Timestamp) -> StatusSnapshot {
        let policy = settings.recommendation
        let document = RecommendationDocument(
            overall: recommendation(at: time),
            services: serviceRecommendations(at: time),
            policy: policy,
            window: settings.recommendationWindow
        )
        var rows: [ServiceKey: StatusSnapshot.ServiceRow] = [:]
        for key in measuredKeys {
            let service = key.service
            var row: StatusSnapshot.ServiceRow
            if let existing = rows[service] {
                row = existing
            } else {
                let removals = (serviceWindows[service] ?? SampleWindow(window: 1)).summary(at: time)
                row = StatusSnapshot.ServiceRow(
                    namespace: service.namespace,
                    name: service.name,
                    removals: removals.distribution(recommendationQuantile: policy.quantile),
                    additions: (serviceAdditionWindows[service] ?? SampleWindow(window: 1)).summary(at: time)
                        .distribution(recommendationQuantile: policy.quantile),
                    staleNodes: 0,
                    missingNodes: 0,
                    pendingChanges: 0,
                    removalsOverDelay: removals.count(above: policy.configuredDelay)
                )
            }
            let divergence = engine.divergenceCounts(key)
            row.staleNodes += divergence.stale
            row.missingNodes += divergence.missing
            row.pendingChanges += engine.pendingSummary(key).values.reduce(0) { $0 + $1.count }
            rows[service] = row
        }
        var sources = [
            StatusSnapshot.SourceRow(
                source: "kubernetes",
                target: kubernetesTarget,
                up: kubernetes.up,
                lastSuccess: kubernetes.lastSuccess,
                lastError: kubernetes.lastFailure?.description,
                errors: kubernetes.errors
            )
        ]
        var upstreams: [UpstreamMapping.State: Int] = [:]
        for state in targets.values.sorted(by: { $0.target.name < $1.target.name }) {
            sources.append(
                .init(
                    source: "apisix",
                    target: state.target.name,
                    up: state.health.up,
                    lastSuccess: state.health.lastSuccess,
                    lastError: state.health.lastFailure?.description,
                    errors: state.health.errors
                )
            )
            for mapping in state.mappings.values { upstreams[mapping.state, default: 0] += 1 }
        }
        return StatusSnapshot(
            time: time,
            ready: isReady,
            version: BuildInfo.version,
            recommendation: document,
            removals: removalWindow.summary(at: time).distribution(recommendationQuantile: policy.quantile),
            additions: additionWindow.summary(at: time).distribution(recommendationQuantile: policy.quantile),
            services: rows.values.sorted { ($0.namespace, $0.name) < ($1.namespace, $1.name) },
            sources: sources,
            upstreams: upstreams,
            resolution: settings.fastPollInterval
        )
    }

    /// The document served at `/api/v1/state`.
    public func state(at time: Timestamp) -> StateDocument {
        var services: [String: StateDocument.Service] = [:]
        for key in measuredKeys {
            guard let desired = engine.desired(key) else { continue }
            let divergence = engine.divergence(key)
            var service =
                services[key.service.description] ?? .init(namespace: key.service.namespace, name: key.service.name)
            service.ports.append(
                .init(
                    port: key.port,
                    desired: desired.sorted().map(\.description),
                    apisixTargets: engine.targets(of: key),
                    staleNodes: divergence.stale.sorted().map(\.description),
                    missingNodes: divergence.missing.sorted().map(\.description),
                    pending: engine.pending(key).map {
                        .init(
                            node: $0.node.description,
                            change: $0.kind,
                            since: $0.since,
                            age: max(0, time - $0.since),
                            startKnown: $0.startKnown
                        )
                    }
                )
            )
            services[key.service.description] = service
        }
        var kubernetesSource = StateDocument.Source(
            source: "kubernetes",
            target: kubernetesTarget,
            up: kubernetes.up,
            lastSuccess: kubernetes.lastSuccess,
            lastError: kubernetes.lastFailure?.description
        )
        kubernetesSource.watching = watchOpen
        kubernetesSource.timingSettled = watchOpen && (replayUntil.map { time >= $0 } ?? true)
        let sources =
            [kubernetesSource]
            + targets.values.sorted { $0.target.name < $1.target.name }.map {
                StateDocument.Source(
                    source: "apisix",
                    target: $0.target.name,
                    up: $0.health.up,
                    lastSuccess: $0.health.lastSuccess,
                    lastError: $0.health.lastFailure?.description
                )
            }
        let upstreams = targets.values.sorted { $0.target.name < $1.target.name }.flatMap { state in
            state.mappings.keys.sorted().compactMap { id -> StateDocument.Upstream? in
                guard let mapping = state.mappings[id] else { return nil }
                return StateDocument.Upstream(
                    apisix: state.target.name,
                    id: id,
                    name: state.upstreams[id]?.name,
                    nodes: (state.upstreams[id]?.nodes ?? []).sorted().map(\.description),
                    mapping: mapping
                )
            }
        }
        var document = StateDocument(
            time: time,
            ready: isReady,
            services: services.values.sorted { ($0.namespace, $0.name) < ($1.namespace, $1.name) },
            upstreams: upstreams,
            sources: sources
        )
        document.unobservedByCause = Dictionary(
            uniqueKeysWithValues: unobservedCauses.map { ($0.key.rawValue, $0.value) }
        )
        return document
    }
}
