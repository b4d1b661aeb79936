import Foundation

/// Everything ``FakeAPISIXAdmin`` keeps behind its lock.
struct APISIXAdminState: Sendable {
    /// The runtime settings.
    var settings: FakeAPISIXAdmin.Configuration
    /// The upstreams keyed by id (as in the etcd key).
    private(set) var upstreams: [String: StoredUpstream] = [:]
    /// The etcd revision of the last write.
    private(set) var revision: Int
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

    init(settings: FakeAPISIXAdmin.Configuration) {
        self.settings = settings
        self.revision = settings.initialRevision
    }

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

    /// Creates or replaces `upstream`, keeping `create_time` and `createdIndex` of an existing one.
    mutating func put(_ upstream: FakeUpstream) {
        self.revision += 1
        let now = Int(Date().timeIntervalSince1970)
        let key = upstream.id.description
        let previous = self.upstreams[key]
        self.upstreams[key] = StoredUpstream(
            upstream: upstream,
            createTime: previous?.createTime ?? now,
            updateTime: now,
            createdIndex: previous?.createdIndex ?? self.revision,
            modifiedIndex: self.revision
        )
    }

    /// Deletes the upstream `id`; returns whether it existed.
    mutating func delete(id: FakeUpstream.ID) -> Bool {
        guard self.upstreams.removeValue(forKey: id.description) != nil else { return false }
        self.revision += 1
        return true
    }
}
