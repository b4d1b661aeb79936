import Foundation

/// The APISIX side of a simulated cluster: an ingress controller look-alike that mirrors the ready endpoints of
/// every Service port of a ``SimulatedWorld`` into one or several ``FakeAPISIXAdmin`` instances, after a delay, and
/// records the ground truth of every node change (``truth``), per instance.
///
/// - By default it behaves like apisix-ingress-controller 1.x (``UpstreamStyle/upstreams``); ``Configuration/style``
///   selects inline route upstreams, apisix-ingress-controller 2.x / ADC services and upstreams with route-based
///   names, or APISIX Kubernetes discovery. In that default style, upstreams are named `namespace_service_port`
///   (the Service port), with the id apisix-ingress-controller derives from the name: the lower-case hex CRC-32 of
///   the name without zero padding (``upstreamID(name:)``); nodes are written in the array form with weight 100.
///   They are created when the world starts.
/// - For every EndpointSlice change that alters a Service port's ready set, the controller queues a write of the
///   ready set as it was at that change (a snapshot; or, with ``Configuration/writeMode`` ``WriteMode/latest``,
///   the newest ready set received when the write falls due), due after a delay drawn from
///   ``Configuration/lag`` (times ``Configuration/slowFactor`` for ``Configuration/slowService``, or from
///   ``Configuration/serviceLag`` for a Service listed there). Per upstream,
///   writes land in order: a write is never due before the previous one (its time is clamped). When several
///   writes of one upstream are due at once (clamped to the same time, or queued during a pause), only the newest
///   snapshot is written, as a controller working off a backlog does; changes reverted meanwhile never reach
///   APISIX and are recorded as `superseded`.
/// - With several instances (``init(instances:configuration:)``), every instance gets every change on its own
///   schedule, drawn from its own ``Instance/lag`` plus ``Instance/extraDelay``, and its own truth records
///   (``TruthRecord/instance``). Instances can be added (synced at once, without truth) and removed (their queued
///   writes are dropped) while the controller runs.
/// - ``paused`` simulates an outage of the controller: changes queue up and are written at once on resume. (Faults of
///   the Admin API itself are injected with ``FakeAPISIXAdmin/setFault(_:scope:)``; they do not stop these
///   in-process writes, as etcd keeps accepting them.)
///
/// The controller is fed in-process by its world; ``SimulatedWorld/run()`` also runs it. The type is
/// thread-safe; all methods can be called from any task.
public final class SimulatedIngressController: Sendable {
    /// The first instance the controller was created with (the only one unless several were given).
    public let apisix: FakeAPISIXAdmin
    /// The settings.
    public let configuration: Configuration
    let state: ObservedState<IngressControllerState>

    /// Creates a controller writing to `apisix`. ``SimulatedWorld`` creates its own; create one yourself only to
    /// feed it from elsewhere.
    public convenience init(apisix: FakeAPISIXAdmin, configuration: Configuration = Configuration()) {
        self.init(instances: [Instance(apisix: apisix)], configuration: configuration)
    }

    /// Creates a controller writing to every instance of `instances`, which must not be empty.
    public init(instances: [Instance], configuration: Configuration = Configuration()) {
        precondition(!instances.isEmpty, "a simulated ingress controller needs at least one APISIX instance")
        self.apisix = instances[0].apisix
        self.configuration = configuration
        self.state = ObservedState(IngressControllerState(settings: configuration, instances: instances))
    }

    // MARK: Naming

    /// The upstream name apisix-ingress-controller 1.x uses for a Service port: `namespace_service_port`.
    public static func upstreamName(namespace: String, service: String, port: Int) -> String {
        "\(namespace)_\(service)_\(port)"
    }

    /// The upstream id apisix-ingress-controller 1.x derives from an upstream name: the CRC-32 (IEEE) of the name
    /// in lower-case hex without zero padding, e.g. `4405a246` for `apis_sa-front-service_80`.
    public static func upstreamID(name: String) -> String {
        String(CRC32.checksum(name), radix: 16)
    }

    // MARK: Running

