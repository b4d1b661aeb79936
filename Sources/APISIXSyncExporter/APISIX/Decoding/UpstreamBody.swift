/// The fields of an upstream object the exporter uses, wherever the object sits: an upstream's `value`, an inline
/// `upstream` of a route or service, a standalone `upstreams[]` item or a Control API item's `value`.
struct UpstreamBody {
    var id: String?
    var name: String?
    /// Static nodes; nil for a discovery upstream. `{}`, `[]`, `null` and a missing `nodes` are all no nodes.
    var nodes: Set<NodeAddress>?
    var discovery: APISIXUpstream.Discovery?
    /// `modifiedIndex` inside the object (standalone items carry it there).
    var modifiedIndex: Int?
    /// How many keys the object had (`{}` is lua-cjson's encoding of an empty table, i.e. no upstream at all).
    var keyCount = 0

    /// Reads one upstream object. Node lists come as a hash `{"host:port": weight}` or an array of
    /// `{"host", "port"?, "weight"}`; a missing port defaults by scheme (443 for https/grpcs, else 80).
    static func read(_ reader: inout JSONReader) throws(JSONReader.Failure) -> UpstreamBody {
        guard try reader.kind() == .object else { throw reader.failure("upstream is not an object") }
        var body = UpstreamBody()
        var hashKeys: [String] = []
        var arrayNodes: [(host: String, port: Int?)] = []
        var discoveryType: String?
        var serviceName: String?
        var scheme: String?
        try reader.readObject { reader, key throws(JSONReader.Failure) in
            body.keyCount += 1
            switch key {
            case "id": body.id = try reader.readIdentifier("id", strict: false)
            case "name" where try reader.kind() == .string: body.name = try reader.readString()
            case "modifiedIndex": body.modifiedIndex = try reader.readOptionalInt()
            case "discovery_type" where try reader.kind() == .string: discoveryType = try reader.readString()
            case "service_name" where try reader.kind() == .string: serviceName = try reader.readString()
            case "scheme" where try reader.kind() == .string: scheme = try reader.readString()
            case "nodes":
                switch try reader.kind() {
                case .null: _ = try reader.readNull()
                case .object:
                    try reader.readObject { reader, key throws(JSONReader.Failure) in
                        hashKeys.append(key.text)
                        try reader.skipValue()
                    }
                case .array:
                    try reader.readArray { reader throws(JSONReader.Failure) in
                        arrayNodes.append(try arrayNode(&reader))
                    }
                default: throw reader.failure("\"nodes\" is neither an object nor an array")
                }
            default: break
            }
        }
        if let discoveryType, let serviceName {
            body.discovery = .init(type: discoveryType, serviceName: serviceName)
            return body
        }
        var nodes = Set<NodeAddress>()
        for key in hashKeys {
            guard let node = NodeAddress(parsing: key) else {
                throw reader.failure("node key \"\(ResponseBodySummary.printable(key, limit: 64))\" is not host:port")
            }
            nodes.insert(node)
        }
        let defaultPort = scheme == "https" || scheme == "grpcs" ? 443 : 80
        for node in arrayNodes { nodes.insert(NodeAddress(host: node.host, port: node.port ?? defaultPort)) }
        body.nodes = nodes
        return body
    }

    /// `{"host":…,"port":…,…}`: host required and non-empty, port optional in 0…65535.
    static func arrayNode(_ reader: inout JSONReader) throws(JSONReader.Failure) -> (host: String, port: Int?) {
        guard try reader.kind() == .object else { throw reader.failure("node is not an object") }
        var host: String?
        var port: Int?
        try reader.readObject { reader, key throws(JSONReader.Failure) in
            switch key {
            case "host":
                guard try reader.kind() == .string else { throw reader.failure("node host is not a string") }
                host = try reader.readString()
            case "port":
                switch try reader.kind() {
                case .null: _ = try reader.readNull()
                case .number: port = try reader.readInt()
                default: throw reader.failure("node port is not a number")
                }
            default: break
            }
        }
        guard let host, !host.isEmpty else { throw reader.failure("node without host") }
        if let port, !(0...65_535).contains(port) { throw reader.failure("node port out of range") }
        return (host, port)
    }
}
