import Foundation

/// Everything ``FakeAPISIXAdmin`` keeps behind its lock.
struct APISIXAdminState: Sendable {
    /// The runtime settings.
    var settings: FakeAPISIXAdmin.Configuration
    /// The configuration the Admin API shows.
    private(set) var objects = APISIXObjects()
    /// The etcd revision of the last write.
    private(set) var revision: Int
    /// The metadata of API-driven standalone mode.
    var standalone = StandaloneConfigState()
    /// The workers' view, or `nil` while it is not tracked (no Control API and no worker delay): then the workers
    /// use ``objects``. Tracking costs a copy of the configuration per write, which large simulations avoid.
    private(set) var workers: WorkerView?
    /// The Kubernetes discovery endpoints (the discovery's shared dict): `namespace/name` to port name to nodes.
    private(set) var discovery: [String: [String: [FakeUpstream.Node]]] = [:]
    /// The fault for list requests.
    var listFault: FakeAPISIXAdmin.Fault = .none
    /// The fault for single-upstream requests.
    var singleFault: FakeAPISIXAdmin.Fault = .none
    /// The counters.
    var statistics = FakeAPISIXAdmin.Statistics()
    /// Whether ``FakeAPISIXAdmin/start()`` was called (and ``FakeAPISIXAdmin/stop()`` was not).
    var isStarted = false
    /// The port bound by the first start, reused by restarts; 0 before.
    var port = 0
    /// The proxy-port listener's port, reused by restarts; 0 before the first start or without one.
    var proxyPort = 0
    /// The Control API's port, reused by restarts; 0 before the first start or without one.
    var controlPort = 0
    /// Bumped by every write, so that waiters can tell the configuration changed.
    private(set) var generation = 0
    /// Gets every stored write in order (etcd key and stored value, nil for a deletion), under the lock.
    var storeMirror: (@Sendable ([FakeAPISIXAdmin.StoredWrite]) -> Void)?
    /// The writes of the write in progress, for ``storeMirror``.
    private var mirrored: [FakeAPISIXAdmin.StoredWrite] = []

    init(settings: FakeAPISIXAdmin.Configuration) {
        self.settings = settings
        self.revision = settings.initialRevision
        if settings.controlPort != nil || settings.workerDelay > .zero {
            self.workers = WorkerView(applied: APISIXObjects())
        }
    }

    /// The upstreams the Admin API shows, keyed by id.
    var upstreams: [String: StoredUpstream] { self.objects.upstreams }

    /// Whether the server should currently be listening.
    var shouldListen: Bool {
        self.isStarted && self.listFault != .refuseConnections && self.singleFault != .refuseConnections
    }

    /// The fault for requests of `scope` (`.all` is not a request kind and has no fault).
    func fault(for scope: FakeAPISIXAdmin.FaultScope) -> FakeAPISIXAdmin.Fault {
        switch scope {
        case .list: return self.listFault
        case .single: return self.singleFault
        case .all: return .none
        }
    }

    // MARK: Writes

    /// Creates or replaces `upstream`, keeping `create_time` and `createdIndex` of an existing one.
    mutating func put(_ upstream: FakeUpstream) {
        self.write(APISIXWriteBatch(upstreams: [upstream]))
    }

    /// Deletes the upstream `id`; returns whether it existed.
    mutating func delete(id: FakeUpstream.ID) -> Bool {
        guard self.objects.upstreams[id.description] != nil else { return false }
        self.write(APISIXWriteBatch(deletedUpstreams: [id]))
        return true
    }

    /// Performs `batch`: in etcd mode every object is a write of its own (a new revision, `update_time` now); in
    /// standalone mode the batch is one push, whose stamp becomes the `modifiedIndex` of the items that changed and
    /// the `<type>_conf_version` of their types (a push that changes nothing changes nothing, as APISIX answers an
    /// unchanged digest with 204). Returns the wall-clock time of the write and when the workers apply it (both
    /// in seconds since 1970).
    @discardableResult
    mutating func write(
        _ batch: APISIXWriteBatch,
        now: Date = Date(),
        instant: ContinuousClock.Instant = .now
    ) -> (time: Double, workerTime: Double) {
        let standalone = self.settings.mode == .standalone
        let stamp = standalone ? self.standalone.nextStamp(now: now) : nil
        let seconds = Int(now.timeIntervalSince1970)
        var changed: Set<String> = []
        for upstream in batch.upstreams {
            self.store(upstream, in: \.upstreams, seconds: seconds, stamp: stamp, changed: &changed)
        }
        for service in batch.services {
            self.store(service, in: \.services, seconds: seconds, stamp: stamp, changed: &changed)
        }
        for route in batch.routes {
            self.store(route, in: \.routes, seconds: seconds, stamp: stamp, changed: &changed)
        }
        for id in batch.deletedRoutes {
            self.remove(id, from: \.routes, changed: &changed)
        }
        for id in batch.deletedServices {
            self.remove(id, from: \.services, changed: &changed)
        }
        for id in batch.deletedUpstreams {
            self.remove(id, from: \.upstreams, changed: &changed)
        }
        if let stamp, !changed.isEmpty {
            self.standalone.recordPush(changed: changed, stamp: stamp, now: now)
        }
        for (service, ports) in batch.discovery {
            self.discovery[service] = ports
        }
        if !changed.isEmpty {
            self.workers?.record(self.objects, delay: self.settings.workerDelay, now: instant)
        }
        if let storeMirror, !self.mirrored.isEmpty {
            storeMirror(self.mirrored)
        }
        self.mirrored = []
        self.generation += 1
        let time = now.timeIntervalSince1970
        return (time, time + self.settings.workerDelay.inSeconds)
    }

