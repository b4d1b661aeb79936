/// What the exporter knows of one APISIX target: its health, its upstreams, and how they map to Service ports; and the
/// observations it gives the lag engine. A class so that updating one upstream of 10,000 does not copy them all (fast
/// polls do it hundreds of times a second); only ever touched inside the ``SyncTracker`` actor.
final class APISIXTargetState {
    let target: APISIXTarget
    var health = SourceHealth()
    var upstreams: [String: APISIXUpstream] = [:]
    private(set) var mappings: [String: UpstreamMapping] = [:]
    /// The Services each mapping depends on: what an incremental remap maps again.
    private var dependencies = MappingDependencies()
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

    var name: String { target.name }

    /// What the target routes to for `key`, over all upstreams mapped to it; nil when none is.
    func observation(_ key: ServicePortKey) -> ObservedNodes? {
        guard let ids = upstreamsByKey[key], !ids.isEmpty else { return nil }
        return ObservedNodes(combining: ids.map { upstreams[$0]?.nodes ?? [] })
    }

    /// Upstream ids that have changes waiting for this target: what fast polling fetches.
    func pendingUpstreams(_ engine: LagEngine) -> [String] {
        var ids: [String] = []
        for key in engine.keysWithPendingWork(target: name) { ids += upstreamsByKey[key] ?? [] }
        return ids
    }

    /// Upstream counts by mapping state.
    var mappingCounts: [UpstreamMapping.State: Int] {
        // Counted in locals, each state read in place: a dictionary update per upstream cost 3.8 M instructions per
        // scrape at 10,000 upstreams.
        var mapped = 0
        var unmapped = 0
        var discovery = 0
        for index in mappings.indices {
            switch mappings.values[index].state {
            case .mapped: mapped += 1
            case .unmapped: unmapped += 1
            case .discovery: discovery += 1
            }
        }
        var counts: [UpstreamMapping.State: Int] = [:]
        if mapped > 0 { counts[.mapped] = mapped }
        if unmapped > 0 { counts[.unmapped] = unmapped }
        if discovery > 0 { counts[.discovery] = discovery }
        return counts
    }

    // MARK: Reads

    /// A full list of the target's upstreams: returns the ids that changed (new, different, or gone).
    func replaceUpstreams(with list: [APISIXUpstream]) -> Set<String> {
        var changed = Set<String>()
        var next: [String: APISIXUpstream] = [:]
        next.reserveCapacity(list.count)
        for upstream in list {
            // By index, so that neither the old upstream nor its mapping is copied (10,000 of them every refresh).
            if let index = upstreams.index(forKey: upstream.id), mappings.index(forKey: upstream.id) != nil {
                let oldIndex = upstreams.values[index].modifiedIndex
                let same =
                    oldIndex != nil && oldIndex == upstream.modifiedIndex
                    || upstreams.values[index].sameContents(as: upstream)
                if !same { changed.insert(upstream.id) }
            } else {
                changed.insert(upstream.id)
            }
            next[upstream.id] = upstream
        }
        for id in upstreams.keys where next[id] == nil { changed.insert(id) }
        upstreams = next
        refreshed = true
        return changed
    }

    /// Part of the list changed (the rest is as before): returns the ids that changed, as ``replaceUpstreams(with:)``
    /// would for the whole list with these applied.
    func updateUpstreams(_ upserted: [APISIXUpstream], removed: [String]) -> Set<String> {
        var changed = Set<String>()
        for upstream in upserted {
            if let old = upstreams[upstream.id], mappings[upstream.id] != nil {
                let same =
                    old.modifiedIndex != nil && old.modifiedIndex == upstream.modifiedIndex
                    || old.sameContents(as: upstream)
                if !same { changed.insert(upstream.id) }
            } else {
                changed.insert(upstream.id)
            }
            upstreams[upstream.id] = upstream
        }
        for id in removed where upstreams.removeValue(forKey: id) != nil { changed.insert(id) }
        refreshed = true
        return changed
    }

    /// One upstream fetched by a fast poll at `time` (nil: APISIX answered 404, it was deleted): the engine sees the
    /// port it maps to.
    func fetched(id: String, upstream: APISIXUpstream?, at time: Timestamp, engine: inout LagEngine) -> [LagEvent] {
        let key = mappings[id]?.key
        if let upstream {
            if mappings[id] == nil || upstreams[id].map({ !$0.sameContents(as: upstream) }) ?? true {
                fetchedChanges.insert(id)
            }
            upstreams[id] = upstream
        } else {
            upstreams[id] = nil
            mappings[id] = nil
            dependencies.set(id, mapping: nil, upstreamName: nil)
            if let key {
                upstreamsByKey[key]?.removeAll { $0 == id }
                if upstreamsByKey[key]?.isEmpty == true { upstreamsByKey[key] = nil }
            }
        }
        guard let key else { return [] }
        var events: [LagEvent] = []
        if upstream == nil {
            events += engine.observed(nil, target: name, for: key, at: time)
            if upstreamsByKey[key] == nil { return events }
        }
        events += engine.observed(observation(key), target: name, for: key, at: time)
        return events
    }

    /// A cheap check at `time` showed the config unchanged (standalone `HEAD`): a look at every port with pending
    /// changes, which still shows what the last full read showed.
    func unchanged(at time: Timestamp, engine: inout LagEngine) -> [LagEvent] {
        look(at: engine.keysWithPendingWork(target: name), time: time, engine: &engine)
    }

