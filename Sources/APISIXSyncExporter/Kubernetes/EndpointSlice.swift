/// The parts of a `discovery.k8s.io/v1` EndpointSlice the exporter reads.
public struct EndpointSlice: Decodable, Sendable, Equatable {
    public struct Metadata: Decodable, Sendable, Equatable {
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

    public struct Conditions: Decodable, Sendable, Equatable {
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
    public struct TargetReference: Decodable, Sendable, Equatable {
        public var kind: String?
        public var name: String?
        public var namespace: String?
        public var uid: String?

        public init(kind: String? = "Pod", name: String?, namespace: String? = nil, uid: String? = nil) {
            self.kind = kind
            self.name = name
            self.namespace = namespace
            self.uid = uid
        }
    }

    public struct Endpoint: Decodable, Sendable, Equatable {
        public var addresses: [String]
        public var conditions: Conditions?
        /// The Pod behind the endpoint; APISIX pod discovery names instances after it.
        public var targetRef: TargetReference?

        public init(addresses: [String], conditions: Conditions? = nil, targetRef: TargetReference? = nil) {
            self.addresses = addresses
            self.conditions = conditions
            self.targetRef = targetRef
        }

        public init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            addresses = try container.decodeIfPresent([String].self, forKey: .addresses) ?? []
            conditions = try container.decodeIfPresent(Conditions.self, forKey: .conditions)
            targetRef = try container.decodeIfPresent(TargetReference.self, forKey: .targetRef)
        }

        private enum CodingKeys: String, CodingKey { case addresses, conditions, targetRef }
    }

    public struct Port: Decodable, Sendable, Equatable {
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

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        metadata = try container.decode(Metadata.self, forKey: .metadata)
        addressType = try container.decodeIfPresent(String.self, forKey: .addressType)
        // `endpoints` and `ports` have no omitempty and serialise as `null` when empty.
        endpoints = try container.decodeIfPresent([Endpoint].self, forKey: .endpoints) ?? []
        ports = try container.decodeIfPresent([Port].self, forKey: .ports) ?? []
    }

    private enum CodingKeys: String, CodingKey { case metadata, addressType, endpoints, ports }

    /// The Service this slice belongs to, from its `kubernetes.io/service-name` label.
    public var service: ServiceKey? {
        guard let name = metadata.labels?[Self.serviceNameLabel], !name.isEmpty else { return nil }
        return ServiceKey(namespace: metadata.namespace, name: name)
    }

    /// `namespace/name`, the key of the slice itself.
    public var sliceKey: String { "\(metadata.namespace)/\(metadata.name)" }
}
