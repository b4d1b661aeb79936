/// The upstreams, services and routes of one APISIX configuration, keyed by id (as in the etcd key): what the
/// Admin API shows, or a snapshot of it that the workers route with.
struct APISIXObjects: Sendable {
    var upstreams: [String: StoredUpstream] = [:]
    var services: [String: StoredService] = [:]
    var routes: [String: StoredRoute] = [:]

    /// Every stored object of `Object`'s resource type, in etcd key order.
    func sorted<Object>(
        _ keyPath: KeyPath<APISIXObjects, [String: StoredObject<Object>]>
    ) -> [StoredObject<Object>] {
        self[keyPath: keyPath].values.sorted { $0.key < $1.key }
    }
}
