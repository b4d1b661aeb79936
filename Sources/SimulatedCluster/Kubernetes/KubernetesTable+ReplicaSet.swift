import Foundation

/// The API server's ReplicaSet printer: NAME, DESIRED, CURRENT, READY, AGE, and with `-o wide` CONTAINERS, IMAGES,
/// SELECTOR.
extension KubernetesTable {
    static let replicaSetColumns: [Column] = [
        nameColumn,
        Column(name: "Desired", type: "integer", description: "Replicas is the number of desired pods."),
        Column(
            name: "Current",
            type: "integer",
            description: "Replicas is the most recently observed number of replicas."
        ),
        Column(name: "Ready", type: "integer", description: "The number of ready replicas for this replica set."),
        ageColumn,
        Column(name: "Containers", description: "Names of each container in the template.", priority: 1),
        Column(name: "Images", description: "Images referenced by each container in the template.", priority: 1),
        Column(name: "Selector", description: "Label selector for pods.", priority: 1),
    ]

    static func replicaSetCells(_ replicaSet: FakeReplicaSet, stored: StoredKubernetesObject, now: Date) -> [JSONValue]
    {
        let selector = replicaSet.labels.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }
        return [
            .string(replicaSet.name),
            .int(replicaSet.replicas),
            .int(replicaSet.replicas),
            .int(replicaSet.readyReplicas),
            .string(self.age(stored, now: now)),
            .string(replicaSet.containers.map(\.name).joined(separator: ",")),
            .string(replicaSet.containers.map(\.image).joined(separator: ",")),
            .string(selector.joined(separator: ",")),
        ]
    }
}
