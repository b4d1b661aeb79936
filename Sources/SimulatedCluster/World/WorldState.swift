/// Everything ``SimulatedWorld`` keeps behind its lock: the model of Services, Deployments, pods and slices, the
/// schedule, the random generator and the action log. All mutations are synchronous and deterministic for a seed;
/// the EndpointSlice writes they produce are collected in ``outbox`` and performed by ``SimulatedWorld`` under
/// the same lock, in order.
struct WorldState: Sendable {
    /// One EndpointSlice write to perform.
    struct SliceWrite: Sendable {
        enum Operation: Sendable {
            case apply(FakeEndpointSlice)
            case delete(name: String)
        }

        let serviceIndex: Int
        let operation: Operation
        /// The Service port's ready node set right after this write.
        let readyNodes: Set<String>
        let isInitial: Bool
        /// The pod deletions behind the nodes this write removes from the ready set, by node.
        var podDeletions: [String: PodDeletionTruth] = [:]
    }

    /// The characters Kubernetes uses for generated name suffixes (no vowels, no confusable digits).
    static let nameAlphabet = Array("bcdfghjklmnpqrstvwxz2456789")

    let settings: SimulatedWorld.Configuration
    var random: SeededGenerator
    /// Simulated seconds since the start: the time of the last processed event, or later.
    var now: Double = 0
    /// The instant simulated time 0 corresponds to, while ``SimulatedWorld/run()`` runs.
    var origin: ContinuousClock.Instant?
    var timeline = WorldTimeline()
    /// Bumped whenever the schedule changes, to wake the run loop.
    var generation = 0
    var services: [SimulatedService] = []
    var churnEnabled: Bool
    var isStarted = false
    var actions: [WorldAction] = []
    var statistics = SimulatedWorld.Statistics()
    var outbox: [WorldWrite] = []
    var podsCreated = 0
    /// The wall-clock time (seconds since 1970) of the current mutation, which stamps pod deletions.
    var wallNow = 0.0
    /// The endpoint controller's delay range (runtime-settable).
    var endpointControllerDelay: ClosedRange<Double>
    /// The generator of the pod life cycle's own draws, so that modelling pods leaves the churn of a seed as it
    /// was.
    var podRandom: SeededGenerator

    init(settings: SimulatedWorld.Configuration) {
        self.settings = settings
        self.random = SeededGenerator(seed: settings.seed)
        self.churnEnabled = settings.churn
        self.endpointControllerDelay = settings.endpointControllerDelay
        self.podRandom = SeededGenerator(seed: SeededGenerator.derivedSeed(settings.seed, stream: 2))
    }

    /// The statistics including the values derived from the current state.
    var currentStatistics: SimulatedWorld.Statistics {
        var statistics = self.statistics
        statistics.time = self.now
        statistics.pendingFollowUps = self.timeline.pendingFollowUps
        return statistics
    }

    // MARK: Time

    /// Seeds the initial Services: every pod started and ready, one write per slice, marked initial.
    mutating func start() {
        guard !self.isStarted else { return }
        self.isStarted = true
        for index in 0..<self.settings.services {
            let name = SimulatedWorld.serviceName(index: index)
            let replicas = Int.random(in: self.settings.replicas, using: &self.random)
            var model = SimulatedService(index: index, name: name, replicas: replicas, revision: self.templateHash())
            model.workload = self.settings.workload(service: index)
            model.containers = [
                FakeContainer(
                    name: "app",
                    image: model.workload.image,
                    ports: [
                        FakeContainer.Port(containerPort: self.settings.containerPort, name: self.settings.portName)
                    ],
                    env: model.workload.env,
                    preStop: model.workload.preStop
                )
            ]
            self.services.append(model)
            for _ in 0..<replicas {
                self.createPod(in: index, started: true)
            }
            self.flush(index, isInitial: true)
            self.schedule(.churn(service: index), after: self.draw(self.settings.churnInterval))
        }
    }

    /// Processes every event due at or before simulated time `time`, in order, then moves the clock to `time`.
    mutating func advance(to time: Double) {
        while let entry = self.timeline.popNext(notAfter: time) {
            self.now = max(self.now, entry.time)
            self.process(entry.event)
        }
        self.now = max(self.now, time)
    }

    /// The simulated time at `instant` while running, else the current simulated time.
    func simulatedTime(at instant: ContinuousClock.Instant) -> Double {
        guard let origin = self.origin else { return self.now }
        return max(self.now, (instant - origin).inSeconds)
    }

    mutating func schedule(_ event: WorldTimeline.Event, after delay: Double) {
        self.timeline.schedule(event, at: self.now + max(delay, 0))
        self.generation += 1
    }

    private mutating func process(_ event: WorldTimeline.Event) {
        switch event {
        case .churn(let service):
            if self.churnEnabled, !self.settings.churnExcluded.contains(service) {
                self.churn(service)
            }
            self.schedule(.churn(service: service), after: self.draw(self.settings.churnInterval))
        case .podStarted(let service, let pod):
            self.podStarted(service, pod)
        case .podDeleted(let service, let pod):
            self.deletePod(service, pod)
        case .endpointTerminating(let service, let pod):
            self.endpointTerminating(service, pod)
        case .podGone(let service, let pod):
            self.podGone(service, pod)
        case .probeRecovered(let service, let pod):
            if self.setProbeFailed(false, service, pod) {
                self.reconcile(service)
            }
        case .burstStep(let service, let step, let count):
            self.burstStep(service, step: step, count: count)
        case .burstRecovered(let service):
            for pod in self.services[service].livePods where pod.probeFailed {
                self.setProbeFailed(false, service, pod.name)
            }
            self.reconcile(service)
        }
    }

    // MARK: Randomness and log

    mutating func draw(_ range: ClosedRange<Double>) -> Double {
        range.lowerBound == range.upperBound ? range.lowerBound : Double.random(in: range, using: &self.random)
    }

    mutating func randomSuffix(length: Int) -> String {
        String(
            (0..<length).map { _ in Self.nameAlphabet[Int.random(in: 0..<Self.nameAlphabet.count, using: &self.random)]
            }
        )
    }

    /// A new pod-template hash.
    mutating func templateHash() -> String {
        self.randomSuffix(length: 10)
    }

    /// Appends an entry to the action log and returns it.
    @discardableResult
    mutating func log(
        _ kind: WorldAction.Kind,
        _ service: Int,
        pod: SimulatedPod? = nil,
        detail: String? = nil
    ) -> WorldAction {
        let action = WorldAction(
            time: self.now,
            service: self.services[service].name,
            kind: kind,
            pod: pod?.name,
            address: pod?.address,
            detail: detail
        )
        self.statistics.actions += 1
        guard self.settings.actionLogLimit > 0 else { return action }
        self.actions.append(action)
        if self.actions.count > self.settings.actionLogLimit {
            // Drop a tenth at once, so that a long run does not shift the whole log on every action.
            self.actions.removeFirst(max(1, self.settings.actionLogLimit / 10))
        }
        return action
    }

    /// Takes the writes produced since the last call.
    mutating func takeOutbox() -> [WorldWrite] {
        defer { self.outbox.removeAll() }
        return self.outbox
    }
}
