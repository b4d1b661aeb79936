/// What the tracker knows of pods: the ``PodIndex``, the health of the pod and ReplicaSet watches, each measured
/// Service's workloads, and the Kubernetes stage of a removal (from its pod's deletion to the EndpointSlice change).
struct PodTiming: Sendable {
    /// One workload behind a Service, with the container serving the Service's ports.
    struct ServiceWorkload: Sendable, Equatable {
        var workload: WorkloadKey
        var container: ContainerSummary?
        var terminationGracePeriodSeconds: Int
        /// Why the workload is only approximately known (its ReplicaSet is missing: the ReplicaSet stands for it).
        var gap: PodIndex.WorkloadGap? = nil
    }

    /// Whether removals are timed from pod deletion: on unless turned off or forbidden.
    private(set) var enabled: Bool
    /// Why the pod watch stopped (a 403), for the log and `/api/v1/workloads`.
    private(set) var disabledReason: String?
    var pods = PodIndex()
    /// The pod list being read, page by page (empty between lists).
    var podList = PodIndex()
    /// The ReplicaSet list being read, page by page.
    var replicaSetList: [ReplicaSetSummary] = []
    var health: [String: SourceHealth] = [:]
    private(set) var serviceWorkloads: [ServiceKey: [ServiceWorkload]] = [:]

    init(enabled: Bool) {
        self.enabled = enabled
    }

    /// The pod watch is forbidden: removals are timed from the EndpointSlice change only from now on.
    mutating func disable(reason: String) {
        enabled = false
        disabledReason = reason
        serviceWorkloads = [:]
        podList = PodIndex()
        replicaSetList = []
    }

    /// The Kubernetes stage of removing `node` from `key`, seen at `time`, or why there is none.
    func stage(
        removing node: NodeAddress,
        from key: ServicePortKey,
        slices: EndpointSliceIndex,
        at time: Timestamp,
        changeTimeout: Double
    ) -> Result<RemovalStage, RemovalStageSkipError> {
        guard let reference = slices.podReference(of: key.service, host: node.host),
            reference.name != nil || reference.objectUID != nil
        else { return .failure(.init(.noTargetRef)) }
        guard let name = reference.name,
            let pod = pods.pod(namespace: key.service.namespace, name: name, objectUID: reference.objectUID)
        else { return .failure(.init(.podUnknown)) }
        return stage(of: pod, port: node.port, sliceSeen: time, changeTimeout: changeTimeout)
    }

    /// The Kubernetes stage of a removal of `pod`'s endpoint on `port`, whose slice change arrived at `sliceSeen`.
    func stage(
        of pod: PodIndex.Pod,
        port: Int,
        sliceSeen time: Timestamp,
        changeTimeout: Double
    ) -> Result<RemovalStage, RemovalStageSkipError> {
        guard let deletion = pod.deletion else { return .failure(.init(.notTerminating)) }
        // The live moment when the pod update came before the slice change; else the apiserver's request time
        // (whole seconds, so the stage is overstated by less than a second, never understated).
        let stage: (Double, RemovalStage.Provenance)
        if let seen = deletion.seen, time >= seen {
            stage = (time - seen, .watch)
        } else if let requested = deletion.requested {
            stage = (time - requested, .metadata)
        } else {
            return .failure(.init(.podUnknown))
        }
        guard stage.0 >= 0 else { return .failure(.init(.negativeStage)) }
        guard stage.0 <= changeTimeout else { return .failure(.init(.implausibleStage)) }
        let container = pod.template.container(serving: port)
        return .success(
            RemovalStage(
                kubernetes: stage.0,
                provenance: stage.1,
                workload: pods.workload(of: pod).0,
                preStop: container?.preStop ?? .unknown(form: "ambiguous"),
                since: time
            )
        )
    }

    // MARK: Removals that came before their pod's deletion

    /// A removal whose pod was not deleting when its slice change arrived: the pod's deleting update travels on
    /// another watch stream and may arrive a little later.
    struct AwaitedDeletion: Sendable, Equatable {
        let removal: RemovalKey
        let since: Timestamp
    }

    /// How long a removal waits for its pod's deleting update before it counts as `not_terminating`.
    static let awaitSeconds = 5.0

    private(set) var awaiting: [PodName: [AwaitedDeletion]] = [:]

    /// Remembers a removal whose pod is not deleting (yet).
    mutating func awaitDeletion(of pod: PodName, for removal: RemovalKey, since time: Timestamp) {
        awaiting[pod, default: []].append(AwaitedDeletion(removal: removal, since: time))
    }

    /// The removals that waited for this pod, with their stages now that it is deleting (the deletion moment is
    /// the pod's metadata: its update arrived after the slice change).
    mutating func resolveAwaited(
        _ name: PodName,
        changeTimeout: Double
    ) -> [(AwaitedDeletion, Result<RemovalStage, RemovalStageSkipError>)] {
        guard let waiting = awaiting.removeValue(forKey: name),
            let pod = pods.pod(namespace: name.namespace, name: name.name, uid: nil)
        else { return [] }
        return waiting.map { entry in
            (entry, stage(of: pod, port: entry.removal.node.port, sliceSeen: entry.since, changeTimeout: changeTimeout))
        }
    }

    /// Drops removals that waited longer than ``awaitSeconds``; returns how many.
    mutating func expireAwaited(at time: Timestamp) -> Int {
        guard !awaiting.isEmpty else { return 0 }
        var expired = 0
        for (name, entries) in awaiting {
            let kept = entries.filter { time - $0.since < Self.awaitSeconds }
            expired += entries.count - kept.count
            awaiting[name] = kept.isEmpty ? nil : kept
        }
        return expired
    }

    /// Recomputes which workloads serve a Service (after its slices changed, or pods were listed).
    mutating func refreshWorkloads(of service: ServiceKey, slices: EndpointSliceIndex) {
        guard enabled else { return }
        var found: [WorkloadKey: ServiceWorkload] = [:]
        // Pods that are not deleting describe the workload as it is now (a rollout's new template); deleting ones
        // only stand in for workloads that have no other pod.
        let endpoints = slices.podReferences(of: service).compactMap { endpoint -> (PodIndex.Pod, [Int])? in
            guard let name = endpoint.pod?.name,
                let pod = pods.pod(namespace: service.namespace, name: name, objectUID: endpoint.pod?.objectUID)
            else { return nil }
            return (pod, endpoint.ports)
        }
        for deleting in [false, true] {
            for (pod, ports) in endpoints where (pod.deletion != nil) == deleting {
                let (workload, gap) = pods.workload(of: pod)
                guard found[workload] == nil else { continue }
                found[workload] = ServiceWorkload(
                    workload: workload,
                    container: ports.lazy.compactMap { pod.template.container(serving: $0) }.first,
                    terminationGracePeriodSeconds: pod.template.terminationGracePeriodSeconds,
                    gap: gap
                )
            }
        }
        serviceWorkloads[service] = found.isEmpty ? nil : found.values.sorted { $0.workload < $1.workload }
    }

    /// Recomputes every Service's workloads.
    mutating func refreshAllWorkloads(slices: EndpointSliceIndex) {
        serviceWorkloads = [:]
        for service in slices.services { refreshWorkloads(of: service, slices: slices) }
    }
}

/// A ``RemovalStageSkip`` as an error, for `Result`.
struct RemovalStageSkipError: Error, Equatable {
    let reason: RemovalStageSkip
    init(_ reason: RemovalStageSkip) { self.reason = reason }
}
