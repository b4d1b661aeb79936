/// The JSON served at `/api/v1/state`: what the exporter believes right now. Holds no secrets.
public struct StateDocument: Codable, Sendable {
    public struct PendingChangeState: Codable, Sendable {
        public var node: String
        public var change: ChangeKind
        public var since: Timestamp
        public var age: Double
        public var startKnown: Bool

        enum CodingKeys: String, CodingKey {
            case node, change, since
            case age = "age_seconds"
            case startKnown = "start_known"
        }
    }

    public struct Port: Codable, Sendable {
        public var port: String
        public var desired: [String]
        public var apisixTargets: [String]
        public var staleNodes: [String]
        public var missingNodes: [String]
        public var pending: [PendingChangeState]

        enum CodingKeys: String, CodingKey {
            case port, desired, pending
            case apisixTargets = "apisix_targets"
            case staleNodes = "stale_nodes"
            case missingNodes = "missing_nodes"
        }
    }

    public struct Service: Codable, Sendable {
        public var namespace: String
        public var name: String
        public var ports: [Port] = []

        init(namespace: String, name: String) {
            self.namespace = namespace
            self.name = name
        }
    }

    public struct Upstream: Codable, Sendable {
        public var apisix: String
        public var id: String
        public var name: String?
        public var nodes: [String]
        public var mapping: UpstreamMapping
    }

    public struct Source: Codable, Sendable {
        public var source: String
        public var target: String
        public var up: Bool
        public var lastSuccess: Timestamp?
        public var lastError: String?
        /// Kubernetes only: a watch stream is open.
        public var watching: Bool?
        /// Kubernetes only: the watch is open and past the window in which events may be replays of a gap.
        public var timingSettled: Bool?

        enum CodingKeys: String, CodingKey {
            case source, target, up, watching
            case lastSuccess = "last_success"
            case lastError = "last_error"
            case timingSettled = "timing_settled"
        }
    }

    public var time: Timestamp
    public var ready: Bool
    public var services: [Service]
    public var upstreams: [Upstream]
    public var sources: [Source]
    /// Changes that ended `unobserved` since start, by cause (see `docs/measurement.md`).
    public var unobservedByCause: [String: Int] = [:]

    /// Upstreams that no Service port claims.
    public var unmappedUpstreams: [Upstream] { upstreams.filter { $0.mapping.state == .unmapped } }

    enum CodingKeys: String, CodingKey {
        case time, ready, services, upstreams, sources
        case unmappedUpstreams = "unmapped_upstreams"
        case unobservedByCause = "unobserved_by_cause"
    }

    public init(time: Timestamp, ready: Bool, services: [Service], upstreams: [Upstream], sources: [Source]) {
        self.time = time
        self.ready = ready
        self.services = services
        self.upstreams = upstreams
        self.sources = sources
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        time = try container.decode(Timestamp.self, forKey: .time)
        ready = try container.decode(Bool.self, forKey: .ready)
        services = try container.decode([Service].self, forKey: .services)
        upstreams = try container.decode([Upstream].self, forKey: .upstreams)
        sources = try container.decode([Source].self, forKey: .sources)
        unobservedByCause = try container.decodeIfPresent([String: Int].self, forKey: .unobservedByCause) ?? [:]
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(time, forKey: .time)
        try container.encode(ready, forKey: .ready)
        try container.encode(services, forKey: .services)
        try container.encode(upstreams, forKey: .upstreams)
        try container.encode(unmappedUpstreams, forKey: .unmappedUpstreams)
        try container.encode(sources, forKey: .sources)
        try container.encode(unobservedByCause, forKey: .unobservedByCause)
    }
}
