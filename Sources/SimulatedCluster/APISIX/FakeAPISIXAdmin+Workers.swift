extension FakeAPISIXAdmin {
    /// How long after a write the workers route with it (what the Control API shows). A change applies to writes
    /// made afterwards. Setting a non-zero delay on an instance created without a Control API and with no delay
    /// has no effect: the workers' view is only tracked when one of them was configured.
    public var workerDelay: Duration {
        get { self.state.withLock { $0.settings.workerDelay } }
        set { self.state.withLock { $0.settings.workerDelay = newValue } }
    }

    /// Whether the Control API serves `/v1/routes`, `/v1/route/{id}`, `/v1/services` and `/v1/service/{id}`;
    /// `false` answers 404 there, as an older APISIX (``Configuration/controlAPIServesRoutesAndServices``). Applies
    /// to requests from now on.
    public var controlAPIServesRoutesAndServices: Bool {
        get { self.state.withLock { $0.settings.controlAPIServesRoutesAndServices } }
        set { self.state.withLock { $0.settings.controlAPIServesRoutesAndServices = newValue } }
    }

    /// The upstreams the workers route with now, in etcd key order.
    public var workerUpstreams: [FakeUpstream] {
        self.state.withLock { $0.workerObjects().sorted(\.upstreams).map(\.object) }
    }

    /// The upstream `id` as the workers have it now, or `nil`.
    public func workerUpstream(id: FakeUpstream.ID) -> FakeUpstream? {
        self.state.withLock { $0.workerObjects().upstreams[id.description]?.object }
    }

    /// The services the workers route with now, in etcd key order.
    public var workerServices: [FakeService] {
        self.state.withLock { $0.workerObjects().sorted(\.services).map(\.object) }
    }

    /// The routes the workers route with now, in etcd key order.
    public var workerRoutes: [FakeRoute] {
        self.state.withLock { $0.workerObjects().sorted(\.routes).map(\.object) }
    }

    /// Waits until `condition` holds for the upstreams the workers route with (checked after every write and
    /// whenever a pending write reaches the workers).
    ///
    /// - Throws: ``SimulatedClusterError/timedOut(waitingFor:)`` after `timeout`, or `CancellationError`.
    public func waitForWorkers(
        timeout: Duration = .seconds(10),
        _ description: String = "a condition on the workers' upstreams",
        _ condition: @escaping @Sendable ([FakeUpstream]) -> Bool
    ) async throws {
        let clock = ContinuousClock()
        let deadline = clock.now + timeout
        while true {
            let (satisfied, nextDue, generation) = self.state.withLock { state in
                let upstreams = state.workerObjects(now: clock.now).sorted(\.upstreams).map(\.object)
                return (condition(upstreams), state.nextWorkerDue, state.generation)
            }
            if satisfied {
                return
            }
            guard clock.now < deadline else {
                throw SimulatedClusterError.timedOut(waitingFor: description)
            }
            _ = try await self.state.wait(until: min(nextDue ?? deadline, deadline)) { $0.generation != generation }
        }
    }
}
