/// Times every change of a Service port's desired node set until every APISIX target reflects it.
///
/// Pure logic: no I/O, and every method takes the time of the event it reports, so tests drive it with any clock.
/// See `docs/measurement.md` for the rules; in short, a removal is reflected when no upstream mapped to the port
/// routes to the node any more, an addition when every mapped upstream does. A change whose start and end were both
/// observed is a sample (`synced`); one whose end is only known within bounds keeps its bounds (`censored`); one
/// reverted before APISIX reflected it keeps a lower bound (`superseded`); only a change whose start, or whose
/// applying write, is unknown ends without a number (`unobserved`).
public struct LagEngine: Sendable {
    struct PortState: Sendable {
        var desired: Set<NodeAddress>?
        var pending: [NodeAddress: PendingChange] = [:]
        var observed: [String: ObservedNodes] = [:]
        /// When each target was last observed for this port.
        var lastObserved: [String: Timestamp] = [:]
        /// Reverts that no target had to act on: if a target applies the reverted change late anyway, the revert is
        /// timed from here (see `docs/measurement.md`, "late stale writes").
        var ghosts: [NodeAddress: UnappliedRevert] = [:]
        /// Outcomes of changes that completed while the Kubernetes watch was interrupted, held until the watch is
        /// back: a revert inside the gap, replayed or found by the relist, turns them into `superseded`.
        var held: [NodeAddress: [LagEvent]] = [:]
        /// Targets whose requests failed since their last look at this port (timing of late stale writes).
        var interruptedTargets: Set<String> = []
        /// Nodes whose writes may be out of order (a revert nobody applied, then more changes): the last Kubernetes
        /// change of each. A change within the settling horizon of it has an ambiguous end.
        var unsettled: [NodeAddress: Timestamp] = [:]
        /// The largest exact Service lag seen on the port: how long a controller may still hold stale writes.
        var maxLag: Double?

        /// Whether anything of the port can expire with time (see ``LagEngine/expire(at:)``).
        var mayExpire: Bool { !pending.isEmpty || !ghosts.isEmpty || !unsettled.isEmpty }

        /// How many changes are pending per kind, and since when the oldest of each.
        var pendingSummary: [ChangeKind: (count: Int, oldest: Timestamp)] {
            guard !pending.isEmpty else { return [:] }
            var summary: [ChangeKind: (count: Int, oldest: Timestamp)] = [:]
            for change in pending.values {
                let previous = summary[change.kind]
                summary[change.kind] = ((previous?.count ?? 0) + 1, min(previous?.oldest ?? change.since, change.since))
            }
            return summary
        }

        /// ``countDivergence()`` as of the last ``LagEngine/store(_:for:)`` (the only way desired and observed sets
        /// change), so that a scrape reads it instead of comparing every port's sets.
        var divergence: (stale: Int, missing: Int) = (0, 0)

        /// The sizes of ``LagEngine/divergence(_:)`` without building the sets: a target in sync (the usual case)
        /// costs a set comparison.
        func countDivergence() -> (stale: Int, missing: Int) {
            guard let desired else { return (0, 0) }
            var stale = 0
            var missing = 0
            for observed in observed.values {
                let unionInSync = observed.union == desired
                if !unionInSync {
                    stale = max(stale, observed.union.reduce(0) { desired.contains($1) ? $0 : $0 + 1 })
                }
                // One upstream (the usual case): both views are one set, compared once (equal storage compares at
                // once).
                let intersectionInSync =
                    observed.intersection == observed.union ? unionInSync : observed.intersection == desired
                if !intersectionInSync {
                    missing = max(missing, desired.reduce(0) { observed.intersection.contains($1) ? $0 : $0 + 1 })
                }
            }
            return (stale, missing)
        }
    }

    /// How long after a node's last change its writes may still arrive out of order: the port's largest lag so far
    /// plus the uncertainty of a look (``lateWriteWatch`` while no lag is known), at most the change timeout.
    func settlingHorizon(_ state: PortState) -> Double {
        min(changeTimeout, (state.maxLag ?? Self.lateWriteWatch) + (maxUncertainty.isFinite ? maxUncertainty : 1))
    }

    /// How long a revert nobody applied is watched closely (fast polls) for the late write of the reverted change.
    public static let lateWriteWatch: Double = 30

