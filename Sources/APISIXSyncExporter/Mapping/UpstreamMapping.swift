/// How an APISIX upstream relates to a Kubernetes Service port.
public struct UpstreamMapping: Sendable, Equatable, Codable {
    public enum State: String, Sendable, Codable, CaseIterable {
        case mapped
        case unmapped
        /// Uses service discovery (`discovery_type`); it has no static nodes to compare.
        case discovery
    }

    public enum Method: String, Sendable, Codable {
        /// `--map namespace/service:port=upstreamID`.
        case flag
        /// apisix-ingress-controller 1.x name `namespace_service_servicePort`.
        case ingressControllerName = "ingress_controller_name"
        /// Node-set overlap with the best-matching Service port.
        case overlap
        /// APISIX Kubernetes discovery: the upstream's `service_name` names the Service port.
        case discoveryServiceName = "discovery_service_name"
    }

    public var state: State
    public var key: ServicePortKey?
    public var method: Method?
    /// A short human explanation, shown in `/api/v1/state`.
    public var reason: String

    public static func unmapped(_ reason: String) -> UpstreamMapping {
        UpstreamMapping(state: .unmapped, key: nil, method: nil, reason: reason)
    }

    private enum CodingKeys: String, CodingKey { case state, key, method, reason }

    public init(state: State, key: ServicePortKey?, method: Method?, reason: String) {
        self.state = state
        self.key = key
        self.method = method
        self.reason = reason
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        state = try container.decode(State.self, forKey: .state)
        method = try container.decodeIfPresent(Method.self, forKey: .method)
        reason = try container.decode(String.self, forKey: .reason)
        key = try container.decodeIfPresent(String.self, forKey: .key).flatMap(MappingOverride.parseKey)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(state, forKey: .state)
        try container.encodeIfPresent(key?.description, forKey: .key)
        try container.encodeIfPresent(method, forKey: .method)
        try container.encode(reason, forKey: .reason)
    }
}
