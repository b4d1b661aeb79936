/// Pods and ReplicaSets: deletion moments for the Kubernetes stage of removals, and the workloads behind Services.
extension SyncTracker {
    /// The `source` label of the pod and ReplicaSet watches.
    static let podSource = "kubernetes-pods"

    /// Starts the Kubernetes stage of every node a live change removes whose pod is deleting; counts why others
    /// have none.
    func beginRemovals(_ changes: [DesiredSetChange], at time: Timestamp) {
        for change in changes {
            guard let old = change.old else { continue }
            for node in old.subtracting(change.new ?? []) {
                switch podTiming.stage(
                    removing: node,
                    from: change.key,
                    slices: index,
                    at: time,
                    changeTimeout: settings.changeTimeout
                ) {
                case .success(let stage):
                    sink.beginRemoval(RemovalKey(port: change.key, node: node), stage: stage)
                case .failure(let skip) where skip.reason == .notTerminating:
                    // Its deleting update may still be on its way (another watch stream): wait a little for it.
                    guard let name = index.podReference(of: change.key.service, host: node.host)?.name else { continue }
                    podTiming.awaitDeletion(
                        of: PodName(namespace: change.key.service.namespace, name: name),
                        for: RemovalKey(port: change.key, node: node),
                        since: time
                    )
                case .failure(let skip):
                    metrics.countStageSkipped(skip.reason)
                }
            }
        }
    }

    /// A complete list of pods.
    public func podsListed(_ pods: [PodSummary], namespace: String?, at time: Timestamp) {
        podListPage(pods, first: true)
        podListEnded(namespace: namespace, at: time)
    }

    /// One page of a pod list, folded into the list being collected at once (the decoded pages are not kept).
    public func podListPage(_ pods: [PodSummary], first: Bool) {
        guard podTiming.enabled else { return }
        if first { podTiming.podList = PodIndex() }
        for pod in pods { podTiming.podList.stage(pod) }
    }

    /// The pages since the first make a complete list of pods: it replaces the index (or the namespace's pods).
    public func podListEnded(namespace: String?, at time: Timestamp) {
        guard podTiming.enabled else { return }
        podTiming.pods.replaceAll(with: podTiming.podList, inNamespace: namespace)
        podTiming.podList = PodIndex()
        podTiming.refreshAllWorkloads(slices: index)
    }

    /// One pod event; `live` is false for events that may be replays of a watch gap (their deletion moment falls
    /// back to the pod's metadata).
    public func podEvent(_ event: KubernetesObjectEvent<PodSummary>, at time: Timestamp, live: Bool) {
        guard podTiming.enabled else { return }
        switch event {
        case .added(let pod), .modified(let pod):
            if podTiming.pods.upsert(pod, at: time, live: live) { resolveAwaited(pod) }
        case .deleted(let pod):
            podTiming.pods.delete(pod, at: time, live: live)
            resolveAwaited(pod)
        case .bookmark, .error: break
        }
    }

    /// Gives the removals that came before this pod's deleting update their stage, if they are still pending.
    private func resolveAwaited(_ pod: PodSummary) {
        let name = PodName(namespace: pod.namespace, name: pod.name)
        for (awaited, result) in podTiming.resolveAwaited(name, changeTimeout: settings.changeTimeout) {
            let removal = awaited.removal
            let pending = engine.pending(removal.port).contains {
                $0.node == removal.node && $0.kind == .remove && $0.since == awaited.since
            }
            switch result {
            case .success(let stage) where pending: sink.beginRemoval(removal, stage: stage)
            case .success: metrics.countStageSkipped(.notTerminating)  // it ended before the pod said why
            case .failure(let skip): metrics.countStageSkipped(skip.reason)
            }
        }
    }

    /// Counts the removals whose pod never started deleting: their endpoint went unready for another reason.
    func expireAwaitedDeletions(at time: Timestamp) {
        metrics.countStageSkipped(.notTerminating, count: podTiming.expireAwaited(at: time))
    }

    /// A complete list of ReplicaSets.
    public func replicaSetsListed(_ replicaSets: [ReplicaSetSummary], namespace: String?, at time: Timestamp) {
        replicaSetListPage(replicaSets, first: true)
        replicaSetListEnded(namespace: namespace, at: time)
    }

    /// One page of a ReplicaSet list.
    public func replicaSetListPage(_ replicaSets: [ReplicaSetSummary], first: Bool) {
        guard podTiming.enabled else { return }
        if first { podTiming.replicaSetList = [] }
        podTiming.replicaSetList += replicaSets
    }

    /// The pages since the first make a complete list of ReplicaSets.
    public func replicaSetListEnded(namespace: String?, at time: Timestamp) {
        guard podTiming.enabled else { return }
        podTiming.pods.replaceAllReplicaSets(podTiming.replicaSetList, inNamespace: namespace)
        podTiming.replicaSetList = []
        podTiming.refreshAllWorkloads(slices: index)
    }

    /// One ReplicaSet event.
    public func replicaSetEvent(_ event: KubernetesObjectEvent<ReplicaSetSummary>, at time: Timestamp) {
        guard podTiming.enabled else { return }
        switch event {
        case .added(let replicaSet), .modified(let replicaSet): podTiming.pods.upsertReplicaSet(replicaSet)
        case .deleted(let replicaSet): podTiming.pods.deleteReplicaSet(replicaSet)
        case .bookmark, .error: break
        }
    }

    /// The `target` label of a pod or ReplicaSet watch: the API server and the resource.
    private func podTarget(_ resource: KubernetesResource) -> String { "\(kubernetesTarget)/\(resource.plural)" }

    /// A pod or ReplicaSet list or watch succeeded.
    public func podSourceSucceeded(_ resource: KubernetesResource, at time: Timestamp) {
        let target = podTarget(resource)
        if podTiming.health[target, default: SourceHealth()].succeeded(at: time) {
            logger.info("source up", metadata: ["source": "\(Self.podSource)", "target": "\(target)"])
        }
    }

    /// A pod or ReplicaSet list or watch failed: logged once per state change, counted; removals keep being timed
    /// from the deletions already seen.
    public func podSourceFailed(_ resource: KubernetesResource, _ failure: SourceFailure, at time: Timestamp) {
        let target = podTarget(resource)
        metrics.countSourceError(source: Self.podSource, target: target, reason: failure.reason.rawValue)
        if podTiming.health[target, default: SourceHealth()].failed(failure) {
            logger.warning(
                "source down",
                metadata: ["source": "\(Self.podSource)", "target": "\(target)", "error": "\(failure)"]
            )
        }
    }

    /// RBAC forbids watching pods or ReplicaSets: removals are timed from the EndpointSlice change only, and the
    /// workload table stays empty. One log line says how to grant the permission.
    public func podSourceForbidden(_ resource: KubernetesResource, _ failure: SourceFailure, at time: Timestamp) {
        let target = podTarget(resource)
        metrics.countSourceError(source: Self.podSource, target: target, reason: failure.reason.rawValue)
        _ = podTiming.health[target, default: SourceHealth()].failed(failure)
        guard podTiming.enabled else { return }
        podTiming.disable(reason: "\(resource.plural) forbidden: \(failure.message)")
        let message =
            "pod deletion timing disabled: the exporter may not list or watch \(resource.plural); grant get, list and "
            + "watch on \(resource.plural) (see deploy/base/cluster-role.yaml) or set --kubernetes.watch-pods=false"
        logger.error(
            "\(message)",
            metadata: ["source": "\(Self.podSource)", "target": "\(target)", "error": "\(failure)"]
        )
    }
}