    /// Changes pending longer than this end as `timeout`.
    public var changeTimeout: Double
    /// A target seen reflecting a change by an observation more than this many seconds after the later of the
    /// change and the target's previous observation (polling stalled, e.g. in backoff) has an imprecise end: the
    /// change is censored between the two looks.
    public var maxUncertainty: Double
    /// At most this many changes of one Service port are pending; beyond it the oldest ends `unobserved` (the
    /// exporter stops looking for its end), so a stuck controller under churn cannot grow memory without bound.
    public var maxPendingPerPort: Int
    private var ports: [ServicePortKey: PortState] = [:]
    /// Ports with at least one pending change, so that the pollers' question "what is pending?" does not scan all.
    private var pendingKeys: Set<ServicePortKey> = []
    /// Ports whose state has something that can expire (``PortState/mayExpire``): the only ones ``expire(at:)``
    /// visits, once a second, instead of all 10,000.
    private var expiringKeys: Set<ServicePortKey> = []
    /// Ports with held outcomes (see ``kubernetesInterrupted(expired:)``).
    private var heldKeys: Set<ServicePortKey> = []
    /// Ports with a recent revert nobody applied whose reverted change had a known start: fast-polled for a while so
    /// that a late write of it is seen when it happens.
    private var lateWriteKeys: Set<ServicePortKey> = []
    private var unhealthyTargets: Set<String> = []
    /// Targets whose view is continuously current (``setContinuouslyObserved(_:_:at:)``): for them the last look is
    /// always now.
    private var continuouslyObserved: Set<String> = []
    /// Whether the Kubernetes watch is interrupted: outcomes are held until ``kubernetesResumed()``.
    public private(set) var kubernetesGap = false

    public init(changeTimeout: Double, maxUncertainty: Double = .infinity, maxPendingPerPort: Int = 10_000) {
        self.changeTimeout = changeTimeout
        self.maxUncertainty = maxUncertainty
        self.maxPendingPerPort = max(1, maxPendingPerPort)
    }

    // MARK: Kubernetes side

    /// The desired (ready) node set of a Service port changed at `time`.
    ///
    /// - Parameters:
    ///   - new: the new set; nil when the Service was deleted (its state is dropped without outcomes).
    ///   - unknownStart: why the change happened at an unknown time (found by a relist, a replayed event); nil when
    ///     the event was received live.
    public mutating func desiredChanged(
        _ key: ServicePortKey,
        to new: Set<NodeAddress>?,
        at time: Timestamp,
        unknownStart: UnobservedCause?,
        earliestStart: Timestamp? = nil
    ) -> [LagEvent] {
        let gapChange = unknownStart == .relist || unknownStart == .replayed
        let earliestStart = gapChange ? earliestStart.map { min($0, time) } : nil
        guard let new else {
            ports[key] = nil
            pendingKeys.remove(key)
            expiringKeys.remove(key)
            heldKeys.remove(key)
            lateWriteKeys.remove(key)
            return []
        }
        var state = ports[key] ?? PortState()
        let previous = state.desired
        state.desired = new
        var events: [LagEvent] = []
        if let previous {
            for node in previous.subtracting(new).sorted() {
                change(
                    node,
                    .remove,
                    in: &state,
                    key: key,
                    at: time,
                    unknownStart: unknownStart,
                    earliestStart: earliestStart,
                    events: &events
                )
            }
            for node in new.subtracting(previous).sorted() {
                change(
                    node,
                    .add,
                    in: &state,
                    key: key,
                    at: time,
                    unknownStart: unknownStart,
                    earliestStart: earliestStart,
                    events: &events
                )
            }
        } else {
            // First sight of the port: any divergence from APISIX started at an unknown time.
            trackDivergence(in: &state, key: key, at: time, cause: .startup, events: &events)
        }
        bound(&state, key: key, events: &events)
        store(state, for: key)
        return events
    }

    /// ``desiredChanged(_:to:at:unknownStart:)`` with a start that is known, or unknown because of a relist.
    public mutating func desiredChanged(
        _ key: ServicePortKey,
        to new: Set<NodeAddress>?,
        at time: Timestamp,
        startKnown: Bool = true
    ) -> [LagEvent] {
        desiredChanged(key, to: new, at: time, unknownStart: startKnown ? nil : .relist)
    }

    /// Ends the oldest pending changes (outcome `unobserved`) and forgets the oldest reverts beyond
    /// `maxPendingPerPort`.
    private func bound(_ state: inout PortState, key: ServicePortKey, events: inout [LagEvent]) {
        defer { if state.ghosts.isEmpty { state.interruptedTargets = [] } }
        if state.pending.count > maxPendingPerPort {
            let oldest = state.pending.values.sorted { ($0.since, $0.node) < ($1.since, $1.node) }
            for pending in oldest.prefix(state.pending.count - maxPendingPerPort) {
                state.pending[pending.node] = nil
                events.append(.unobserved(key, pending.kind, .pendingLimit, node: pending.node))
            }
        }
        if state.ghosts.count > maxPendingPerPort {
            let oldest = state.ghosts.sorted { ($0.value.since, $0.key) < ($1.value.since, $1.key) }
            for (node, ghost) in oldest.prefix(state.ghosts.count - maxPendingPerPort) {
                state.ghosts[node] = nil
                forget(ghost, key: key, node: node, events: &events)
            }
        }
    }

