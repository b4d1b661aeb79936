/// A workload: what owns a Service's pods (Deployment, StatefulSet, DaemonSet, another controller, or a bare Pod).
public struct WorkloadKey: Hashable, Comparable, Sendable, CustomStringConvertible {
    public let namespace: String
    public let kind: String
    public let name: String

    public init(namespace: String, kind: String, name: String) {
        self.namespace = namespace
        self.kind = kind
        self.name = name
    }

    /// `namespace/kind/name`.
    public var description: String { "\(namespace)/\(kind)/\(name)" }

    public static func < (lhs: WorkloadKey, rhs: WorkloadKey) -> Bool {
        (lhs.namespace, lhs.kind, lhs.name) < (rhs.namespace, rhs.kind, rhs.name)
    }
}
