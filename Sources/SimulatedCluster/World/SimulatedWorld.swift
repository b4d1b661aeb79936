import Foundation
import Synchronization

/// The Kubernetes side of a simulated cluster: Services backed by Deployments whose pods come and go, written as
/// EndpointSlices into a ``FakeKubernetesAPI`` the way the EndpointSlice controller does, plus the
/// ``SimulatedIngressController`` that mirrors them into a ``FakeAPISIXAdmin`` with a realistic delay. Used by
/// `apisix-sync-exporter demo` and the accuracy benchmark.
///
/// ```swift
/// let world = SimulatedWorld(kubernetes: kubernetes, apisix: apisix, configuration: .init(seed: 42))
/// await world.start()                      // initial slices and upstreams
/// try await world.run()                    // churn (and the controller) until cancelled
/// ```
///
/// A world can drive several APISIX instances (``init(kubernetes:instances:configuration:)``), each with its own
/// lag, and publish them as the EndpointSlices of an APISIX Service (``Configuration/apisixService``) so that an
/// exporter can discover them; ``addAPISIXInstance(_:)`` and ``removeAPISIXInstance(named:)`` add and remove
/// instances while it runs.
///
/// Each Service `<name>` (`checkout`, `catalog`, ..., then `svc-7`, ...) has a Deployment of 2...5 replicas, pods
/// with unique IPs `10.<index + 1>.x.y`, container port 8080 named `http`, Service port 80, and EndpointSlices
/// `<name>-<suffix>` with the `kubernetes.io/service-name` label. The churn loop scales or rolls each Deployment
/// every few seconds; new pods are listed not ready until they have started, old ones as
/// `ready: false, serving: true, terminating: true` for the termination period before they disappear.
///
/// With ``Configuration/pods`` (the default) the world also writes the pods and their ReplicaSets (owned by the
/// Deployment; a rolling update creates a new one), endpoints carry the pod's `targetRef.uid`, and removing an
/// endpoint deletes its pod: the pod gets `deletionTimestamp` (the request second plus the grace period) at once,
/// the endpoint turns terminating after ``Configuration/endpointControllerDelay`` (``endpointControllerDelay`` at run
/// time), and the pod and then its endpoint go when the Service's ``SimulatedWorkload`` has shut down. Removal truth
/// records carry the deletion (``TruthRecord/podDeletion``).
///
/// Everything the world does is drawn from one seeded generator and scheduled on a simulated timeline, so the
/// churn of a world (``actions``) is the same for the same seed. Simulated time passes like wall-clock time while
/// ``run()`` runs, and can be skipped ahead with ``fastForward(by:)``. The scripted actions (``scale(service:to:)``,
/// ``roll(service:)``, ``revert(service:)``, ``rebalance(service:)``, ``burst(service:count:)``) take effect at
/// once; their follow-ups (start-ups, terminations, recoveries) happen on the timeline, so they need ``run()`` or
/// ``fastForward(by:)``.
///
/// The type is thread-safe; all methods can be called from any task.
public final class SimulatedWorld: Sendable {
    /// The fake Kubernetes API the EndpointSlices are written to.
    public let kubernetes: FakeKubernetesAPI
    /// The first APISIX instance the controller writes to (the only one unless several were given).
    public let apisix: FakeAPISIXAdmin
    /// The simulated ingress controller, fed in-process by this world.
    public let controller: SimulatedIngressController
    /// The settings (as given; out-of-range values are clamped when used).
    public let configuration: Configuration
    let state: ObservedState<WorldState>
    /// The names of the APISIX pods shown as terminating while they are being removed.
    private let terminatingAPISIXPods = Mutex<Set<String>>([])

    /// Creates a world; nothing is written before ``start()``.
    ///
    /// - Parameters:
    ///   - kubernetes: The fake Kubernetes API to write EndpointSlices to (it need not be listening).
    ///   - apisix: The fake Admin API the controller writes upstreams to (it need not be listening).
    ///   - configuration: The settings. The controller's seed, unless set, is derived from the world's.
    public convenience init(
        kubernetes: FakeKubernetesAPI,
        apisix: FakeAPISIXAdmin,
        configuration: Configuration = Configuration()
    ) {
        self.init(kubernetes: kubernetes, instances: [.init(apisix: apisix)], configuration: configuration)
    }

