import Foundation

/// The API server's Pod printer: NAME, READY, STATUS, RESTARTS, AGE, and with `-o wide` IP, NODE, NOMINATED NODE,
/// READINESS GATES.
extension KubernetesTable {
    static let podColumns: [Column] = [
        nameColumn,
        Column(name: "Ready", description: "The aggregate readiness state of this pod for accepting traffic."),
        Column(name: "Status", description: "The aggregate status of the containers in this pod."),
        Column(
            name: "Restarts",
            description:
                "The number of times the containers in this pod have been restarted and when the last container in this pod has restarted."
        ),
        ageColumn,
        Column(
            name: "IP",
            description: "IP address allocated to the pod. Routable at least within the cluster.",
            priority: 1
        ),
        Column(
            name: "Node",
            description: "NodeName is a request to schedule this pod onto a specific node.",
            priority: 1
        ),
        Column(
            name: "Nominated Node",
            description: "nominatedNodeName is set only when this pod preempts other pods on the node.",
            priority: 1
        ),
        Column(
            name: "Readiness Gates",
            description: "If specified, all readiness gates will be evaluated for pod readiness.",
            priority: 1
        ),
    ]

    static func podCells(_ pod: FakePod, stored: StoredKubernetesObject, now: Date) -> [JSONValue] {
        let total = pod.containers.count
        let status = pod.isTerminating ? "Terminating" : pod.phase.rawValue
        return [
            .string(pod.name),
            .string("\(pod.ready ? total : 0)/\(total)"),
            .string(status),
            .string("0"),
            .string(self.age(stored, now: now)),
            .string(pod.podIP ?? "<none>"),
            .string(pod.nodeName ?? "<none>"),
            .string("<none>"),
            .string("<none>"),
        ]
    }
}
