/// The parts of a `discovery.k8s.io/v1` EndpointSlice the exporter reads. It is decoded with ``JSONReader`` only
/// (`EndpointSlice+JSONReader.swift`), from a watch event or a list page.
public struct EndpointSlice: Sendable, Equatable {
    public struct Metadata: Sendable, Equatable {
        public var name: String
        public var namespace: String
        public var resourceVersion: String?
        public var labels: [String: String]?

        public init(name: String, namespace: String, resourceVersion: String? = nil, labels: [String: String]? = nil) {
            self.name = name
            self.namespace = namespace
            self.resourceVersion = resourceVersion
            self.labels = labels
        }
    }

    public struct Conditions: Sendable, Equatable {
        public var ready: Bool?
        public var serving: Bool?
        public var terminating: Bool?

        public init(ready: Bool? = nil, serving: Bool? = nil, terminating: Bool? = nil) {
            self.ready = ready
            self.serving = serving
            self.terminating = terminating
        }
    }

    /// The object behind an endpoint (`targetRef`), usually a Pod.
    public struct TargetReference: Sendable, Equatable {
        public var kind: String?
        public var name: String?
        public var namespace: String?
        /// Kept as an ``ObjectUID`` (16 bytes for a UUID): the slice index holds one per endpoint.
        var objectUID: ObjectUID?

        public var uid: String? {
            get { objectUID?.text }
            set { objectUID = newValue.map(ObjectUID.init) }
        }

        public init(kind: String? = "Pod", name: String?, namespace: String? = nil, uid: String? = nil) {
            self.kind = kind
            self.name = name
            self.namespace = namespace
            self.objectUID = uid.map(ObjectUID.init)
        }
    }

    public struct Endpoint: Sendable, Equatable {
        public var addresses: [String]
        public var conditions: Conditions?
        /// The Pod behind the endpoint; APISIX pod discovery names instances after it.
        public var targetRef: TargetReference?

        public init(addresses: [String], conditions: Conditions? = nil, targetRef: TargetReference? = nil) {
            self.addresses = addresses
            self.conditions = conditions
            self.targetRef = targetRef
        }
    }

    public struct Port: Sendable, Equatable {
        public var name: String?
        public var port: Int?
        public var `protocol`: String?

        public init(name: String?, port: Int?, protocol: String? = "TCP") {
            self.name = name
            self.port = port
            self.protocol = `protocol`
        }
    }

    /// The label that ties a slice to its Service.
    public static let serviceNameLabel = "kubernetes.io/service-name"

    public var metadata: Metadata
    public var addressType: String?
    public var endpoints: [Endpoint]
    public var ports: [Port]

    public init(metadata: Metadata, addressType: String? = "IPv4", endpoints: [Endpoint], ports: [Port]) {
        self.metadata = metadata
        self.addressType = addressType
        self.endpoints = endpoints
        self.ports = ports
    }

    /// The Service this slice belongs to, from its `kubernetes.io/service-name` label.
    public var service: ServiceKey? {
        guard let name = metadata.labels?[Self.serviceNameLabel], !name.isEmpty else { return nil }
        return ServiceKey(namespace: metadata.namespace, name: name)
    }

    /// `namespace/name`, the key of the slice itself.
    public var sliceKey: String { "\(metadata.namespace)/\(metadata.name)" }
}
