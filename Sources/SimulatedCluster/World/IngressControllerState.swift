/// Everything ``SimulatedIngressController`` keeps behind its lock.
struct IngressControllerState: Sendable {
    let settings: SimulatedIngressController.Configuration
    var random: SeededGenerator
    /// The tracked upstreams by `namespace/service:port`, and their keys in creation order.
    var upstreams: [String: UpstreamTrack] = [:]
    var upstreamOrder: [String] = []
    var truth: [TruthRecord] = []
    var statistics = SimulatedIngressController.Statistics()
    var paused = false
    var isRunning = false
    /// Bumped whenever a write is queued or the controller is resumed, to wake the run loop.
    var generation = 0

    init(settings: SimulatedIngressController.Configuration) {
        self.settings = settings
        self.random = SeededGenerator(seed: settings.seed ?? .random(in: .min ... .max))
    }

    /// Pauses or resumes. On resume every queued write falls due at once (per upstream, only the newest snapshot
    /// is written), as a controller back from an outage syncs the current state.
    mutating func setPaused(_ paused: Bool, now: ContinuousClock.Instant) {
        if self.paused, !paused {
            for key in self.upstreamOrder {
                self.upstreams[key]?.makeQueueDue(now: now)
            }
        }
        self.paused = paused
        self.statistics.paused = paused
        self.generation += 1
    }

    /// When the next write is due, or `nil` when none is queued or the controller is paused.
    var nextDue: ContinuousClock.Instant? {
        guard !self.paused else { return nil }
        return self.upstreams.values.compactMap(\.nextDue).min()
    }

    /// Handles a notification from the world. A Service port seen for the first time gets its upstream at once
    /// (the controller's initial sync, no truth); a later change of its ready set is queued with a delay drawn
    /// from the lag distribution. Returns an upstream to write now, if any.
    mutating func receive(_ change: EndpointChange, now: ContinuousClock.Instant) -> FakeUpstream? {
        self.statistics.notifications += 1
        let key = "\(change.namespace)/\(change.service):\(change.servicePort)"
        guard var track = self.upstreams[key] else {
            let track = UpstreamTrack(change: change)
            self.upstreams[key] = track
            self.upstreamOrder.append(key)
            return track.upstream(nodes: change.readyNodes, weight: self.settings.nodeWeight)
        }
        if change.isInitial {
            // The rest of the initial state (a Service with several slices): synced at once, no truth.
            track.resetInitial(change)
            self.upstreams[key] = track
            return track.upstream(nodes: change.readyNodes, weight: self.settings.nodeWeight)
        }
        guard change.readyNodes != track.received else { return nil }
        var delay = self.settings.lag.sample(using: &self.random)
        if change.serviceIndex == self.settings.slowService {
            delay *= max(self.settings.slowFactor, 0)
        }
        _ = track.enqueue(change, delay: delay, now: now)
        self.upstreams[key] = track
        self.statistics.changesQueued += 1
        self.statistics.queuedWrites += 1
        self.generation += 1
        return nil
    }

    /// Writes, per upstream, the newest snapshot whose time has come (unless paused) through `write`, which
    /// returns the time of the write, and appends the truth.
    mutating func writeDue(now: ContinuousClock.Instant, write: (FakeUpstream) -> Double) {
        guard !self.paused else { return }
        for key in self.upstreamOrder {
            guard var track = self.upstreams[key], let due = track.takeDueWrite(now: now, mode: self.settings.writeMode)
            else { continue }
            var apisixTime = 0.0
            if due.nodes == track.applied {
                self.statistics.skippedWrites += 1
            } else {
                apisixTime = write(track.upstream(nodes: due.nodes, weight: self.settings.nodeWeight))
                self.statistics.upstreamWrites += 1
            }
            let records = track.complete(due, apisixTime: apisixTime)
            self.truth.append(contentsOf: records)
            self.statistics.truthRecords += records.count
            self.upstreams[key] = track
        }
        if let limit = self.settings.truthLimit, self.truth.count > max(limit, 0) {
            // Drop a tenth more than needed, so that a long run does not shift the whole log on every write.
            self.truth.removeFirst(min(self.truth.count, self.truth.count - max(limit, 0) + max(limit, 0) / 10))
        }
        self.statistics.queuedWrites = self.upstreams.values.reduce(0) { $0 + $1.queue.count }
    }
}