    private mutating func change(
        _ node: NodeAddress,
        _ kind: ChangeKind,
        in state: inout PortState,
        key: ServicePortKey,
        at time: Timestamp,
        unknownStart: UnobservedCause?,
        earliestStart: Timestamp?,
        events: inout [LagEvent]
    ) {
        var exempt = Set<String>()
        if let existing = state.pending[node], existing.kind == kind { return }
        var earliestStart = earliestStart
        var ambiguousEnd = false
        if let last = state.unsettled[node] {
            if time - last < settlingHorizon(state) {
                // Stale writes of the node's earlier flaps may still be queued: this change's end is ambiguous.
                state.unsettled[node] = time
                ambiguousEnd = true
            } else {
                state.unsettled[node] = nil
            }
        }
        if let held = state.held.removeValue(forKey: node) {
            // The change completed while the watch was interrupted, and the watch now shows it reverted at an unknown
            // time in the gap: whether APISIX applied it before or after the revert is unknown.
            for case .synced(_, let heldKind, _, _) in held {
                events.append(.superseded(key, heldKind, atLeast: nil, node: node))
            }
            for case .censored(_, let heldKind, _, _, _) in held {
                events.append(.superseded(key, heldKind, atLeast: nil, node: node))
            }
            if state.held.isEmpty { heldKeys.remove(key) }
        }
        // A recent revert nobody applied may still be written late: a reflection of this change could be that stale
        // write, so this change cannot be timed.
        if let ghost = state.ghosts.removeValue(forKey: node) {
            // A reflection of this change could be the late write of the reverted one.
            ambiguousEnd = true
            state.unsettled[node] = time
            earliestStart = nil
            forget(ghost, key: key, node: node, events: &events)
        }
        if let existing = state.pending.removeValue(forKey: node) {
            // Kubernetes reverted the change before every target reflected it.
            let atLeast = lowerBound(of: existing, in: state, at: time)
            let applied = Set(existing.targets.filter { $0.value.reflectedAt != nil }.keys)
            if applied.isEmpty {
                // No target acted on it, so nothing is left to sync, unless one applies the stale change late: then
                // that write is its lag (when the node's writes are in order). Until the revert is forgotten, only
                // the outcome is reported.
                state.unsettled[node] = time
                let attributable = !existing.ambiguousEnd && !ambiguousEnd
                events.append(.superseded(key, existing.kind, atLeast: attributable ? nil : atLeast, node: node))
                let reverted = atLeast.flatMap {
                    attributable
                        ? UnappliedRevert.Reverted(kind: existing.kind, since: existing.since, atLeast: $0) : nil
                }
                // A reverted change of unknown start (e.g. itself made while an older revert could still be written
                // late) leaves a chain of stale writes queued: which one a late write is cannot be told apart.
                state.ghosts[node] = UnappliedRevert(
                    kind: kind,
                    since: time,
                    timed: unknownStart == nil && existing.startKnown && attributable,
                    reverted: reverted
                )
                if reverted != nil { lateWriteKeys.insert(key) }
                return
            }
            events.append(.superseded(key, existing.kind, atLeast: atLeast, node: node))
            exempt = Set(existing.targets.keys).subtracting(applied)
        }
        guard !state.observed.isEmpty else { return }
        var pending = PendingChange(node: node, kind: kind, since: time, unknownStart: unknownStart, targets: [:])
        if unknownStart == .relist || unknownStart == .replayed { pending.earliestStart = earliestStart }
        pending.ambiguousEnd = ambiguousEnd && unknownStart == nil
        for (target, observed) in state.observed {
            let healthy = !unhealthyTargets.contains(target)
            var progress = PendingChange.Progress(interrupted: !healthy)
            if exempt.contains(target) {
                progress.reflectedAt = time
                progress.recordsInstanceLag = false
            } else if healthy, observed.reflects(kind, of: node) {
                // The target routed the new way before the change happened (its last look predates the event): a
                // node the controller never added, or a stale write it has yet to undo. When it takes this change
                // is unknown; recording 0 here would be a sample the controller never earned.
                progress.reflectedAt = time
                progress.unobserved = .reflectedBeforeChange
                progress.recordsInstanceLag = false
            }
            pending.targets[target] = progress
        }
        finish(pending, in: &state, key: key, events: &events)
    }

