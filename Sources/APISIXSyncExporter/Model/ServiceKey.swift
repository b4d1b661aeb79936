/// A Kubernetes Service: namespace and name.
public struct ServiceKey: Hashable, Comparable, Sendable, CustomStringConvertible {
    public let namespace: String
    public let name: String
    /// Both names hashed once, when the key is made: a lookup by key (10,000 of them per scrape) hashes one integer.
    private let fingerprint: Int

    public init(namespace: String, name: String) {
        self.namespace = namespace
        self.name = name
        var hasher = Hasher()
        hasher.combine(namespace)
        hasher.combine(name)
        fingerprint = hasher.finalize()
    }

    public static func == (lhs: ServiceKey, rhs: ServiceKey) -> Bool {
        lhs.fingerprint == rhs.fingerprint && lhs.namespace == rhs.namespace && lhs.name == rhs.name
    }

    public func hash(into hasher: inout Hasher) { hasher.combine(fingerprint) }

    public var description: String { "\(namespace)/\(name)" }

    public static func < (lhs: ServiceKey, rhs: ServiceKey) -> Bool {
        (lhs.namespace, lhs.name) < (rhs.namespace, rhs.name)
    }
}

/// One port of a Service, named as in its EndpointSlices (`""` for an unnamed port).
public struct ServicePortKey: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// First: equality compares it first, and it hashes as one integer (see ``ServiceKey``).
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
