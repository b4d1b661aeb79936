/// The `apps/v1` ReplicaSet wire format.
extension KubernetesWire {
    /// The ReplicaSet object for `replicaSet` stored as `stored`; the pod template is kept short (labels and
    /// containers).
    static func replicaSet(
        _ replicaSet: FakeReplicaSet,
        stored: StoredKubernetesObject,
        includeTypeMeta: Bool
    ) -> JSONValue {
        var fields: [(String, JSONValue)] = []
        if includeTypeMeta {
            fields.append(("kind", .string(KubernetesResource.replicaSets.kind)))
            fields.append(("apiVersion", .string(KubernetesResource.replicaSets.apiVersion)))
        }
        fields.append(("metadata", self.replicaSetMetadata(replicaSet, stored: stored)))
        fields.append(
            (
                "spec",
                .object([
                    ("replicas", .int(replicaSet.replicas)),
                    ("selector", .object([("matchLabels", .stringMap(replicaSet.labels))])),
                    (
                        "template",
                        .object([
                            ("metadata", .object([("labels", .stringMap(replicaSet.labels))])),
                            (
                                "spec",
                                .object([
                                    ("containers", .array(replicaSet.containers.map(self.container))),
                                    ("restartPolicy", .string("Always")),
                                    (
                                        "terminationGracePeriodSeconds",
                                        .int(replicaSet.terminationGracePeriodSeconds)
                                    ),
                                ])
                            ),
                        ])
                    ),
                ])
            )
        )
        fields.append(
            (
                "status",
                .object([
                    ("replicas", .int(replicaSet.replicas)),
                    ("fullyLabeledReplicas", .int(replicaSet.replicas)),
                    ("readyReplicas", .int(replicaSet.readyReplicas)),
                    ("availableReplicas", .int(replicaSet.readyReplicas)),
                    ("observedGeneration", .int(stored.generation)),
                ])
            )
        )
        return .object(fields)
    }

    /// The `metadata` of a ReplicaSet.
    static func replicaSetMetadata(_ replicaSet: FakeReplicaSet, stored: StoredKubernetesObject) -> JSONValue {
        .object(omittingNil: [
            ("name", .string(replicaSet.name)),
            ("namespace", .string(replicaSet.namespace)),
            ("uid", .string(stored.uid)),
            ("resourceVersion", .string(String(stored.resourceVersion))),
            ("generation", .int(stored.generation)),
            ("creationTimestamp", .string(stored.creationTimestamp)),
            ("labels", replicaSet.labels.isEmpty ? nil : .stringMap(replicaSet.labels)),
            (
                "annotations",
                .object([("deployment.kubernetes.io/desired-replicas", .string(String(replicaSet.replicas)))])
            ),
            ("ownerReferences", replicaSet.owner.map(self.ownerReferences)),
        ])
    }
}