    /// A revert nobody applied is forgotten: the reverted change's lag is known only to exceed its lower bound.
    private func forget(_ ghost: UnappliedRevert, key: ServicePortKey, node: NodeAddress, events: inout [LagEvent]) {
        guard let reverted = ghost.reverted else { return }
        events.append(.supersededLag(key, reverted.kind, .atLeast(reverted.atLeast), node: node))
    }

    /// What the lag of a change reverted at `time` is known to have exceeded: for each target, its (lower) end if it
    /// reflected the change, else its last look, which showed the change unreflected. Nil when the start is unknown.
    private func lowerBound(of pending: PendingChange, in state: PortState, at time: Timestamp) -> Double? {
        // A start somewhere in a watch gap came no later than `since`: the bound from `since` still holds.
        guard pending.startKnown || pending.earliestStart != nil else { return nil }
        var bound = 0.0
        for (target, progress) in pending.targets {
            let end: Timestamp
            if let reflectedAt = progress.reflectedAt {
                end = progress.reflectedAfter ?? reflectedAt
            } else {
                end = min(time, max(pending.since, lastLook(in: state, target: target, at: time) ?? pending.since))
            }
            bound = max(bound, end - pending.since)
        }
        return bound
    }

    /// Adds pending changes of unknown start for every node on which APISIX and Kubernetes disagree.
    private mutating func trackDivergence(
        in state: inout PortState,
        key: ServicePortKey,
        at time: Timestamp,
        cause: UnobservedCause,
        events: inout [LagEvent]
    ) {
        guard let desired = state.desired, !state.observed.isEmpty else { return }
        var divergent: [(NodeAddress, ChangeKind)] = []
        for (_, observed) in state.observed {
            divergent += observed.union.subtracting(desired).map { ($0, .remove) }
            divergent += desired.subtracting(observed.intersection).map { ($0, .add) }
        }
        for (node, kind) in divergent where state.pending[node] == nil {
            var pending = PendingChange(node: node, kind: kind, since: time, unknownStart: cause, targets: [:])
            for (target, observed) in state.observed {
                let reflected = !unhealthyTargets.contains(target) && observed.reflects(kind, of: node)
                pending.targets[target] = .init(
                    reflectedAt: reflected ? time : nil,
                    unobserved: cause,
                    recordsInstanceLag: false
                )
            }
            finish(pending, in: &state, key: key, events: &events)
        }
    }

    // MARK: APISIX side

    /// What `target` routes to for `key`, seen by a request that completed at `time`; nil when the target no longer
    /// has an upstream mapped to the port (pending changes lose that target and end `unobserved`).
    ///
    /// - Parameter fresh: false when the node sets come from an earlier fetch (a remap between refreshes): such an
    ///   observation is not a look at `time`, so it neither shows a change still unreflected at `time` nor times one.
    public mutating func observed(
        _ nodes: ObservedNodes?,
        target: String,
        for key: ServicePortKey,
        at time: Timestamp,
        fresh: Bool = true
    ) -> [LagEvent] {
        if fresh, let nodes, lookedAgain(nodes, target: target, for: key, at: time) { return [] }
        var state = ports[key] ?? PortState()
        var events: [LagEvent] = []
        guard let nodes else {
            guard state.observed.removeValue(forKey: target) != nil else { return [] }
            state.lastObserved[target] = nil
            for (node, var pending) in state.pending where pending.targets[target] != nil {
                pending.targets[target] = nil
                if pending.unknownStart == nil { pending.unknownStart = .mappingChanged }
                pending.earliestStart = nil
                state.pending[node] = nil
                if pending.targets.isEmpty {
                    events.append(.unobserved(key, pending.kind, .mappingChanged, node: node))
                } else {
                    finish(pending, in: &state, key: key, events: &events)
                }
            }
            store(state, for: key)
            return events
        }
        let isNew = state.observed[target] == nil
        state.observed[target] = nodes
        let previousObservation = lastLook(in: state, target: target, at: time)
        if fresh || isNew { state.lastObserved[target] = time }
        if isNew {
            // The target joins mid-change: whatever it shows, its part of pending changes has no known start.
            for (node, var pending) in state.pending {
                pending.targets[target] = .init(
                    reflectedAt: nodes.reflects(pending.kind, of: node) ? time : nil,
                    unobserved: .targetJoined,
                    recordsInstanceLag: false
                )
                state.pending[node] = nil
                finish(pending, in: &state, key: key, events: &events)
            }
            trackDivergence(in: &state, key: key, at: time, cause: .startup, events: &events)
            bound(&state, key: key, events: &events)
        }
        for (node, var pending) in state.pending {
            guard var progress = pending.targets[target], progress.reflectedAt == nil else { continue }
            guard nodes.reflects(pending.kind, of: node) else {
                if progress.interrupted, fresh {
                    // A good look after the failures still shows the change unreflected: its end stays exact.
                    progress.interrupted = false
                    pending.targets[target] = progress
                    state.pending[node] = pending
                }
                continue
            }
            progress.reflectedAt = time
            let lastLook = max(pending.since, previousObservation ?? -.infinity)
            progress.lastLookBefore = min(time, lastLook)
            if progress.interrupted || !fresh || time - lastLook > maxUncertainty {
                // A request failed, or the target was not looked at for too long, since the last look that showed
                // the change unreflected: the end lies between the two looks.
                progress.reflectedAfter = min(time, lastLook)
            }
            pending.targets[target] = progress
            if pending.startKnown, !pending.ambiguousEnd, progress.unobserved == nil, progress.reflectedAfter == nil,
                progress.recordsInstanceLag
            {
                emit(
                    .instanceSynced(target: target, key, pending.kind, lag: max(0, time - pending.since), node: node),
                    in: &state,
                    key: key,
                    events: &events
                )
            }
            state.pending[node] = nil
            finish(pending, in: &state, key: key, events: &events)
        }
        trackLateStaleWrites(
            in: &state,
            key: key,
            target: target,
            nodes: nodes,
            previousObservation: fresh ? previousObservation : nil,
            at: time,
            events: &events
        )
        if fresh { state.interruptedTargets.remove(target) }
        store(state, for: key)
        return events
    }