    /// A look at `keys` at `time` that shows what the last read showed.
    func look(at keys: [ServicePortKey], time: Timestamp, engine: inout LagEngine) -> [LagEvent] {
        var events: [LagEvent] = []
        for key in keys {
            guard let nodes = observation(key) else { continue }
            events += engine.observed(nodes, target: name, for: key, at: time)
        }
        return events
    }

    /// The target left at `time`: its part of every pending change ends.
    func removed(at time: Timestamp, engine: inout LagEngine) -> [LagEvent] {
        var events: [LagEvent] = []
        for key in upstreamsByKey.keys.sorted() { events += engine.observed(nil, target: name, for: key, at: time) }
        engine.targetRecovered(name)
        return events
    }

    // MARK: Remapping

    /// Maps the target's upstreams to Service ports again and updates the engine's observations.
    ///
    /// Incremental unless `needsFullRemap` (or `incremental` is false): only upstreams in `changed`, upstreams mapped
    /// to Services whose slices changed since the last remap, and unmapped upstreams are mapped again (a mapping
    /// depends only on the upstream, its Service's endpoints and the previous mapping). Ports whose upstreams or
    /// mapping changed are observed, and, at a `refresh`, ports with pending changes too (a full list is a look at
    /// them) unless `lookAtPending` is false (a watch message while the view is current: the engine observes the
    /// target continuously).
    func remap(
        at time: Timestamp,
        refresh: Bool,
        lookAtPending: Bool,
        changed: Set<String>,
        index: EndpointSliceIndex,
        mapper: UpstreamMapper,
        incremental: Bool,
        engine: inout LagEngine
    ) -> [LagEvent] {
        guard refreshed else { return [] }
        let full = needsFullRemap || !incremental
        let changed = changed.union(fetchedChanges)
        fetchedChanges = []
        var subset = changed
        if !full {
            if changed.isEmpty && dirtyServices.isEmpty && !refresh { return [] }
            if !changed.isEmpty || !dirtyServices.isEmpty {
                subset.formUnion(dependencies.ids(dependingOn: dirtyServices))
            }
        }
        needsFullRemap = false
        dirtyServices = []
        let candidates = full ? Array(upstreams.values) : subset.compactMap { upstreams[$0] }
        let remapped = mapper.map(candidates, index: index, previous: mappings)
        var events: [LagEvent] = []
        var affected = Set<ServicePortKey>()
        // The previous mappings of what is remapped: the whole table on a full remap (moved, not copied), else only
        // the subset's. Holding the whole table while writing the subset copied all 10,000 mappings per event.
        let previousMappings: [String: UpstreamMapping]
        if full {
            previousMappings = mappings
            mappings = remapped
            dependencies.removeAll()
            for (id, mapping) in remapped { dependencies.set(id, mapping: mapping, upstreamName: upstreams[id]?.name) }
        } else {
            var previous: [String: UpstreamMapping] = [:]
            previous.reserveCapacity(subset.count)
            for id in subset {
                let old =
                    if let mapping = remapped[id] {
                        mappings.updateValue(mapping, forKey: id)
                    } else {
                        mappings.removeValue(forKey: id)
                    }
                if let old { previous[id] = old }
                dependencies.set(id, mapping: remapped[id], upstreamName: upstreams[id]?.name)
            }
            previousMappings = previous
        }
        let touched = full ? Set(previousMappings.keys).union(remapped.keys) : subset
        for id in touched {
            let before = previousMappings[id].flatMap { $0.state == .mapped ? $0.key : nil }
            let after = mappings[id].flatMap { $0.state == .mapped ? $0.key : nil }
            if before == after {
                // Same mapping, but the upstream or its Service changed (the engine drops a deleted Service's
                // observations): look again; unchanged observations are skipped below.
                if let after { affected.insert(after) }
                continue
            }
            if let before {
                upstreamsByKey[before]?.removeAll { $0 == id }
                if upstreamsByKey[before]?.isEmpty == true { upstreamsByKey[before] = nil }
                // Lost or changed mapping: the target's part of pending changes can no longer be timed.
                events += engine.observed(nil, target: name, for: before, at: time)
                affected.insert(before)
            }
            if let after {
                var ids = upstreamsByKey[after] ?? []
                ids.insert(id, at: ids.firstIndex { $0 > id } ?? ids.endIndex)
                if upstreamsByKey[after] != nil {
                    // The port's upstream set changed: its pending changes lose this target's timing.
                    events += engine.observed(nil, target: name, for: after, at: time)
                }
                upstreamsByKey[after] = ids
                affected.insert(after)
            }
        }
        var keys = affected
        if lookAtPending || full {
            keys.formUnion(engine.keysWithPendingWork(target: name).filter { upstreamsByKey[$0] != nil })
        }
        if full { keys.formUnion(upstreamsByKey.keys) }
        for key in keys.sorted() {
            guard let nodes = observation(key) else { continue }
            // Unchanged node sets of ports without pending changes need no work: only ports with pending changes
            // (which fast polls observe anyway) or different nodes do.
            if engine.observedNodes(key, target: name) == nodes, !engine.hasPendingWork(key, target: name) {
                continue
            }
            // Outside a refresh (a Kubernetes event mapped new Service ports) the node sets are the last fetch's, not a
            // look at `time`, unless a watch keeps them current.
            let fresh = refresh || engine.isContinuouslyObserved(name)
            events += engine.observed(nodes, target: name, for: key, at: time, fresh: fresh)
        }
        return events
    }
}
