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
        let pods = KubernetesObjectWatcher<PodSummary>(
            client: client,
            resource: .pods,
            namespace: namespace,
            readObject: { reader throws(JSONReader.Failure) in try PodSummary(reading: &reader) },
            resourceVersionOf: \.resourceVersion,
            handlers: handlers(
                .pods,
                tracker: tracker,
                listPage: { await tracker.podListPage($0, first: $1) },
                listed: { await tracker.podListEnded(namespace: namespace, at: $0) },
                event: { await tracker.podEvent($0, at: $1, live: $2) }
            ),
            clock: clock,
            logger: logger
        )
        let replicaSets = KubernetesObjectWatcher<ReplicaSetSummary>(
            client: client,
            resource: .replicaSets,
            namespace: namespace,
            readObject: { reader throws(JSONReader.Failure) in try ReplicaSetSummary(reading: &reader) },
            resourceVersionOf: \.resourceVersion,
            handlers: handlers(
                .replicaSets,
                tracker: tracker,
                listPage: { await tracker.replicaSetListPage($0, first: $1) },
                listed: { await tracker.replicaSetListEnded(namespace: namespace, at: $0) },
                event: { event, time, _ in await tracker.replicaSetEvent(event, at: time) }
            ),
            clock: clock,
            logger: logger
        )
        return [replicaSets, pods]
    }

    private static func handlers<Object>(
        _ resource: KubernetesResource,
        tracker: SyncTracker,
        listPage: @escaping @Sendable ([Object], Bool) async -> Void,
        listed: @escaping @Sendable (Timestamp) async -> Void,
        event: @escaping @Sendable (KubernetesObjectEvent<Object>, Timestamp, Bool) async -> Void
    ) -> KubernetesObjectWatcher<Object>.Handlers {
        .init(
            listPage: listPage,
            listed: listed,
            event: event,
            succeeded: { await tracker.podSourceSucceeded(resource, at: $0) },
            failed: { await tracker.podSourceFailed(resource, $0, at: $1) },
            forbidden: { await tracker.podSourceForbidden(resource, $0, at: $1) }
        )
    }
}