    /// A fresh look that shows what the target's previous look at `key` showed, when nothing else can follow from
    /// it: no pending change of the target is reflected by the view or waits for a good look after a failed request,
    /// and no revert is watched for a late write. Then only the time of the last look moves (in place, without copying
    /// the port's state), exactly what the general path would do. False, and nothing done, otherwise.
    private mutating func lookedAgain(
        _ nodes: ObservedNodes,
        target: String,
        for key: ServicePortKey,
        at time: Timestamp
    ) -> Bool {
        guard let index = ports.index(forKey: key), Self.showsNothingNew(ports.values[index], nodes, target: target)
        else { return false }
        ports.values[index].lastObserved[target] = time
        ports.values[index].interruptedTargets.remove(target)
        return true
    }

    private static func showsNothingNew(_ state: PortState, _ nodes: ObservedNodes, target: String) -> Bool {
        guard state.ghosts.isEmpty, state.lastObserved[target] != nil, state.observed[target] == nodes else {
            return false
        }
        return !state.pending.values.contains { pending in
            guard let progress = pending.targets[target], progress.reflectedAt == nil else { return false }
            return progress.interrupted || nodes.reflects(pending.kind, of: pending.node)
        }
    }

    /// A target that shows a reverted change no target had applied (a controller writing a stale node set late)
    /// must revert it too: that is timed from the revert. The late write is also when the reverted change was applied:
    /// with one target and a known revert time, its lag (exact when the previous look was recent and no request failed
    /// in between, else an interval).
    private mutating func trackLateStaleWrites(
        in state: inout PortState,
        key: ServicePortKey,
        target: String,
        nodes: ObservedNodes,
        previousObservation: Timestamp?,
        at time: Timestamp,
        events: inout [LagEvent]
    ) {
        for (node, ghost) in state.ghosts where state.pending[node] == nil && !nodes.reflects(ghost.kind, of: node) {
            state.ghosts[node] = nil
            if let reverted = ghost.reverted {
                let lastLook = max(reverted.since, previousObservation ?? reverted.since)
                let sample: LagSample
                if !ghost.timed || state.observed.count > 1 {
                    // Which write this was is uncertain, or other targets may never apply it: a lower bound only.
                    sample = .atLeast(max(reverted.atLeast, lastLook - reverted.since))
                } else if previousObservation == nil || state.interruptedTargets.contains(target)
                    || time - lastLook > maxUncertainty
                {
                    sample = .interval(lower: max(0, lastLook - reverted.since), upper: time - reverted.since)
                } else {
                    sample = .exact(time - reverted.since)
                }
                emit(.supersededLag(key, reverted.kind, sample, node: node), in: &state, key: key, events: &events)
            }
            var pending = PendingChange(
                node: node,
                kind: ghost.kind,
                since: ghost.since,
                unknownStart: ghost.timed ? nil : .unappliedRevert,
                targets: [:]
            )
            for (other, observed) in state.observed {
                if other == target || !observed.reflects(ghost.kind, of: node) {
                    pending.targets[other] = .init(interrupted: unhealthyTargets.contains(other))
                } else {
                    pending.targets[other] = .init(reflectedAt: ghost.since, recordsInstanceLag: false)
                }
            }
            state.pending[node] = pending
        }
    }

