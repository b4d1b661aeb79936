extension FakeAPISIXAdmin {
    // MARK: Services and routes

    /// Creates or replaces a service (one push in standalone mode). An existing one keeps its `create_time` and
    /// `createdIndex`.
    public func putService(_ service: FakeService) {
        self.write(APISIXWriteBatch(services: [service]))
    }

    /// Deletes service `id`. Returns `false` when there is no such service.
    @discardableResult
    public func deleteService(id: FakeUpstream.ID) -> Bool {
        self.state.withLock { state in
            guard state.objects.services[id.description] != nil else { return false }
            state.write(APISIXWriteBatch(deletedServices: [id]))
            return true
        }
    }

    /// The service `id` as last written, or `nil`.
    public func service(id: FakeUpstream.ID) -> FakeService? {
        self.state.withLock { $0.objects.services[id.description]?.object }
    }

    /// All services in etcd key order.
    public var services: [FakeService] {
        self.state.withLock { $0.objects.sorted(\.services).map(\.object) }
    }

    /// Creates or replaces a route (one push in standalone mode). An existing one keeps its `create_time` and
    /// `createdIndex`.
    public func putRoute(_ route: FakeRoute) {
        self.write(APISIXWriteBatch(routes: [route]))
    }

    /// Deletes route `id`. Returns `false` when there is no such route.
    @discardableResult
    public func deleteRoute(id: FakeUpstream.ID) -> Bool {
        self.state.withLock { state in
            guard state.objects.routes[id.description] != nil else { return false }
            state.write(APISIXWriteBatch(deletedRoutes: [id]))
            return true
        }
    }

    /// The route `id` as last written, or `nil`.
    public func route(id: FakeUpstream.ID) -> FakeRoute? {
        self.state.withLock { $0.objects.routes[id.description]?.object }
    }

    /// All routes in etcd key order.
    public var routes: [FakeRoute] {
        self.state.withLock { $0.objects.sorted(\.routes).map(\.object) }
    }

    // MARK: Several objects at once

    /// Creates or replaces several objects in one go: in etcd mode one write (one revision) per object, upstreams
    /// first, then services, then routes; in standalone mode one push, which stamps the items that changed and
    /// bumps the `<type>_conf_version` of their types, `X-Last-Modified` and `X-Digest` (a push that changes
    /// nothing changes nothing).
    public func put(upstreams: [FakeUpstream] = [], services: [FakeService] = [], routes: [FakeRoute] = []) {
        self.write(APISIXWriteBatch(upstreams: upstreams, services: services, routes: routes))
    }

    /// Replaces the whole configuration, as `PUT /apisix/admin/configs` does in standalone mode: objects not
    /// given are deleted. In etcd mode every put and delete is a write of its own.
    public func replaceConfiguration(
        upstreams: [FakeUpstream] = [],
        services: [FakeService] = [],
        routes: [FakeRoute] = []
    ) {
        self.state.withLock { state in
            _ = state.replaceAll(with: APISIXWriteBatch(upstreams: upstreams, services: services, routes: routes))
        }
    }

    /// Performs `batch` and returns the wall-clock time of the write and when the workers apply it.
    @discardableResult
    func write(_ batch: APISIXWriteBatch) -> (time: Double, workerTime: Double) {
        self.state.withLock { $0.write(batch) }
    }
}
