/// The fields of a route or service object that decide routing, wherever the object sits (an Admin API `value` or a
/// standalone `routes[]`/`services[]` item).
struct RoutingObjectBody {
    var id: String?
    var name: String?
    var upstreamID: String?
    var serviceID: String?
    var upstream: APISIXInlineUpstream?
    var trafficSplitUpstreamIDs: [String]?
    var status: Int?
    var modifiedIndex: Int?

    static func read(_ reader: inout JSONReader, what: String) throws(JSONReader.Failure) -> RoutingObjectBody {
        guard try reader.kind() == .object else { throw reader.failure("\(what) is not an object") }
        var body = RoutingObjectBody()
        try reader.readObject { reader, key throws(JSONReader.Failure) in
            switch key {
            case "id": body.id = try reader.readIdentifier("id", strict: false)
            case "name" where try reader.kind() == .string: body.name = try reader.readString()
            case "upstream_id": body.upstreamID = try reader.readIdentifier("upstream_id", strict: true)
            case "service_id": body.serviceID = try reader.readIdentifier("service_id", strict: true)
            case "status": body.status = try reader.readOptionalInt()
            case "modifiedIndex": body.modifiedIndex = try reader.readOptionalInt()
            case "upstream":
                if try reader.readNull() { return }
                let inline = try UpstreamBody.read(&reader)
                guard inline.keyCount > 0 else { return }
                body.upstream = APISIXInlineUpstream(
                    name: inline.name,
                    nodes: inline.nodes,
                    discovery: inline.discovery
                )
            case "plugins": body.trafficSplitUpstreamIDs = try trafficSplit(inPlugins: &reader)
            default: break
            }
        }
        return body
    }

    /// `plugins` → the upstream ids of `traffic-split`, or nil when the plugin is absent.
    private static func trafficSplit(inPlugins reader: inout JSONReader) throws(JSONReader.Failure) -> [String]? {
        if try reader.readNull() { return nil }
        guard try reader.kind() == .object else { throw reader.failure("\"plugins\" is not an object") }
        var ids: [String]?
        try reader.readObject { reader, plugin throws(JSONReader.Failure) in
            guard plugin == "traffic-split" else { return }
            guard try reader.kind() == .object else { throw reader.failure("\"traffic-split\" is not an object") }
            var found: [String] = []
            try reader.readObject { reader, key throws(JSONReader.Failure) in
                guard key == "rules" else { return }
                try reader.readItems("rules") { reader throws(JSONReader.Failure) in
                    guard try reader.kind() == .object else {
                        throw reader.failure("traffic-split rule is not an object")
                    }
                    try reader.readObject { reader, key throws(JSONReader.Failure) in
                        guard key == "weighted_upstreams" else { return }
                        try reader.readItems("weighted_upstreams") { reader throws(JSONReader.Failure) in
                            guard try reader.kind() == .object else {
                                throw reader.failure("weighted upstream is not an object")
                            }
                            try reader.readObject { reader, key throws(JSONReader.Failure) in
                                guard key == "upstream_id" else { return }
                                if let id = try reader.readIdentifier("upstream_id", strict: true),
                                    !found.contains(id)
                                {
                                    found.append(id)
                                }
                            }
                        }
                    }
                }
            }
            ids = found
        }
        return ids
    }
}