    /// A request to `target` failed: a reflection of a pending change that the next good look shows is censored
    /// (its end lies between the last look before the failure and that look), unless a good look shows the change
    /// still unreflected first.
    public mutating func targetFailed(_ target: String) {
        unhealthyTargets.insert(target)
        for key in lateWriteKeys { ports[key]?.interruptedTargets.insert(target) }
        for key in pendingKeys {
            guard var state = ports[key] else { continue }
            var changed = false
            for (node, var pending) in state.pending {
                guard var progress = pending.targets[target], progress.reflectedAt == nil, !progress.interrupted
                else { continue }
                progress.interrupted = true
                pending.targets[target] = progress
                state.pending[node] = pending
                changed = true
            }
            if changed { store(state, for: key) }
        }
    }

    /// A request to `target` succeeded again.
    public mutating func targetRecovered(_ target: String) {
        unhealthyTargets.remove(target)
    }

    /// Whether `target`'s view is continuously current from `time` on: a watched source whose watch is open and
    /// caught up hands every change of its view to the engine as it happens, so a look at any moment would show its
    /// last observation, and no look is needed to keep the uncertainty of an end (or the lower bound of a reverted
    /// change) small. Turn it on after the observation that made the view current (its look still counts from the
    /// looks before), and off when the view stops being known current (a failure): the ports' last look is then
    /// `time`, as if the target had been looked at until then.
    public mutating func setContinuouslyObserved(_ target: String, _ continuous: Bool, at time: Timestamp) {
        if continuous {
            continuouslyObserved.insert(target)
            return
        }
        guard continuouslyObserved.remove(target) != nil else { return }
        for index in ports.indices where ports.values[index].lastObserved[target] != nil {
            ports.values[index].lastObserved[target] = time
        }
    }

    /// Whether `target`'s view is continuously current (a watch open and caught up since the last failure).
    public func isContinuouslyObserved(_ target: String) -> Bool {
        continuouslyObserved.contains(target)
    }

    /// When `target` last looked at a port, as of `time`: now for a continuously observed target that has looked at
    /// it, else its last observation; nil when it never did.
    private func lastLook(in state: PortState, target: String, at time: Timestamp) -> Timestamp? {
        guard let last = state.lastObserved[target] else { return nil }
        return continuouslyObserved.contains(target) ? max(last, time) : last
    }

    /// The Kubernetes watch failed. A watch that resumes from its last resourceVersion loses no event (a revert in the
    /// gap arrives, replayed, when it is back), so pending changes keep their start; but outcomes of changes that
    /// complete before the watch is back are held (``kubernetesResumed()``), since a revert inside the gap would make
    /// them stale writes. `expired` (410: the watch cannot resume and the exporter relists): reverts nobody applied
    /// are kept, but their time is no longer certain, so a late write of one is tracked without being timed.
    public mutating func kubernetesInterrupted(expired: Bool) {
        kubernetesGap = true
        guard expired else { return }
        for key in Array(ports.keys) {
            guard var state = ports[key], !state.ghosts.isEmpty else { continue }
            for node in Array(state.ghosts.keys) { state.ghosts[node]?.timed = false }
            store(state, for: key)
        }
    }

    /// The watch is back and has delivered the gap (replayed events, or the relist's differences): the outcomes held
    /// since ``kubernetesInterrupted(expired:)`` that no revert superseded are released.
    public mutating func kubernetesResumed() -> [LagEvent] {
        kubernetesGap = false
        var events: [LagEvent] = []
        for key in heldKeys.sorted() {
            guard var state = ports[key] else { continue }
            for node in state.held.keys.sorted() { events += state.held[node] ?? [] }
            state.held = [:]
            ports[key] = state
        }
        heldKeys = []
        return events
    }

    // MARK: Time

