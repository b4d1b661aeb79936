import Foundation

/// The pods and ReplicaSets of the simulated world (with ``SimulatedWorld/Configuration/pods``): their objects,
/// graceful deletion, and the endpoint controller catching up with it.
extension WorldState {
    /// The pod object of pod `name` of Service `service` as the API server holds it.
    func podObject(_ pod: SimulatedPod, of service: Int) -> FakePod {
        let model = self.services[service]
        return FakePod(
            namespace: self.settings.namespace,
            name: pod.name,
            uid: pod.uid,
            labels: ["app": model.name, "pod-template-hash": pod.revision],
            owner: FakeOwnerReference(
                kind: "ReplicaSet",
                name: model.replicaSetName(pod.revision),
                uid: self.uid("replicaset", model.replicaSetName(pod.revision))
            ),
            containers: model.containers,
            terminationGracePeriodSeconds: model.workload.terminationGracePeriodSeconds,
            nodeName: pod.nodeName,
            phase: pod.started ? .running : .pending,
            podIP: pod.address,
            ready: pod.started && !pod.probeFailed,
            deletionTimestamp: pod.deletionTimestamp,
            deletionGracePeriodSeconds: pod.deletionTimestamp == nil
                ? nil : model.workload.terminationGracePeriodSeconds
        )
    }

    /// A stable uid for the object `kind` `name` of this world (namespace and seed included).
    func uid(_ kind: String, _ name: String) -> String {
        KubernetesWire.stableUID("\(kind)/\(self.settings.seed)/\(self.settings.namespace)/\(name)")
    }

    /// Queues a write of pod `name`'s object, when pods are modelled.
    mutating func writePod(_ name: String, in service: Int) {
        guard self.settings.pods, let pod = self.services[service].pods[name] else { return }
        self.outbox.append(.pod(self.podObject(pod, of: service)))
    }

    /// Makes sure the ReplicaSet of the Deployment's current revision exists (written at once).
    mutating func ensureReplicaSet(_ service: Int) {
        guard self.settings.pods else { return }
        let revision = self.services[service].revision
        guard !self.services[service].replicaSetRevisions.contains(revision) else { return }
        self.services[service].replicaSetRevisions.append(revision)
        self.writeReplicaSet(revision, of: service, counts: [0, 0])
    }

    /// Writes every ReplicaSet of Service `service` whose replica or ready count changed, and deletes the oldest
    /// empty ones beyond a history of three old revisions.
    mutating func syncReplicaSets(_ service: Int) {
        guard self.settings.pods else { return }
        for revision in self.services[service].replicaSetRevisions {
            let pods = self.services[service].pods.values.filter { $0.revision == revision && !$0.terminating }
            let counts = [pods.count, pods.count { $0.ready }]
            if self.services[service].replicaSetCounts[revision] != counts {
                self.writeReplicaSet(revision, of: service, counts: counts)
            }
        }
        while self.services[service].replicaSetRevisions.count > 4,
            let oldest = self.services[service].replicaSetRevisions.first,
            oldest != self.services[service].revision,
            self.services[service].replicaSetCounts[oldest]?.first == 0,
            !self.services[service].pods.values.contains(where: { $0.revision == oldest })
        {
            self.services[service].replicaSetRevisions.removeFirst()
            self.services[service].replicaSetCounts[oldest] = nil
            self.outbox.append(
                .replicaSetRemoved(
                    namespace: self.settings.namespace,
                    name: self.services[service].replicaSetName(oldest)
                )
            )
        }
    }

    private mutating func writeReplicaSet(_ revision: String, of service: Int, counts: [Int]) {
        let model = self.services[service]
        self.services[service].replicaSetCounts[revision] = counts
        self.outbox.append(
            .replicaSet(
                FakeReplicaSet(
                    namespace: self.settings.namespace,
                    name: model.replicaSetName(revision),
                    uid: self.uid("replicaset", model.replicaSetName(revision)),
                    labels: ["app": model.name, "pod-template-hash": revision],
                    owner: FakeOwnerReference(
                        kind: "Deployment",
                        name: model.name,
                        uid: self.uid("deployment", model.name)
                    ),
                    replicas: counts[0],
                    readyReplicas: counts[1],
                    containers: model.containers,
                    terminationGracePeriodSeconds: model.workload.terminationGracePeriodSeconds
                )
            )
        )
    }

    /// Deletes pod `name` gracefully, as `kubectl delete pod` or a ReplicaSet scaling down does: the pod gets
    /// `deletionTimestamp` (request time truncated to seconds plus the grace period) at once; the endpoint controller
    /// marks its endpoint terminating after its delay; the pod goes when its workload has shut down.
    mutating func deleteGracefully(_ name: String, in service: Int) {
        guard var pod = self.services[service].pods[name], !pod.terminating else { return }
        let workload = self.services[service].workload
        let grace = max(workload.terminationGracePeriodSeconds, 0)
        pod.terminating = true
        pod.deletion = PodDeletionTruth(pod: name, uid: pod.uid, time: self.wallNow, worldTime: self.now)
        pod.deletionTimestamp = Self.deletionTimestamp(requestTime: self.wallNow, gracePeriodSeconds: grace)
        self.services[service].pods[name] = pod
        self.writePod(name, in: service)
        self.log(.podTerminating, service, pod: pod)
        let delay = self.drawEndpointControllerDelay()
        self.schedule(.endpointTerminating(service: service, pod: name), after: delay)
        self.schedule(.podGone(service: service, pod: name), after: max(workload.shutdownSeconds, delay))
    }

    /// The endpoint controller caught up with the deletion of pod `name`: its endpoint turns terminating.
    mutating func endpointTerminating(_ service: Int, _ name: String) {
        guard var pod = self.services[service].pods[name], !pod.endpointTerminating else { return }
        pod.endpointTerminating = true
        self.services[service].pods[name] = pod
        self.services[service].markSlicesDirty(containing: name)
        self.flush(service)
    }

    /// Pod `name` has shut down: the pod object goes (`DELETED`), its endpoint after the endpoint controller's
    /// delay.
    mutating func podGone(_ service: Int, _ name: String) {
        guard self.services[service].pods[name] != nil else { return }
        self.outbox.append(.podRemoved(namespace: self.settings.namespace, name: name))
        self.schedule(.podDeleted(service: service, pod: name), after: self.drawEndpointControllerDelay())
    }

    /// A delay drawn from the endpoint controller's range (from the pods' own generator).
    mutating func drawEndpointControllerDelay() -> Double {
        let range = self.endpointControllerDelay
        return range.lowerBound == range.upperBound
            ? range.lowerBound : Double.random(in: range, using: &self.podRandom)
    }

    /// `metadata.deletionTimestamp` for a delete request at `requestTime` (seconds since 1970): like the API
    /// server, the request time truncated to whole seconds plus the grace period, RFC 3339 in UTC.
    static func deletionTimestamp(requestTime: Double, gracePeriodSeconds: Int) -> String {
        let seconds = requestTime.rounded(.down) + Double(gracePeriodSeconds)
        return Date(timeIntervalSince1970: seconds).formatted(.iso8601)
    }

    /// Deletes a random ready pod of Service `service` (`kubectl delete pod`): its ReplicaSet creates a
    /// replacement. Returns `nil` when no pod is ready.
    mutating func deleteRandomPod(_ service: Int) -> WorldAction? {
        let candidates = self.services[service].livePods.filter(\.ready)
        guard let pod = candidates.randomElement(using: &self.random) else { return nil }
        let action = self.log(.podDeletion, service, pod: pod)
        self.terminate(pod.name, in: service)
        self.reconcile(service)
        return action
    }
}