    private mutating func store<Object>(
        _ object: Object,
        in keyPath: WritableKeyPath<APISIXObjects, [String: StoredObject<Object>]>,
        seconds: Int,
        stamp: Int?,
        changed: inout Set<String>
    ) {
        let key = object.id.description
        let previous = self.objects[keyPath: keyPath][key]
        if stamp != nil, previous?.object == object {
            return
        }
        let index: Int
        if let stamp {
            index = stamp
        } else {
            self.revision += 1
            index = self.revision
        }
        let stored = StoredObject(
            object: object,
            createTime: previous?.createTime ?? seconds,
            updateTime: seconds,
            createdIndex: previous?.createdIndex ?? index,
            modifiedIndex: index
        )
        self.objects[keyPath: keyPath][key] = stored
        if self.storeMirror != nil {
            let value = APISIXWire.value(stored).serialized(escaping: APISIXWire.escaping)
            self.mirrored.append(.init(key: stored.key, value: value))
        }
        changed.insert(Object.resourceType)
    }

    private mutating func remove<Object>(
        _ id: FakeUpstream.ID,
        from keyPath: WritableKeyPath<APISIXObjects, [String: StoredObject<Object>]>,
        changed: inout Set<String>
    ) {
        guard let removed = self.objects[keyPath: keyPath].removeValue(forKey: id.description) else { return }
        if self.storeMirror != nil { self.mirrored.append(.init(key: removed.key, value: nil)) }
        if self.settings.mode == .etcd {
            self.revision += 1
        }
        changed.insert(Object.resourceType)
    }

    /// Replaces the whole configuration with `batch`'s objects, as `PUT /apisix/admin/configs` does: objects not in
    /// the batch are deleted.
    @discardableResult
    mutating func replaceAll(with batch: APISIXWriteBatch) -> (time: Double, workerTime: Double) {
        var full = batch
        let keptUpstreams = Set(batch.upstreams.map(\.id.description))
        let keptServices = Set(batch.services.map(\.id.description))
        let keptRoutes = Set(batch.routes.map(\.id.description))
        full.deletedUpstreams += self.objects.upstreams.values.map(\.object.id).filter {
            !keptUpstreams.contains($0.description)
        }
        full.deletedServices += self.objects.services.values.map(\.object.id).filter {
            !keptServices.contains($0.description)
        }
        full.deletedRoutes += self.objects.routes.values.map(\.object.id).filter {
            !keptRoutes.contains($0.description)
        }
        return self.write(full)
    }

    // MARK: Reads

    /// The configuration the workers route with at `now` (applying the writes whose delay has passed).
    mutating func workerObjects(now: ContinuousClock.Instant = .now) -> APISIXObjects {
        guard self.workers != nil else { return self.objects }
        self.workers?.advance(to: now)
        return self.workers?.applied ?? self.objects
    }

    /// When the workers apply the next pending write, or `nil` when none is pending.
    var nextWorkerDue: ContinuousClock.Instant? {
        self.workers?.nextDue
    }

    /// The standalone `X-Digest`, computed from the configuration when needed; `nil` before the first push.
    mutating func standaloneDigest() -> String? {
        guard self.standalone.isConfigured else { return nil }
        if let digest = self.standalone.digest {
            return digest
        }
        let body = APISIXWire.standaloneConfig(self.objects, confVersions: self.standalone.confVersions, headers: nil)
        let digest = SHA1.hexDigest(body.serialized(escaping: APISIXWire.escaping))
        self.standalone.digest = digest
        return digest
    }
}