    /// Ends every change pending for longer than `changeTimeout` with outcome `timeout`.
    public mutating func expire(at time: Timestamp) -> [LagEvent] {
        retireLateWriteWatches(at: time)
        var events: [LagEvent] = []
        for key in Array(expiringKeys) {
            guard var state = ports[key] else { continue }
            if !state.unsettled.isEmpty {
                let horizon = settlingHorizon(state)
                if state.unsettled.values.contains(where: { time - $0 >= horizon }) {
                    state.unsettled = state.unsettled.filter { time - $0.value < horizon }
                    store(state, for: key)
                }
            }
            if state.ghosts.values.contains(where: { time - $0.since >= changeTimeout }) {
                for (node, ghost) in state.ghosts where time - ghost.since >= changeTimeout {
                    state.ghosts[node] = nil
                    forget(ghost, key: key, node: node, events: &events)
                }
                store(state, for: key)
            }
            let expired = state.pending.values.filter { time - $0.since >= changeTimeout }
            guard !expired.isEmpty else { continue }
            for pending in expired.sorted(by: { $0.node < $1.node }) {
                state.pending[pending.node] = nil
                events.append(.timedOut(key, pending.kind, node: pending.node))
            }
            store(state, for: key)
        }
        return events
    }

    private mutating func finish(
        _ pending: PendingChange,
        in state: inout PortState,
        key: ServicePortKey,
        events: inout [LagEvent]
    ) {
        guard pending.isComplete else {
            state.pending[pending.node] = pending
            return
        }
        state.pending[pending.node] = nil
        let targetCause = pending.targets.values.compactMap(\.unobserved).min()
        // A start in a watch gap (relist, replayed event) is known within the gap: the lag is censored by it.
        let earliestStart = targetCause == nil ? pending.earliestStart : nil
        if earliestStart == nil, let cause = pending.unknownStart ?? targetCause {
            events.append(.unobserved(key, pending.kind, cause, node: pending.node))
            return
        }
        // The Service-level lag is the largest target lag; with censored targets, the largest of each bound.
        var lower = pending.since
        var upper = pending.since
        for progress in pending.targets.values {
            guard let reflectedAt = progress.reflectedAt else { continue }
            upper = max(upper, reflectedAt)
            lower = max(lower, progress.reflectedAfter ?? reflectedAt)
        }
        if pending.ambiguousEnd {
            // The first reflection may be a stale write: the change's own write came at or after it, so the lag
            // exceeded the last look before it.
            var bound = 0.0
            for progress in pending.targets.values where progress.recordsInstanceLag {
                guard let reflectedAt = progress.reflectedAt else { continue }
                bound = max(bound, (progress.lastLookBefore ?? reflectedAt) - pending.since)
            }
            events.append(.censored(key, pending.kind, lower: max(0, bound), upper: .infinity, node: pending.node))
            return
        }
        let start = earliestStart ?? pending.since
        if lower >= upper, start >= pending.since {
            state.maxLag = max(state.maxLag ?? 0, upper - pending.since)
        }
        let event: LagEvent =
            lower >= upper && start >= pending.since
            ? .synced(key, pending.kind, lag: max(0, upper - pending.since), node: pending.node)
            : .censored(
                key,
                pending.kind,
                lower: max(0, lower - pending.since),
                upper: max(0, upper - start),
                node: pending.node
            )
        emit(event, in: &state, key: key, events: &events)
    }

    /// Appends an outcome, or holds it while the Kubernetes watch is interrupted.
    private mutating func emit(
        _ event: LagEvent,
        in state: inout PortState,
        key: ServicePortKey,
        events: inout [LagEvent]
    ) {
        guard kubernetesGap else {
            events.append(event)
            return
        }
        state.held[event.node, default: []].append(event)
        heldKeys.insert(key)
    }

    private mutating func store(_ state: PortState, for key: ServicePortKey) {
        var state = state
        state.divergence = state.countDivergence()
        ports[key] = state
        if state.pending.isEmpty { pendingKeys.remove(key) } else { pendingKeys.insert(key) }
        if state.mayExpire { expiringKeys.insert(key) } else { expiringKeys.remove(key) }
        if state.ghosts.isEmpty { lateWriteKeys.remove(key) }
    }

    /// Stops fast-polling for late writes of reverts older than ``lateWriteWatch`` (they are still recognised at
    /// full refreshes, with the coarser timing that gives).
    private mutating func retireLateWriteWatches(at time: Timestamp) {
        for key in lateWriteKeys {
            let watched = ports[key]?.ghosts.values.contains {
                $0.reverted != nil && time - $0.since < Self.lateWriteWatch
            }
            if watched != true { lateWriteKeys.remove(key) }
        }
    }

    // MARK: Queries