    /// Writes queued changes when they are due until the task is cancelled, then returns. A second concurrent
    /// call returns at once.
    public func run() async throws {
        let didStart = self.state.withLock { state -> Bool in
            guard !state.isRunning else { return false }
            state.isRunning = true
            return true
        }
        guard didStart else { return }
        defer { self.state.withLock { $0.isRunning = false } }
        let clock = ContinuousClock()
        while !Task.isCancelled {
            let (deadline, generation) = self.state.withLock { state in
                state.writeDue(now: clock.now) { apisix, batch in apisix.write(batch) }
                return (state.nextDue, state.generation)
            }
            do {
                _ = try await self.state.wait(until: deadline ?? clock.now + .seconds(3600)) {
                    $0.generation != generation
                }
            } catch is CancellationError {
                return
            }
        }
    }

    /// Whether the controller is paused, to simulate an outage: while it is, changes queue up and nothing is
    /// written; on resume, the controller syncs at once, writing per upstream the newest snapshot it received
    /// (changes reverted during the pause end as `superseded`).
    public var paused: Bool {
        get { self.state.withLock { $0.paused } }
        set {
            self.state.withLock { $0.setPaused(newValue, now: .now) }
        }
    }

    /// Receives a change from the world (under the world's lock, so in write order).
    func receive(_ change: EndpointChange) {
        self.state.withLock { state in
            for write in state.receive(change, now: .now) {
                write.apisix.write(write.batch)
                state.statistics.upstreamWrites += 1
            }
        }
    }

    // MARK: Instances

    /// The instances the controller writes to, in the order they were added.
    public var instances: [Instance] {
        self.state.withLock { $0.targets.map(\.instance) }
    }

    /// Adds an instance, as a new APISIX pod that the controller starts pushing to: it gets the current state at
    /// once (no truth records for it), then every later change on its own schedule. Returns `false` (and does
    /// nothing) when an instance with the same name is already there.
    @discardableResult
    public func addInstance(_ instance: Instance) -> Bool {
        self.state.withLock { state in
            guard let writes = state.add(instance) else { return false }
            for write in writes {
                write.apisix.write(write.batch)
                state.statistics.upstreamWrites += 1
            }
            return true
        }
    }

    /// Removes the instance named `name`, as an APISIX pod that goes away: its queued writes are dropped and
    /// produce no truth. Returns `false` when there is no such instance.
    @discardableResult
    public func removeInstance(named name: String) -> Bool {
        self.state.withLock { $0.remove(name: name) }
    }

    // MARK: Observation

    /// Every node change so far that reached APISIX (`synced`, with its true lag) or never will (`superseded`), in
    /// the order of the writes (per write, by node), one record per instance; at most ``Configuration/truthLimit``
    /// records, the newest.
    public var truth: [TruthRecord] {
        self.state.withLock { $0.truth }
    }

    /// The truth records of the instance named `instance`.
    public func truth(instance: String) -> [TruthRecord] {
        self.state.withLock { state in state.truth.filter { $0.instance == instance } }
    }

    /// The changes not written yet (outcome `pending`), e.g. to account for them at the end of a run.
    public var pendingChanges: [TruthRecord] {
        self.state.withLock { state in
            state.targets.flatMap { target in
                target.upstreamOrder.compactMap { target.upstreams[$0] }.flatMap { $0.pendingChanges() }
            }
        }
    }

    /// The counters.
    public var statistics: Statistics {
        self.state.withLock { $0.statistics }
    }

    /// Waits until `condition` holds for the statistics.
    ///
    /// - Throws: ``SimulatedClusterError/timedOut(waitingFor:)`` after `timeout`, or `CancellationError`.
    public func waitUntil(
        timeout: Duration = .seconds(10),
        _ description: String = "a condition on the simulated ingress controller",
        _ condition: @escaping @Sendable (Statistics) -> Bool
    ) async throws {
        try await self.state.wait(timeout: timeout, for: description) { condition($0.statistics) }
    }

    /// Waits until at least `count` truth records have been produced (``Statistics/truthRecords``).
    public func waitForTruth(count: Int, timeout: Duration = .seconds(10)) async throws {
        try await self.waitUntil(timeout: timeout, "\(count) truth record(s)") { $0.truthRecords >= count }
    }

    /// Waits until no write is queued.
    public func waitUntilIdle(timeout: Duration = .seconds(10)) async throws {
        try await self.waitUntil(timeout: timeout, "the controller to be idle") { $0.queuedWrites == 0 }
    }
}
