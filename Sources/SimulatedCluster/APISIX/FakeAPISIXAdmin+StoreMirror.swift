extension FakeAPISIXAdmin {
    /// One stored write as etcd holds it: the key (`/apisix/upstreams/<id>`) and the value the Admin API returns as
    /// `value` (nil for a deletion).
    public struct StoredWrite: Sendable, Equatable {
        public var key: String
        public var value: [UInt8]?
    }

    /// Calls `mirror` with every later write, in order, under the fake's lock (it must return at once, e.g. by
    /// queueing); the objects stored now come first, as puts. Nil stops mirroring.
    public func setStoreMirror(_ mirror: (@Sendable ([StoredWrite]) -> Void)?) {
        self.state.withLock { state in
            state.storeMirror = mirror
            guard let mirror else { return }
            var current: [StoredWrite] = []
            for stored in state.objects.upstreams.values.sorted(by: { $0.key < $1.key }) {
                current.append(
                    .init(key: stored.key, value: APISIXWire.value(stored).serialized(escaping: APISIXWire.escaping))
                )
            }
            for stored in state.objects.services.values.sorted(by: { $0.key < $1.key }) {
                current.append(
                    .init(key: stored.key, value: APISIXWire.value(stored).serialized(escaping: APISIXWire.escaping))
                )
            }
            for stored in state.objects.routes.values.sorted(by: { $0.key < $1.key }) {
                current.append(
                    .init(key: stored.key, value: APISIXWire.value(stored).serialized(escaping: APISIXWire.escaping))
                )
            }
            if !current.isEmpty { mirror(current) }
        }
    }
}