    /// Whether the key sets kept beside the ports' states say what a scan of the states would (checked by tests).
    var keyIndexesAreExact: Bool {
        pendingKeys == Set(ports.filter { !$0.value.pending.isEmpty }.keys)
            && expiringKeys == Set(ports.filter { $0.value.mayExpire }.keys)
    }

    /// Service ports the engine holds state for.
    public var keys: [ServicePortKey] { ports.keys.sorted() }

    /// ``keys`` in no particular order.
    var unsortedKeys: Dictionary<ServicePortKey, PortState>.Keys { ports.keys }

    /// Whether at least one APISIX target has been observed for the port (``targets(of:)`` is not empty).
    public func isObserved(_ key: ServicePortKey) -> Bool { ports[key]?.observed.isEmpty == false }

    /// The desired set last reported for a port.
    public func desired(_ key: ServicePortKey) -> Set<NodeAddress>? { ports[key]?.desired }

    /// Changes pending for a port, oldest first.
    public func pending(_ key: ServicePortKey) -> [PendingChange] {
        (ports[key]?.pending.values).map { $0.sorted { ($0.since, $0.node) < ($1.since, $1.node) } } ?? []
    }

    /// How many changes of `key` are pending per kind, and since when the oldest of each kind; for gauges, without
    /// the sorting of ``pending(_:)``.
    public func pendingSummary(_ key: ServicePortKey) -> [ChangeKind: (count: Int, oldest: Timestamp)] {
        ports[key]?.pendingSummary ?? [:]
    }

    /// Whether `target` still has to reflect a change of `key`, or a late write of a recent revert is watched for.
    public func hasPendingWork(_ key: ServicePortKey, target: String) -> Bool {
        guard let state = ports[key] else { return false }
        if lateWriteKeys.contains(key), state.observed[target] != nil { return true }
        return state.pending.values.contains { $0.targets[target]?.reflectedAt == nil && $0.targets[target] != nil }
    }

    /// Ports where `target` still has to reflect a change (or a late write is watched for), in no particular order.
    public func keysWithPendingWork(target: String) -> [ServicePortKey] {
        // Without building the union of the two sets: a look loop asks ten times a second.
        var keys: [ServicePortKey] = []
        for key in pendingKeys where hasPendingWork(key, target: target) { keys.append(key) }
        for key in lateWriteKeys where !pendingKeys.contains(key) && hasPendingWork(key, target: target) {
            keys.append(key)
        }
        return keys
    }

    /// What `target` was last seen routing to for `key`.
    public func observedNodes(_ key: ServicePortKey, target: String) -> ObservedNodes? { ports[key]?.observed[target] }

    /// Targets that route to `key`.
    public func targets(of key: ServicePortKey) -> [String] { (ports[key]?.observed.keys).map { $0.sorted() } ?? [] }

    /// The sizes of ``divergence(_:)`` without building the sets: a target in sync (the usual case) costs a set
    /// comparison.
    public func divergenceCounts(_ key: ServicePortKey) -> (stale: Int, missing: Int) {
        ports[key]?.divergence ?? (0, 0)
    }

    /// Calls `body` with the gauges of every port that at least one target is observed for and that `include`
    /// accepts, in one pass over the ports (a scrape needs them all), in no particular order.
    func forEachObservedPort(where include: (ServicePortKey) -> Bool, _ body: (ServicePortKey, PortGauges) -> Void) {
        // Fields read in place: a copy of each port's state (its sets and maps retained and released) was most of
        // this walk's cost at 10,000 ports.
        for index in ports.indices {
            guard !ports.values[index].observed.isEmpty else { continue }
            let key = ports.keys[index]
            guard include(key) else { continue }
            let divergence = ports.values[index].divergence
            let summary = ports.values[index].pending.isEmpty ? [:] : ports.values[index].pendingSummary
            body(key, PortGauges(pendingSummary: summary, stale: divergence.stale, missing: divergence.missing))
        }
    }

    /// Nodes APISIX routes to that are not ready in Kubernetes, and ready nodes APISIX does not route to, for the
    /// target that diverges most.
    public func divergence(_ key: ServicePortKey) -> (stale: Set<NodeAddress>, missing: Set<NodeAddress>) {
        guard let state = ports[key], let desired = state.desired else { return ([], []) }
        var stale = Set<NodeAddress>()
        var missing = Set<NodeAddress>()
        for observed in state.observed.values {
            let targetStale = observed.union.subtracting(desired)
            let targetMissing = desired.subtracting(observed.intersection)
            if targetStale.count > stale.count { stale = targetStale }
            if targetMissing.count > missing.count { missing = targetMissing }
        }
        return (stale, missing)
    }
}