    /// Creates a world whose controller writes to several APISIX instances; nothing is written before ``start()``.
    ///
    /// - Parameters:
    ///   - kubernetes: The fake Kubernetes API to write EndpointSlices to (it need not be listening).
    ///   - instances: The APISIX instances with their lags (at least one). They need not be listening, but to be
    ///     published with their ports (``Configuration/apisixService``) they must have been started.
    ///   - configuration: The settings. The controller's seed, unless set, is derived from the world's.
    public init(
        kubernetes: FakeKubernetesAPI,
        instances: [SimulatedIngressController.Instance],
        configuration: Configuration = Configuration()
    ) {
        var controllerConfiguration = configuration.controller
        if controllerConfiguration.seed == nil {
            controllerConfiguration.seed = SeededGenerator.derivedSeed(configuration.seed, stream: 1)
        }
        self.kubernetes = kubernetes
        self.configuration = configuration
        self.controller = SimulatedIngressController(instances: instances, configuration: controllerConfiguration)
        self.apisix = self.controller.apisix
        self.state = ObservedState(WorldState(settings: configuration.sanitized))
    }

    /// The seed of this world.
    public var seed: UInt64 {
        self.configuration.seed
    }

    /// The name of the Service with index `index` (0-based): `checkout`, `catalog`, `cart`, `search`,
    /// `payments`, `profile`, then `svc-7`, `svc-8`, ...
    public static func serviceName(index: Int) -> String {
        let names = ["checkout", "catalog", "cart", "search", "payments", "profile"]
        return names.indices.contains(index) ? names[index] : "svc-\(index + 1)"
    }

    /// The names of the world's Services, by index.
    public var serviceNames: [String] {
        (0..<self.configuration.sanitized.services).map(Self.serviceName(index:))
    }

    // MARK: Lifecycle

    /// Seeds the initial state: every Service's slices into the Kubernetes fake and, through the controller, its
    /// upstream into the APISIX fakes (at once, without truth records); publishes the APISIX pods when
    /// ``Configuration/apisixService`` is set. Calling it again does nothing more.
    public func start() async {
        self.mutate { $0.start() }
        self.publishAPISIXPods()
    }

