/// A Kubernetes Service: namespace and name.
public struct ServiceKey: Hashable, Comparable, Sendable, CustomStringConvertible {
    public let namespace: String
    public let name: String

    public init(namespace: String, name: String) {
        self.namespace = namespace
        self.name = name
    }

    public var description: String { "\(namespace)/\(name)" }

    public static func < (lhs: ServiceKey, rhs: ServiceKey) -> Bool {
        (lhs.namespace, lhs.name) < (rhs.namespace, rhs.name)
    }
}

/// One port of a Service, named as in its EndpointSlices (`""` for an unnamed port).
public struct ServicePortKey: Hashable, Comparable, Sendable, CustomStringConvertible {
    public let service: ServiceKey
    public let port: String

    public init(service: ServiceKey, port: String) {
        self.service = service
        self.port = port
    }

    public init(namespace: String, service: String, port: String) {
        self.init(service: ServiceKey(namespace: namespace, name: service), port: port)
    }

    /// `namespace/service:port`, the syntax of `--map`.
    public var description: String { "\(service):\(port)" }

    public static func < (lhs: ServicePortKey, rhs: ServicePortKey) -> Bool {
        (lhs.service, lhs.port) < (rhs.service, rhs.port)
    }
}
