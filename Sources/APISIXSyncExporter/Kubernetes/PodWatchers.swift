import Logging
import ServiceLifecycle

/// The pod and ReplicaSet watchers of one scope, reporting to the tracker.
enum PodWatchers {
    static func make(
        client: KubernetesClient,
        namespace: String?,
        tracker: SyncTracker,
        clock: any WallClock,
        logger: Logger
    ) -> [any Service] {
        /// A watcher of `resource` whose lists and events go to the given tracker calls, and whose health goes to the
        /// tracker's pod-source calls.
        func watcher<Object>(
            _ resource: KubernetesResource,
            readObject: @escaping KubernetesObjectWatcher<Object>.ObjectReader,
            resourceVersionOf: @escaping @Sendable (Object) -> String?,
            listPage: @escaping @Sendable ([Object], Bool) async -> Void,
            listed: @escaping @Sendable (Timestamp) async -> Void,
            event: @escaping @Sendable (KubernetesObjectEvent<Object>, Timestamp, Bool) async -> Void
        ) -> KubernetesObjectWatcher<Object> {
            KubernetesObjectWatcher(
                client: client,
                resource: resource,
                namespace: namespace,
                readObject: readObject,
                resourceVersionOf: resourceVersionOf,
                handlers: .init(
                    listPage: listPage,
                    listed: listed,
                    event: event,
                    succeeded: { await tracker.podSourceSucceeded(resource, at: $0) },
                    failed: { await tracker.podSourceFailed(resource, $0, at: $1) },
                    forbidden: { await tracker.podSourceForbidden(resource, $0, at: $1) }
                ),
                clock: clock,
                logger: logger
            )
        }
        let pods = watcher(
            .pods,
            readObject: { reader throws(JSONReader.Failure) in try PodSummary(reading: &reader) },
            resourceVersionOf: \.resourceVersion,
            listPage: { await tracker.podListPage($0, first: $1) },
            listed: { await tracker.podListEnded(namespace: namespace, at: $0) },
            event: { await tracker.podEvent($0, at: $1, live: $2) }
        )
        let replicaSets = watcher(
            .replicaSets,
            readObject: { reader throws(JSONReader.Failure) in try ReplicaSetSummary(reading: &reader) },
            resourceVersionOf: \.resourceVersion,
            listPage: { await tracker.replicaSetListPage($0, first: $1) },
            listed: { await tracker.replicaSetListEnded(namespace: namespace, at: $0) },
            event: { event, time, _ in await tracker.replicaSetEvent(event, at: time) }
        )
        return [replicaSets, pods]
    }
}
