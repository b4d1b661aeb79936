/// An APISIX upstream as scripted into ``FakeAPISIXAdmin``.
///
/// The fake adds `create_time`/`update_time` and the etcd `createdIndex`/`modifiedIndex` when it is stored.
public struct FakeUpstream: Sendable, Hashable {
    /// An upstream id. APISIX stores what the writer sent, so `value.id` is usually a string but can be a number.
    public enum ID: Sendable, Hashable, CustomStringConvertible, ExpressibleByStringLiteral,
        ExpressibleByIntegerLiteral
    {
        /// A string id, encoded as `"id":"…"`.
        case string(String)
        /// A numeric id, encoded as `"id":1`.
        case int(Int)

        /// The id as it appears in the etcd key `/apisix/upstreams/<id>` and in the Admin API path.
        public var description: String {
            switch self {
            case .string(let value): return value
            case .int(let value): return String(value)
            }
        }

        /// A string id.
        public init(stringLiteral value: String) {
            self = .string(value)
        }

        /// A numeric id.
        public init(integerLiteral value: Int) {
            self = .int(value)
        }
    }

    /// One node of an upstream.
    public struct Node: Sendable, Hashable {
        /// The host: an IP address or a domain name.
        public var host: String
        /// The port; `nil` (allowed for a domain host) omits it.
        public var port: Int?
        /// The load-balancing weight.
        public var weight: Int
        /// The priority, written as `"priority"` in the array form.
        public var priority: Int

        /// Creates a node.
        public init(host: String, port: Int?, weight: Int = 100, priority: Int = 0) {
            self.host = host
            self.port = port
            self.weight = weight
            self.priority = priority
        }

        /// The key of this node in the hash form: `ip:port`, `[ipv6]:port`, or just the host without a port.
        public var hashKey: String {
            guard let port = self.port else { return self.host }
            return self.host.contains(":") ? "[\(self.host)]:\(port)" : "\(self.host):\(port)"
        }
    }

    /// How `nodes` is written. APISIX returns whatever form the writer stored.
    public enum Nodes: Sendable, Hashable {
        /// `{"ip:port": weight}`.
        case hash([String: Int])
        /// `[{"host":…,"port":…,"weight":…,"priority":…}]`.
        case array([Node])
        /// `{}`: an empty node set as lua-cjson encodes an empty table.
        case emptyObject
        /// `[]`.
        case emptyArray
        /// `"nodes": null`.
        case null

        /// The nodes in either form as a list (hash entries ordered by key, with weight and priority 0).
        public var nodes: [Node] {
            switch self {
            case .hash(let map):
                return map.sorted { $0.key < $1.key }.map { key, weight in
                    var node = Self.parseHashKey(key)
                    node.weight = weight
                    return node
                }
            case .array(let nodes):
                return nodes
            case .emptyObject, .emptyArray, .null:
                return []
            }
        }

        /// The form this value is written in.
        public var shape: NodeShape {
            switch self {
            case .hash, .emptyObject: return .hash
            case .array, .emptyArray, .null: return .array
            }
        }

        /// `nodes` written in `shape`.
        public init(_ nodes: [Node], shape: NodeShape) {
            switch shape {
            case .hash:
                self =
                    nodes.isEmpty
                    ? .emptyObject
                    : .hash(
                        Dictionary(
                            nodes.map { ($0.hashKey, $0.weight) },
                            uniquingKeysWith: { _, last in last }
                        )
                    )
            case .array:
                self = nodes.isEmpty ? .emptyArray : .array(nodes)
            }
        }

        private static func parseHashKey(_ key: String) -> Node {
            if key.hasPrefix("["), let close = key.firstIndex(of: "]") {
                let host = String(key[key.index(after: key.startIndex)..<close])
                let rest = key[key.index(after: close)...]
                return Node(host: host, port: rest.hasPrefix(":") ? Int(rest.dropFirst()) : nil)
            }
            guard let colon = key.lastIndex(of: ":"), let port = Int(key[key.index(after: colon)...]) else {
                return Node(host: key, port: nil)
            }
            return Node(host: String(key[..<colon]), port: port)
        }
    }

    /// The two ways `nodes` can be written.
    public enum NodeShape: Sendable, Hashable {
        /// The `{"ip:port": weight}` form.
        case hash
        /// The `[{host, port, weight, priority}]` form.
        case array
    }

    /// Where the upstream's nodes come from.
    public enum Backend: Sendable, Hashable {
        /// Static nodes.
        case nodes(Nodes)
        /// Service discovery: `service_name` and `discovery_type`, and no `nodes` field.
        case discovery(serviceName: String, discoveryType: String)
    }

    /// The id.
    public var id: ID
    /// `name`; `nil` omits it.
    public var name: String?
    /// `desc`; `nil` omits it.
    public var desc: String?
    /// `labels`; empty omits it.
    public var labels: [String: String]
    /// The load-balancing `type`, `roundrobin` by default.
    public var type: String
    /// `scheme`; `nil` omits it.
    public var scheme: String?
    /// The nodes or the discovery reference.
    public var backend: Backend

    /// Creates an upstream with static nodes.
    ///
    /// - Parameters:
    ///   - id: The id.
    ///   - name: The name, or `nil`.
    ///   - desc: The description, or `nil`.
    ///   - labels: The labels.
    ///   - type: The load-balancing type.
    ///   - scheme: The scheme, or `nil`.
    ///   - nodes: The nodes and the form they are written in.
    public init(
        id: ID,
        name: String? = nil,
        desc: String? = nil,
        labels: [String: String] = [:],
        type: String = "roundrobin",
        scheme: String? = nil,
        nodes: Nodes
    ) {
        self.id = id
        self.name = name
        self.desc = desc
        self.labels = labels
        self.type = type
        self.scheme = scheme
        self.backend = .nodes(nodes)
    }

    /// Creates a service-discovery upstream (no `nodes`; APISIX resolves them at request time).
    ///
    /// - Parameters:
    ///   - id: The id.
    ///   - name: The name, or `nil`.
    ///   - desc: The description, or `nil`.
    ///   - labels: The labels.
    ///   - type: The load-balancing type.
    ///   - serviceName: `service_name`, e.g. `default/httpbin:http` for Kubernetes discovery.
    ///   - discoveryType: `discovery_type`, `kubernetes` by default.
    public init(
        id: ID,
        name: String? = nil,
        desc: String? = nil,
        labels: [String: String] = [:],
        type: String = "roundrobin",
        serviceName: String,
        discoveryType: String = "kubernetes"
    ) {
        self.id = id
        self.name = name
        self.desc = desc
        self.labels = labels
        self.type = type
        self.scheme = nil
        self.backend = .discovery(serviceName: serviceName, discoveryType: discoveryType)
    }
}
