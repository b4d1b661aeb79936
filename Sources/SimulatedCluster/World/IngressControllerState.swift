/// Everything ``SimulatedIngressController`` keeps behind its lock.
struct IngressControllerState: Sendable {
    /// One APISIX instance and what the controller tracks for it.
    struct Target: Sendable {
        let instance: SimulatedIngressController.Instance
        /// The instance's name, read once.
        let name: String
        /// The tracked upstreams by `namespace/service:port`, and their keys in creation order.
        var upstreams: [String: UpstreamTrack] = [:]
        var upstreamOrder: [String] = []

        init(instance: SimulatedIngressController.Instance) {
            self.instance = instance
            self.name = instance.apisix.name
        }
    }

    /// A write to perform: the batch for the instance.
    typealias Write = (apisix: FakeAPISIXAdmin, batch: APISIXWriteBatch)

    let settings: SimulatedIngressController.Configuration
    var random: SeededGenerator
    var targets: [Target]
    /// The last change received per Service port, and the ports in the order first seen: what an instance added
    /// later is synced with.
    var latest: [String: EndpointChange] = [:]
    var latestOrder: [String] = []
    var truth: [TruthRecord] = []
    var statistics = SimulatedIngressController.Statistics()
    var paused = false
    var isRunning = false
    /// Bumped whenever a write is queued or the controller is resumed, to wake the run loop.
    var generation = 0

    init(settings: SimulatedIngressController.Configuration, instances: [SimulatedIngressController.Instance]) {
        self.settings = settings
        self.random = SeededGenerator(seed: settings.seed ?? .random(in: .min ... .max))
        self.targets = instances.map(Target.init(instance:))
    }

    /// Pauses or resumes. On resume every queued write falls due at once (per upstream, only the newest snapshot
    /// is written), as a controller back from an outage syncs the current state.
    mutating func setPaused(_ paused: Bool, now: ContinuousClock.Instant) {
        if self.paused, !paused {
            for target in self.targets.indices {
                for key in self.targets[target].upstreamOrder {
                    self.targets[target].upstreams[key]?.makeQueueDue(now: now)
                }
            }
        }
        self.paused = paused
        self.statistics.paused = paused
        self.generation += 1
    }

    /// When the next write is due, or `nil` when none is queued or the controller is paused.
    var nextDue: ContinuousClock.Instant? {
        guard !self.paused else { return nil }
        return self.targets.flatMap { $0.upstreams.values.compactMap(\.nextDue) }.min()
    }

    /// Handles a notification from the world, for every instance. A Service port seen for the first time gets its
    /// objects at once (the controller's initial sync, no truth); a later change of its ready set is queued per
    /// instance with a delay drawn from the instance's lag distribution (the instances in order, from one
    /// generator). Returns the writes to make now.
    mutating func receive(_ change: EndpointChange, now: ContinuousClock.Instant) -> [Write] {
        self.statistics.notifications += 1
        let key = Self.key(change)
        if self.latest[key] == nil {
            self.latestOrder.append(key)
        }
        self.latest[key] = change
        var writes: [Write] = []
        for index in self.targets.indices {
            let instance = self.targets[index].instance
            guard var track = self.targets[index].upstreams[key] else {
                let layout = ServicePortLayout(change: change, settings: self.settings)
                let track = UpstreamTrack(change: change, layout: layout, instance: self.targets[index].name)
                self.targets[index].upstreams[key] = track
                self.targets[index].upstreamOrder.append(key)
                writes.append((instance.apisix, layout.creation(nodes: change.readyNodes)))
                continue
            }
            if change.isInitial {
                // The rest of the initial state (a Service with several slices): synced at once, no truth.
                track.resetInitial(change)
                self.targets[index].upstreams[key] = track
                writes.append((instance.apisix, track.layout.update(nodes: change.readyNodes)))
                continue
            }
            guard change.readyNodes != track.received else { continue }
            var delay: Double
            if let serviceLag = self.settings.serviceLag[change.serviceIndex] {
                delay = serviceLag.sample(using: &self.random)
            } else {
                delay = (instance.lag ?? self.settings.lag).sample(using: &self.random)
                if change.serviceIndex == self.settings.slowService {
                    delay *= max(self.settings.slowFactor, 0)
                }
            }
            delay += instance.extraDelay
            _ = track.enqueue(change, delay: max(delay, 0), now: now)
            self.targets[index].upstreams[key] = track
            self.statistics.changesQueued += 1
            self.statistics.queuedWrites += 1
            self.generation += 1
        }
        return writes
    }

    /// Writes, per instance and upstream, the newest snapshot whose time has come (unless paused) through
    /// `write`, which returns the time of the write and when the instance's workers apply it, and appends the
    /// truth.
    mutating func writeDue(
        now: ContinuousClock.Instant,
        write: (FakeAPISIXAdmin, APISIXWriteBatch) -> (time: Double, workerTime: Double)
    ) {
        guard !self.paused else { return }
        for index in self.targets.indices {
            let apisix = self.targets[index].instance.apisix
            for key in self.targets[index].upstreamOrder {
                guard var track = self.targets[index].upstreams[key],
                    let due = track.takeDueWrite(now: now, mode: self.settings.writeMode)
                else { continue }
                var apisixTime = 0.0
                var workerTime: Double?
                if due.nodes == track.applied {
                    self.statistics.skippedWrites += 1
                } else {
                    (apisixTime, workerTime) = write(apisix, track.layout.update(nodes: due.nodes))
                    self.statistics.upstreamWrites += 1
                }
                let records = track.complete(due, apisixTime: apisixTime, workerTime: workerTime)
                self.truth.append(contentsOf: records)
                self.statistics.truthRecords += records.count
                self.targets[index].upstreams[key] = track
            }
        }
        if let limit = self.settings.truthLimit, self.truth.count > max(limit, 0) {
            // Drop a tenth more than needed, so that a long run does not shift the whole log on every write.
            self.truth.removeFirst(min(self.truth.count, self.truth.count - max(limit, 0) + max(limit, 0) / 10))
        }
        self.updateQueuedWrites()
    }

    /// Adds an instance and returns the writes that sync it at once with the last state received (no truth), or
    /// `nil` when an instance with that name is already there.
    mutating func add(_ instance: SimulatedIngressController.Instance) -> [Write]? {
        var target = Target(instance: instance)
        guard !self.targets.contains(where: { $0.name == target.name }) else { return nil }
        var writes: [Write] = []
        for key in self.latestOrder {
            guard let change = self.latest[key] else { continue }
            let layout = ServicePortLayout(change: change, settings: self.settings)
            target.upstreams[key] = UpstreamTrack(change: change, layout: layout, instance: target.name)
            target.upstreamOrder.append(key)
            writes.append((instance.apisix, layout.creation(nodes: change.readyNodes)))
        }
        self.targets.append(target)
        self.generation += 1
        return writes
    }

    /// Removes the instance `name` with its queued writes (which produce no truth); returns whether it was there.
    mutating func remove(name: String) -> Bool {
        guard let index = self.targets.firstIndex(where: { $0.name == name }) else { return false }
        self.targets.remove(at: index)
        self.updateQueuedWrites()
        self.generation += 1
        return true
    }

    private mutating func updateQueuedWrites() {
        self.statistics.queuedWrites = self.targets.reduce(0) { sum, target in
            sum + target.upstreams.values.reduce(0) { $0 + $1.queue.count }
        }
    }

    private static func key(_ change: EndpointChange) -> String {
        "\(change.namespace)/\(change.service):\(change.servicePort)"
    }
}
