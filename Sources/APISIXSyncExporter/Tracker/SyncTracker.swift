import Logging

/// Joins the Kubernetes and APISIX sides: feeds the desired node sets (``EndpointSliceIndex``) and every target's
/// observations (``APISIXTargetState``) to the lag engine, and its events to the ``LagEventSink`` (metrics and
/// recommendation windows). The HTTP endpoints read a ``TrackerSnapshot`` and render outside the actor. Every input
/// carries the time it was received, so the tracker itself never reads a clock.
public actor SyncTracker {
    let settings: TrackerSettings
    let metrics: ExporterMetrics
    let logger: Logger
    var engine: LagEngine
    var index: EndpointSliceIndex
    private let mapper: UpstreamMapper
    private var targets: [String: APISIXTargetState] = [:]
    var sink: LagEventSink
    /// Pods, ReplicaSets and the workloads behind each Service (see `SyncTracker+Pods.swift`).
    var podTiming: PodTiming
    private var kubernetes = SourceHealth()
    private var podDiscovery = SourceHealth()
    /// The Kubernetes source's `target` label (the API server's host:port).
    private(set) var kubernetesTarget = "kubernetes"
    private var kubernetesListed = false
    /// The lists in progress, by namespace (nil: all namespaces), folded page by page.
    private var listStaging: [String?: EndpointSliceIndex.Staged] = [:]
    private var watchOpen = false
    private var replayUntil: Timestamp?
    /// False maps every upstream at every remap (tests compare both ways).
    private var incrementalRemap = true
    /// Set while APISIX pod discovery has not listed the pods yet: not ready until it has.
    private var awaitingPodDiscovery = false

    public init(settings: TrackerSettings, targets: [APISIXTarget], metrics: ExporterMetrics, logger: Logger) {
        self.settings = settings
        self.metrics = metrics
        self.logger = logger
        self.engine = LagEngine(
            changeTimeout: settings.changeTimeout,
            maxUncertainty: Self.maxUncertainty(fastPollInterval: settings.fastPollInterval)
        )
        self.mapper = UpstreamMapper(overrides: settings.overrides)
        self.sink = LagEventSink(
            metrics: metrics,
            logger: logger,
            policy: settings.recommendation,
            window: settings.recommendationWindow,
            stageRetention: settings.changeTimeout + 120
        )
        self.index = EndpointSliceIndex(keepsPodReferences: settings.watchPods)
        self.podTiming = PodTiming(enabled: settings.watchPods)
        for target in targets { self.targets[target.name] = APISIXTargetState(target: target) }
    }

    /// Calls `observer` with every change that ends (for benchmarks and tests; must return quickly).
    public func setObserver(_ observer: (@Sendable (ChangeRecord) -> Void)?) { sink.observer = observer }

    /// How stale a target's previous observation may be for a change it reflects to be timed: twice the fast-poll
    /// interval plus a second for request time and scheduling.
    public static func maxUncertainty(fastPollInterval: Double) -> Double { 2 * fastPollInterval + 1 }

    /// Turns incremental remapping off or on; the result must not depend on it (tests check that it does not).
    func setIncrementalRemap(_ enabled: Bool) { incrementalRemap = enabled }

    /// Names the Kubernetes source in metrics (`target` label), e.g. the API server's host:port.
    public func setKubernetesTarget(_ name: String) { kubernetesTarget = name }

    // MARK: Kubernetes

    /// A complete list of slices (initial list or relist): differences to the previous state have unknown start; after
    /// a relist it lies between `earliestStart` (when the view was last known current) and `time`.
    public func kubernetesListed(
        _ slices: [EndpointSlice],
        namespace: String?,
        at time: Timestamp,
        earliestStart: Timestamp? = nil
    ) {
        kubernetesListPage(slices, namespace: namespace, first: true)
        kubernetesListCompleted(namespace: namespace, at: time, earliestStart: earliestStart)
    }

    /// One page of a list: folded into that namespace's staged list (a first page starts it again).
    public func kubernetesListPage(_ slices: [EndpointSlice], namespace: String?, first: Bool) {
        if first { listStaging[namespace] = EndpointSliceIndex.Staged() }
        index.stage(slices, into: &listStaging[namespace, default: EndpointSliceIndex.Staged()])
    }

    /// The staged pages are the complete list: see ``kubernetesListed(_:namespace:at:earliestStart:)``.
    public func kubernetesListCompleted(namespace: String?, at time: Timestamp, earliestStart: Timestamp?) {
        kubernetesSucceeded(at: time)
        let staged = listStaging.removeValue(forKey: namespace) ?? EndpointSliceIndex.Staged()
        let changes = index.replaceAll(staged, inNamespace: namespace)
        for state in targets.values { state.needsFullRemap = true }
        apply(
            changes,
            at: time,
            unknownStart: kubernetesListed ? .relist : .startup,
            earliestStart: kubernetesListed ? earliestStart : nil
        )
        kubernetesListed = true
        // The relist has shown what changed in the gap: outcomes held since the watch failed are final now.
        sink.handle(engine.kubernetesResumed(), at: time)
    }

    /// One watch event, stamped with the time it was received; `startKnown` is false for events replayed after a
    /// slow reconnect, whose real time is somewhere in the gap (which began at `earliestStart`, when known).
    public func kubernetesEvent(
        _ event: WatchEvent,
        at time: Timestamp,
        startKnown: Bool = true,
        earliestStart: Timestamp? = nil
    ) {
        kubernetesSucceeded(at: time)
        let unknownStart: UnobservedCause? = startKnown ? nil : .replayed
        let earliest = startKnown ? nil : earliestStart
        switch event {
        case .added(let slice), .modified(let slice):
            apply(index.upsert(slice), at: time, unknownStart: unknownStart, earliestStart: earliest)
        case .deleted(let slice):
            apply(index.delete(slice), at: time, unknownStart: unknownStart, earliestStart: earliest)
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
        sink.handle(engine.kubernetesResumed(), at: time)
    }

    /// The watch stream ended with an error.
    public func kubernetesWatchClosed() {
        watchOpen = false
    }

    /// A list or watch request failed: pending changes keep their start (the watch resumes without losing events, or
    /// relists), but outcomes are held until it is back.
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

    private func apply(
        _ changes: [DesiredSetChange],
        at time: Timestamp,
        unknownStart: UnobservedCause?,
        earliestStart: Timestamp? = nil
    ) {
        var deleted = Set<ServiceKey>()
        for state in targets.values {
            for change in changes { state.dirtyServices.insert(change.key.service) }
        }
        if changes.contains(where: { $0.old == nil }) {
            // New Service ports: upstreams named after them can be mapped now rather than at the next refresh.
            // The mapping uses the last refresh's node sets, which the engine has already seen.
            for name in targets.keys.sorted() { remap(name, at: time, refresh: false, changed: []) }
        }
        if podTiming.enabled {
            if unknownStart == nil { beginRemovals(changes, at: time) }
            for service in Set(changes.map(\.key.service)) {
                podTiming.refreshWorkloads(of: service, slices: index)
            }
        }
        for change in changes {
            let events = engine.desiredChanged(
                change.key,
                to: change.new,
                at: time,
                unknownStart: unknownStart,
                earliestStart: earliestStart
            )
            sink.handle(events, at: time)
            if change.new == nil { deleted.insert(change.key.service) }
        }
        for service in deleted where index.ports(of: service).isEmpty { sink.forget(service) }
    }

    // MARK: APISIX targets

    /// Makes `/-/ready` wait for APISIX pod discovery's first list (call before the exporter serves).
    public func setAwaitingPodDiscovery(_ awaiting: Bool) { awaitingPodDiscovery = awaiting }

    /// Starts tracking a target found at run time (a discovered APISIX pod); nothing happens if one with its name
    /// is tracked already. Targets that do not gate readiness leave `/-/ready` alone while they come up.
    public func addTarget(_ target: APISIXTarget, gatesReadiness: Bool) {
        guard targets[target.name] == nil else { return }
        targets[target.name] = APISIXTargetState(target: target, gatesReadiness: gatesReadiness)
        logger.info("APISIX target added", metadata: ["target": .string(target.name), "view": "\(target.view)"])
    }

    /// Stops tracking a target that left at `time` (a deleted pod): pending changes it took part in can no longer be
    /// timed and end `unobserved` (a pod leaving is not a lag sample); its series go away.
    public func removeTarget(named name: String, at time: Timestamp) {
        guard let state = targets.removeValue(forKey: name) else { return }
        sink.handle(state.removed(at: time, engine: &engine), at: time)
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
        remap(name, at: time, refresh: true, changed: state.replaceUpstreams(with: upstreams))
    }

    private func remap(
        _ name: String,
        at time: Timestamp,
        refresh: Bool,
        lookAtPending: Bool? = nil,
        changed: Set<String>
    ) {
        guard let state = targets[name] else { return }
        let events = state.remap(
            at: time,
            refresh: refresh,
            lookAtPending: lookAtPending ?? refresh,
            changed: changed,
            index: index,
            mapper: mapper,
            incremental: incrementalRemap,
            engine: &engine
        )
        sink.handle(events, at: time)
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
        sink.handle(state.fetched(id: id, upstream: upstream, at: time, engine: &engine), at: time)
    }

    /// A cheap check at `time` showed the target's config unchanged (standalone `HEAD`): a look at every port with
    /// pending changes, which still shows what the last full read showed.
    public func apisixUnchanged(target name: String, at time: Timestamp) {
        guard let state = targets[name] else { return }
        markSucceeded(state, at: time)
        sink.handle(state.unchanged(at: time, engine: &engine), at: time)
    }

    /// A request to a target failed at `time`.
    public func apisixFailed(target name: String, _ failure: SourceFailure, at time: Timestamp) {
        guard let state = targets[name] else { return }
        engine.setContinuouslyObserved(name, false, at: time)
        engine.targetFailed(name)
        state.needsFullRemap = true
        metrics.countSourceError(source: "apisix", target: name, reason: failure.reason.rawValue)
        if state.health.failed(failure) {
            var metadata: Logger.Metadata = ["source": "apisix", "target": .string(name), "error": "\(failure)"]
            if failure.reason == .unauthorized, !name.hasPrefix(EtcdSettings.targetNamePrefix) {
                metadata["hint"] = "the Admin API rejected the key: check --apisix.admin-key-file or APISIX_ADMIN_KEY"
            }
            logger.warning("source down", metadata: metadata)
        }
    }

    // MARK: APISIX through etcd

    /// The etcd source's stored view at `time`: a range read, or a watch message that changed an upstream, route or
    /// service. As a full refresh, and from now on the view is known current while the watch stays open.
    ///
    /// While the view was already current, a message is a look at the ports it changes only: the engine observes the
    /// target continuously, so the ports it does not change need no look. (Looking at every pending port at every
    /// message made each message cost O(pending ports): most of the etcd source's CPU at 10,000 upstreams.) After a
    /// failure, the first message or read is a look at every pending port, as a full refresh is, and the continuous
    /// observation starts after it.
    public func apisixStored(target name: String, upstreams: [APISIXUpstream], at time: Timestamp) {
        stored(name, at: time) { $0.replaceUpstreams(with: upstreams) }
    }

    /// The etcd source's stored view at `time` after a watch message that wrote or deleted upstream objects only:
    /// the same as ``apisixStored(target:upstreams:at:)`` with the whole list, without diffing every upstream.
    public func apisixStored(
        target name: String,
        upserted: [APISIXUpstream],
        removed: [String],
        at time: Timestamp
    ) {
        guard targets[name]?.refreshed == true else { return }
        stored(name, at: time) { $0.updateUpstreams(upserted, removed: removed) }
    }

    /// The watched source's stored view changed at `time` (`changed` applies it and returns the ids that changed):
    /// from now on the view is known current; a look at every pending port only if it was not current before.
    private func stored(_ name: String, at time: Timestamp, changed: (APISIXTargetState) -> Set<String>) {
        guard let state = targets[name] else { return }
        let wasCurrent = engine.isContinuouslyObserved(name)
        markSucceeded(state, at: time)
        remap(name, at: time, refresh: true, lookAtPending: !wasCurrent, changed: changed(state))
        // From now on every change of the view arrives as a message: the engine needs no looks in between.
        if !wasCurrent { engine.setContinuouslyObserved(name, true, at: time) }
    }

    /// The etcd source's watch is current at `time` without a change: `confirmed` when etcd said so (a progress
    /// notification, a message without changes, a watch reopened with nothing to catch up), else the look loop's
    /// call every fast-poll interval. When the view becomes current, every pending port is looked at, and from then
    /// on the engine observes the target continuously (``LagEngine/setContinuouslyObserved(_:_:at:)``): later calls
    /// have nothing to look at. (The look loop used to look at every pending port every interval: about 8 % of the
    /// instructions at 10,000 upstreams.)
    public func apisixWatchCurrent(target name: String, at time: Timestamp, confirmed: Bool) {
        let current = engine.isContinuouslyObserved(name)
        guard let state = targets[name], confirmed || current else { return }
        markSucceeded(state, at: time)
        guard !current else { return }
        sink.handle(state.look(at: engine.keysWithPendingWork(target: name), time: time, engine: &engine), at: time)
        engine.setContinuouslyObserved(name, true, at: time)
    }

    /// The etcd source's watch opened again at `time` and is catching up: the source is up, but until the missed
    /// events arrive (or etcd confirms there are none) the view is not known current.
    public func apisixWatchOpened(target name: String, at time: Timestamp) {
        guard let state = targets[name] else { return }
        markSucceeded(state, at: time)
    }

    /// A stored value the etcd source could not decode (counted under `bad_response`, logged): it changes nothing.
    public func apisixValueRejected(target name: String, key: String, reason: String) {
        guard targets[name] != nil else { return }
        metrics.countSourceError(source: "apisix", target: name, reason: SourceFailure.Reason.badResponse.rawValue)
        logger.warning(
            "stored value rejected: it changes nothing until a valid value is written",
            metadata: ["source": "apisix", "target": .string(name), "key": .string(key), "error": .string(reason)]
        )
    }

    private func markSucceeded(_ state: APISIXTargetState, at time: Timestamp) {
        if state.health.succeeded(at: time) {
            logger.info("source up", metadata: ["source": "apisix", "target": .string(state.name)])
        }
        engine.targetRecovered(state.name)
    }

    /// Upstream ids of a target that have changes waiting for it: what fast polling fetches.
    public func pendingUpstreams(target name: String) -> [String] {
        targets[name]?.pendingUpstreams(engine) ?? []
    }

    // MARK: Time

    /// Ends changes that waited longer than `--change-timeout`.
    public func tick(at time: Timestamp) {
        resumeIfSettled(at: time)
        sink.handle(engine.expire(at: time), at: time)
        sink.prune(at: time)
        expireAwaitedDeletions(at: time)
    }

    // MARK: Queries

    /// How much per-Service state is held (tests check that deleted Services leave none behind).
    func retainedState() -> (ports: Int, windows: Int, indexServices: Int) {
        (engine.keys.count, sink.serviceRemovals.count + sink.serviceAdditions.count, index.services.count)
    }

    /// Service ports that exist in Kubernetes and that at least one APISIX upstream maps to: the ones measured, and
    /// the only ones with per-Service series, rows and state.
    private var measuredKeys: [ServicePortKey] {
        engine.unsortedKeys.filter { index.endpoints(of: $0) != nil && engine.isObserved($0) }.sorted()
    }

    /// 200 on `/-/ready`: the first EndpointSlice list is in and every APISIX target answered a full refresh.
    public var isReady: Bool {
        kubernetesListed && !awaitingPodDiscovery && !targets.isEmpty
            && targets.values.allSatisfy { $0.refreshed || !$0.gatesReadiness }
    }

    /// The overall recommendation at `time`.
    public func recommendation(at time: Timestamp) -> Recommendation { sink.recommendation(at: time) }

    /// One recommendation per Service with removal samples in the window.
    public func serviceRecommendations(at time: Timestamp) -> [(ServiceKey, Recommendation)] {
        sink.serviceRecommendations(at: time)
    }

    /// Every measured port's gauges summed per Service, in one pass over the engine's ports: what a scrape needs.
    private var scrapedServices: [ServiceKey: ExporterMetrics.GaugeSnapshot.ServiceState] {
        var services: [ServiceKey: ExporterMetrics.GaugeSnapshot.ServiceState] = [:]
        services.reserveCapacity(index.serviceCount)
        let index = index
        let measured: (ServicePortKey) -> Bool = { index.endpoints(of: $0) != nil }
        engine.forEachObservedPort(where: measured) { key, gauges in
            services[key.service, default: .init()].add(
                pending: gauges.pendingSummary,
                stale: gauges.stale,
                missing: gauges.missing
            )
        }
        return services
    }

    /// Every measured port sorted, with its sets when `full`.
    private func measuredPorts(full: Bool) -> [TrackerSnapshot.Port] {
        measuredKeys.map { key in
            let divergence = engine.divergenceCounts(key)
            var port = TrackerSnapshot.Port(
                key: key,
                pendingSummary: engine.pendingSummary(key),
                staleCount: divergence.stale,
                missingCount: divergence.missing
            )
            if full {
                let sets = engine.divergence(key)
                port.desired = engine.desired(key) ?? []
                port.targets = engine.targets(of: key)
                port.pending = engine.pending(key)
                port.stale = sets.stale
                port.missing = sets.missing
            }
            return port
        }
    }

    /// A copy of the state at `time`, as detailed as `detail` asks.
    func snapshot(at time: Timestamp, detail: TrackerSnapshot.Detail) -> TrackerSnapshot {
        let full = detail >= .state
        let ports = detail >= .status ? measuredPorts(full: full) : []
        let serviceGauges = detail >= .status ? [:] : scrapedServices
        let targetStates = targets.values.sorted { $0.name < $1.name }.map { state in
            var target = TrackerSnapshot.Target(
                name: state.name,
                health: state.health,
                mappingCounts: state.mappingCounts
            )
            if full {
                target.upstreams = state.mappings.keys.sorted().compactMap { id in
                    guard let mapping = state.mappings[id] else { return nil }
                    return StateDocument.Upstream(
                        apisix: state.name,
                        id: id,
                        name: state.upstreams[id]?.name,
                        nodes: (state.upstreams[id]?.nodes ?? []).sorted().map(\.description),
                        mapping: mapping
                    )
                }
            }
            return target
        }
        var snapshot = TrackerSnapshot(
            time: time,
            ready: isReady,
            ports: ports,
            kubernetesTarget: kubernetesTarget,
            kubernetes: kubernetes,
            watching: watchOpen,
            timingSettled: watchOpen && (replayUntil.map { time >= $0 } ?? true),
            targets: targetStates,
            recommendation: sink.recommendation(at: time),
            policy: settings.recommendation,
            window: settings.recommendationWindow,
            resolution: settings.fastPollInterval
        )
        snapshot.serviceGauges = serviceGauges
        snapshot.podWatchEnabled = podTiming.enabled
        snapshot.podWatchDisabledReason = podTiming.disabledReason
        snapshot.podSources = podTiming.health.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
        if podTiming.enabled {
            let measured = detail >= .status ? Set(ports.map(\.key.service)) : Set(serviceGauges.keys)
            snapshot.serviceWorkloads = podTiming.serviceWorkloads.filter { measured.contains($0.key) }
            snapshot.serviceRemovalWindows = sink.serviceRemovals
        }
        if detail >= .status {
            snapshot.serviceRecommendations = sink.serviceRecommendations(at: time)
            snapshot.removals = sink.removals.summary(at: time)
            snapshot.additions = sink.additions.summary(at: time)
            let measured = Set(ports.map(\.key.service))
            for service in measured {
                if let window = sink.serviceRemovals[service] {
                    snapshot.serviceRemovals[service] = window.summary(at: time)
                }
                if let window = sink.serviceAdditions[service] {
                    snapshot.serviceAdditions[service] = window.summary(at: time)
                }
            }
            snapshot.unobservedCauses = sink.unobservedCauses
        }
        return snapshot
    }

    /// The state the gauges show, for ``ExporterMetrics/exposition(gauges:)``; rendered outside the tracker.
    public nonisolated func gaugeSnapshot(at time: Timestamp) async -> ExporterMetrics.GaugeSnapshot {
        ExporterMetrics.GaugeSnapshot(await snapshot(at: time, detail: .gauges))
    }

    /// What the status page shows; built outside the tracker.
    public nonisolated func statusSnapshot(at time: Timestamp) async -> StatusSnapshot {
        StatusSnapshot(await snapshot(at: time, detail: .status))
    }

    /// The document served at `/api/v1/workloads`; built outside the tracker.
    public nonisolated func workloads(at time: Timestamp) async -> WorkloadsDocument {
        WorkloadsDocument(await snapshot(at: time, detail: .gauges))
    }

    /// The document served at `/api/v1/state`; built outside the tracker.
    public nonisolated func state(at time: Timestamp) async -> StateDocument {
        StateDocument(await snapshot(at: time, detail: .state))
    }
}
