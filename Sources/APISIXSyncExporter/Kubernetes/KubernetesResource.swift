import Foundation

/// A collection the exporter lists and watches: its API group path and plural name.
public struct KubernetesResource: Sendable, Hashable, CustomStringConvertible {
    /// `/api/v1` or `/apis/<group>/<version>`.
    public let apiPath: String
    /// The plural resource name, e.g. `pods`.
    public let plural: String

    public static let endpointSlices = KubernetesResource(
        apiPath: "/apis/discovery.k8s.io/v1",
        plural: "endpointslices"
    )
    public static let pods = KubernetesResource(apiPath: "/api/v1", plural: "pods")
    public static let replicaSets = KubernetesResource(apiPath: "/apis/apps/v1", plural: "replicasets")

    /// The collection path, cluster-wide or in one namespace.
    public func path(namespace: String?) -> String {
        guard let namespace else { return "\(apiPath)/\(plural)" }
        let escaped = namespace.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed) ?? namespace
        return "\(apiPath)/namespaces/\(escaped)/\(plural)"
    }

    public var description: String { plural }
}
