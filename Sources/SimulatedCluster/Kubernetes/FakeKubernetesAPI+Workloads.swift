/// Scripting pods and ReplicaSets.
extension FakeKubernetesAPI {
    /// Creates or replaces a pod (an `ADDED` or `MODIFIED` event) and returns the new resource version.
    @discardableResult
    public func apply(_ pod: FakePod) -> Int {
        self.state.withLock { $0.apply(.pod(pod)) }
    }

    /// Deletes a pod for good (a `DELETED` event) and returns the new resource version, or `nil` when there is no
    /// such pod. A graceful deletion is an ``apply(_:)-(FakePod)`` with ``FakePod/deletionTimestamp`` set first.
    @discardableResult
    public func deletePod(namespace: String, name: String) -> Int? {
        self.state.withLock { $0.delete(.pods, namespace: namespace, name: name) }
    }

    /// The pod `namespace/name` as last applied, or `nil`.
    public func pod(namespace: String, name: String) -> FakePod? {
        self.state.withLock { state in
            guard case .pod(let pod) = state.store.object(.pods, namespace: namespace, name: name)?.payload else {
                return nil
            }
            return pod
        }
    }

    /// The number of pods.
    public var podCount: Int {
        self.state.withLock { $0.store.objects(of: .pods).count }
    }

    /// All pods, ordered by namespace/name.
    public var pods: [FakePod] {
        self.state.withLock { state in
            state.store.sortedObjects(of: .pods).compactMap { stored in
                if case .pod(let pod) = stored.payload { return pod }
                return nil
            }
        }
    }

    /// Creates or replaces a ReplicaSet (an `ADDED` or `MODIFIED` event) and returns the new resource version.
    @discardableResult
    public func apply(_ replicaSet: FakeReplicaSet) -> Int {
        self.state.withLock { $0.apply(.replicaSet(replicaSet)) }
    }

    /// Deletes a ReplicaSet (a `DELETED` event) and returns the new resource version, or `nil` when there is no
    /// such ReplicaSet.
    @discardableResult
    public func deleteReplicaSet(namespace: String, name: String) -> Int? {
        self.state.withLock { $0.delete(.replicaSets, namespace: namespace, name: name) }
    }

    /// All ReplicaSets, ordered by namespace/name.
    public var replicaSets: [FakeReplicaSet] {
        self.state.withLock { state in
            state.store.sortedObjects(of: .replicaSets).compactMap { stored in
                if case .replicaSet(let replicaSet) = stored.payload { return replicaSet }
                return nil
            }
        }
    }
}
