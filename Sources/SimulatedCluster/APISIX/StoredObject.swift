/// An object as held by ``FakeAPISIXAdmin``: the scripted upstream, service or route plus the fields APISIX and
/// etcd (or, in API-driven standalone mode, the pushing ADC) own.
struct StoredObject<Object: FakeAPISIXObject>: Sendable {
    /// The object as last written.
    var object: Object
    /// `create_time`, epoch seconds of the first write (etcd mode only).
    var createTime: Int
    /// `update_time`, epoch seconds of the last write (etcd mode only).
    var updateTime: Int
    /// `createdIndex`: the etcd revision of the first write (etcd mode only).
    var createdIndex: Int
    /// `modifiedIndex`: the etcd revision of the last write, or in standalone mode the epoch-millisecond stamp ADC
    /// gives every item it changes.
    var modifiedIndex: Int

    /// The etcd key, e.g. `/apisix/upstreams/<id>`.
    var key: String {
        "/apisix/\(Object.resourceType)/\(self.object.id)"
    }

    /// The key of the item in API-driven standalone mode's Control API, e.g. `/upstreams/<id>`.
    var standaloneKey: String {
        "/\(Object.resourceType)/\(self.object.id)"
    }
}

extension StoredObject where Object == FakeUpstream {
    /// The upstream as last written.
    var upstream: FakeUpstream { self.object }
}

/// An upstream as held by ``FakeAPISIXAdmin``.
typealias StoredUpstream = StoredObject<FakeUpstream>
/// A service as held by ``FakeAPISIXAdmin``.
typealias StoredService = StoredObject<FakeService>
/// A route as held by ``FakeAPISIXAdmin``.
typealias StoredRoute = StoredObject<FakeRoute>