    /// Runs the timeline (churn, pod start-ups and terminations, scripted follow-ups) and the controller until the
    /// task is cancelled, then returns. A second concurrent call returns at once.
    public func run() async throws {
        let clock = ContinuousClock()
        let didStart = self.state.withLock { state -> Bool in
            guard state.origin == nil else { return false }
            state.origin = clock.now - .seconds(state.now)
            return true
        }
        guard didStart else { return }
        defer { self.state.withLock { $0.origin = nil } }
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await self.controller.run() }
            group.addTask { try await self.runTimeline(clock) }
            try await group.waitForAll()
        }
    }

    private func runTimeline(_ clock: ContinuousClock) async throws {
        while !Task.isCancelled {
            let (deadline, generation) = self.mutate { state -> (ContinuousClock.Instant?, Int) in
                let deadline = state.timeline.nextTime.flatMap { time in state.origin.map { $0 + .seconds(time) } }
                return (deadline, state.generation)
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

    /// Whether the churn loop acts (its schedule keeps running while it is off).
    public var churnEnabled: Bool {
        get { self.state.withLock { $0.churnEnabled } }
        set { self.state.withLock { $0.churnEnabled = newValue } }
    }

    /// Processes at once everything scheduled within the next `seconds` of simulated time, as if they had passed
    /// (while ``run()`` runs, the simulated clock stays ahead of the wall clock by that much).
    public func fastForward(by seconds: Double) {
        self.mutate { state in
            let target = state.now + max(seconds, 0)
            state.origin = state.origin.map { $0 - .seconds(max(seconds, 0)) }
            state.advance(to: target)
        }
    }

    // MARK: Scripted actions

    /// Sets the replica count of Deployment `service`. Returns `nil` for an unknown Service.
    @discardableResult
    public func scale(service: String, to replicas: Int) -> WorldAction? {
        self.withService(service) { state, index in state.scale(index, to: replicas) }
    }

    /// Starts a rolling update of Deployment `service` (`maxSurge: 1, maxUnavailable: 0`): each new pod that
    /// becomes ready replaces an old one. Returns `nil` for an unknown Service.
    @discardableResult
    public func roll(service: String) -> WorldAction? {
        self.withService(service) { state, index in state.roll(index) }
    }

    /// Makes a random ready pod of `service` not ready and ready again after
    /// ``Configuration/revertDelay`` (50 ms by default), faster than the controller: two ready-set changes that
    /// cancel out. Returns the action (with the pod and its address), or `nil` when no pod is ready.
    @discardableResult
    public func revert(service: String) -> WorldAction? {
        self.withService(service) { state, index in state.revert(index) }
    }

    /// Makes a random ready pod of `service` not ready and ready again after `seconds` of simulated time: a removal
    /// that lasts (longer than the controller's delay, the removal reaches APISIX before the pod returns) or one
    /// Kubernetes reverts before a slow controller wrote it (a flap). With `nodes`, only a pod whose node
    /// (`address:containerPort`) is among them is picked, e.g. one APISIX already routes to. Returns the action (with
    /// the pod and its address), or `nil` when no such pod is ready.
    @discardableResult
    public func revert(
        service: String,
        readyAgainAfter seconds: Double,
        among nodes: Set<String>? = nil
    ) -> WorldAction? {
        self.withService(service) { state, index in state.revert(index, after: seconds, among: nodes) }
    }

    /// Moves a random ready endpoint of `service` to another slice: first added there, then removed from its own
    /// slice, so the ready set does not change. Returns the action, or `nil` when no pod is ready.
    @discardableResult
    public func rebalance(service: String) -> WorldAction? {
        self.withService(service) { state, index in state.rebalance(index) }
    }

    /// Makes `count` successive readiness changes to `service` within about a second (then, a second later, the
    /// pods left not ready recover). Returns the action, or `nil` when none is possible.
    @discardableResult
    public func burst(service: String, count: Int) -> WorldAction? {
        self.withService(service) { state, index in state.burst(index, count: count) }
    }

    /// Deletes a random ready pod of `service` gracefully, as `kubectl delete pod` does: the pod gets its
    /// `deletionTimestamp` at once, its endpoint turns terminating after the endpoint controller's delay, and its
    /// ReplicaSet creates a replacement. Without ``Configuration/pods`` the pod just terminates. Returns the action
    /// (with the pod and its address), or `nil` when no pod is ready.
    @discardableResult
    public func deletePod(service: String) -> WorldAction? {
        self.withService(service) { state, index in state.deleteRandomPod(index) }
    }

    /// The endpoint controller's delay range for deletions from now on (``Configuration/endpointControllerDelay``);
    /// set a one-value range (e.g. `0.1...0.1`) to fix it.
    public var endpointControllerDelay: ClosedRange<Double> {
        get { self.state.withLock { $0.endpointControllerDelay } }
        set {
            self.state.withLock { state in
                let lower = max(newValue.lowerBound, 0)
                state.endpointControllerDelay = lower...max(newValue.upperBound, lower)
            }
        }
    }

    private func withService(_ name: String, _ body: (inout WorldState, Int) -> WorldAction?) -> WorldAction? {
        self.mutate { state in
            guard let index = state.services.firstIndex(where: { $0.name == name }) else { return nil }
            return body(&state, index)
        }
    }

    // MARK: Observation

    /// Simulated seconds since the start.
    public var time: Double {
        self.state.withLock { $0.simulatedTime(at: .now) }
    }

    /// The most recent actions, oldest first (at most ``Configuration/actionLogLimit``).
    public var actions: [WorldAction] {
        self.state.withLock { $0.actions }
    }

    /// The counters.
    public var statistics: Statistics {
        self.state.withLock { $0.currentStatistics }
    }

    /// The ready nodes (`ip:port`) of `service` as last written to Kubernetes: what APISIX should route to.
    public func readyNodes(service: String) -> Set<String> {
        self.state.withLock { state in
            state.services.first { $0.name == service }?.readyNodes(portName: state.settings.portName) ?? []
        }
    }

    /// Waits until `condition` holds for the statistics.
    ///
    /// - Throws: ``SimulatedClusterError/timedOut(waitingFor:)`` after `timeout`, or `CancellationError`.
    public func waitUntil(
        timeout: Duration = .seconds(10),
        _ description: String = "a condition on the simulated world",
        _ condition: @escaping @Sendable (Statistics) -> Bool
    ) async throws {
        try await self.state.wait(timeout: timeout, for: description) { condition($0.currentStatistics) }
    }

    /// Waits until no follow-up is scheduled: every created pod has started, every terminating pod is gone and
    /// every revert or burst has recovered. Needs ``run()`` (or ``fastForward(by:)``) for time to pass.
    public func waitUntilSettled(timeout: Duration = .seconds(10)) async throws {
        try await self.waitUntil(timeout: timeout, "the world to settle") { $0.pendingFollowUps == 0 }
    }

    // MARK: APISIX instances

    /// The APISIX instances the controller writes to, in the order they were added.
    public var apisixInstances: [FakeAPISIXAdmin] {
        self.controller.instances.map(\.apisix)
    }

    /// Adds an APISIX instance while the world runs, as a new APISIX pod: starts its servers, lets the controller
    /// sync it at once (no truth records) and then push every change to it, and publishes its endpoint. Returns
    /// `false` (after starting it) when an instance with that name is already there.
    ///
    /// - Throws: ``SimulatedClusterError/serverFailedToStart(_:)`` when the instance cannot listen.
    @discardableResult
    public func addAPISIXInstance(_ instance: SimulatedIngressController.Instance) async throws -> Bool {
        try await instance.apisix.start()
        guard self.controller.addInstance(instance) else { return false }
        self.publishAPISIXPods()
        return true
    }

    /// Removes the APISIX instance `name`, as a deleted APISIX pod: its endpoint turns terminating
    /// (`ready: false, serving: true, terminating: true`), the controller stops writing to it (its queued writes
    /// produce no truth), its servers stop, and its endpoint disappears. Returns `false` when there is no such
    /// instance.
    @discardableResult
    public func removeAPISIXInstance(named name: String) async -> Bool {
        guard let instance = self.controller.instances.first(where: { $0.name == name }) else { return false }
        self.terminatingAPISIXPods.withLock { _ = $0.insert(name) }
        self.publishAPISIXPods()
        self.controller.removeInstance(named: name)
        await instance.apisix.stop()
        self.terminatingAPISIXPods.withLock { _ = $0.remove(name) }
        self.publishAPISIXPods()
        return true
    }

    /// Writes the APISIX Service's slices for the current instances and deletes the slices no longer needed.
    private func publishAPISIXPods() {
        guard let service = self.configuration.apisixService else { return }
        self.terminatingAPISIXPods.withLock { terminating in
            // Read under the lock, so that concurrent publications are written in order.
            let pods = self.controller.instances.map { instance in
                SimulatedAPISIXService.Pod(
                    name: instance.name,
                    address: instance.apisix.host,
                    adminPort: instance.apisix.port,
                    controlPort: instance.apisix.controlPort,
                    terminating: terminating.contains(instance.name)
                )
            }
            let slices = service.slices(for: pods)
            let names = Set(slices.map(\.name))
            for slice in slices where self.kubernetes.slice(namespace: slice.namespace, name: slice.name) != slice {
                self.kubernetes.apply(slice)
            }
            for existing in self.kubernetes.slices
            where existing.namespace == service.namespace && existing.serviceName == service.name
                && !names.contains(existing.name)
            {
                self.kubernetes.delete(namespace: existing.namespace, name: existing.name)
            }
        }
    }

    // MARK: Writes

    /// Runs `body` under the lock, after catching the timeline up with the wall clock while running, and
    /// performs the EndpointSlice writes it produced, in order, still under the lock.
    @discardableResult
    private func mutate<Result: Sendable>(_ body: (inout WorldState) -> Result) -> Result {
        self.state.withLock { state in
            state.wallNow = Date().timeIntervalSince1970
            if state.origin != nil {
                state.advance(to: state.simulatedTime(at: .now))
            }
            let result = body(&state)
            for write in state.takeOutbox() {
                switch write {
                case .slice(let write):
                    self.perform(write, settings: state.settings, service: state.services[write.serviceIndex].name)
                case .pod(let pod):
                    self.kubernetes.apply(pod)
                case .podRemoved(let namespace, let name):
                    self.kubernetes.deletePod(namespace: namespace, name: name)
                case .replicaSet(let replicaSet):
                    self.kubernetes.apply(replicaSet)
                case .replicaSetRemoved(let namespace, let name):
                    self.kubernetes.deleteReplicaSet(namespace: namespace, name: name)
                }
            }
            return result
        }
    }

    private func perform(_ write: WorldState.SliceWrite, settings: Configuration, service: String) {
        let kubernetesTime = Date().timeIntervalSince1970
        switch write.operation {
        case .apply(let slice):
            self.kubernetes.apply(slice)
        case .delete(let name):
            self.kubernetes.delete(namespace: settings.namespace, name: name)
        }
        self.controller.receive(
            EndpointChange(
                serviceIndex: write.serviceIndex,
                serviceCount: settings.services,
                namespace: settings.namespace,
                service: service,
                servicePort: settings.servicePort,
                portName: settings.portName,
                readyNodes: write.readyNodes,
                kubernetesTime: kubernetesTime,
                podDeletions: write.podDeletions,
                isInitial: write.isInitial
            )
        )
    }
}
