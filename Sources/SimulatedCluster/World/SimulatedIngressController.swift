import Foundation

/// The APISIX side of a simulated cluster: an apisix-ingress-controller 1.x look-alike that mirrors the ready
/// endpoints of every Service port of a ``SimulatedWorld`` into a ``FakeAPISIXAdmin`` upstream, after a delay, and
/// records the ground truth of every node change (``truth``).
///
/// - Upstreams are named `namespace_service_port` (the Service port), with the id apisix-ingress-controller
///   derives from the name: the lower-case hex CRC-32 of the name without zero padding
///   (``upstreamID(name:)``); nodes are written in the array form with weight 100. They are created when the
///   world starts.
/// - For every EndpointSlice change that alters a Service port's ready set, the controller queues a write of the
///   ready set as it was at that change (a snapshot; or, with ``Configuration/writeMode`` ``WriteMode/latest``,
///   the newest ready set received when the write falls due), due after a delay drawn from
///   ``Configuration/lag`` (times ``Configuration/slowFactor`` for ``Configuration/slowService``). Per upstream,
///   writes land in order: a write is never due before the previous one (its time is clamped). When several
///   writes of one upstream are due at once (clamped to the same time, or queued during a pause), only the newest
///   snapshot is written, as a controller working off a backlog does; changes reverted meanwhile never reach
///   APISIX and are recorded as `superseded`.
/// - ``paused`` simulates an outage of the controller: changes queue up and are written at once on resume. (Faults of
///   the Admin API itself are injected with ``FakeAPISIXAdmin/setFault(_:scope:)``; they do not stop these
///   in-process writes, as etcd keeps accepting them.)
///
/// The controller is fed in-process by its world; ``SimulatedWorld/run()`` also runs it. The type is
/// thread-safe; all methods can be called from any task.
public final class SimulatedIngressController: Sendable {
    /// The fake Admin API the upstreams are written to.
    public let apisix: FakeAPISIXAdmin
    /// The settings.
    public let configuration: Configuration
    let state: ObservedState<IngressControllerState>

    /// Creates a controller writing to `apisix`. ``SimulatedWorld`` creates its own; create one yourself only to
    /// feed it from elsewhere.
    public init(apisix: FakeAPISIXAdmin, configuration: Configuration = Configuration()) {
        self.apisix = apisix
        self.configuration = configuration
        self.state = ObservedState(IngressControllerState(settings: configuration))
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
                state.writeDue(now: clock.now) { upstream in
                    self.apisix.putUpstream(upstream)
                    return Date().timeIntervalSince1970
                }
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
            if let upstream = state.receive(change, now: .now) {
                self.apisix.putUpstream(upstream)
                state.statistics.upstreamWrites += 1
            }
        }
    }

    // MARK: Observation

    /// Every node change so far that reached APISIX (`synced`, with its true lag) or never will (`superseded`), in
    /// the order of the writes (per write, by node); at most ``Configuration/truthLimit`` records, the newest.
    public var truth: [TruthRecord] {
        self.state.withLock { $0.truth }
    }

    /// The changes not written yet (outcome `pending`), e.g. to account for them at the end of a run.
    public var pendingChanges: [TruthRecord] {
        self.state.withLock { state in
            state.upstreamOrder.compactMap { state.upstreams[$0] }.flatMap { $0.pendingChanges() }
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
