/// Encodes the fake Admin API's documents in the APISIX 3.x v3 wire format. Strings are escaped like lua-cjson,
/// which writes `/` as `\/`.
enum APISIXWire {
    /// lua-cjson's escaping.
    static let escaping = JSONEscaping.luaCJSON

    /// The stored `value` of an upstream.
    static func value(_ stored: StoredUpstream) -> JSONValue {
        let upstream = stored.upstream
        var fields: [(String, JSONValue)] = []
        switch upstream.id {
        case .string(let id): fields.append(("id", .string(id)))
        case .int(let id): fields.append(("id", .int(id)))
        }
        if let name = upstream.name {
            fields.append(("name", .string(name)))
        }
        if let desc = upstream.desc {
            fields.append(("desc", .string(desc)))
        }
        if !upstream.labels.isEmpty {
            fields.append(("labels", .stringMap(upstream.labels)))
        }
        fields.append(("type", .string(upstream.type)))
        switch upstream.backend {
        case .nodes(let nodes):
            fields.append(("nodes", self.nodes(nodes)))
        case .discovery(let serviceName, let discoveryType):
            fields.append(("service_name", .string(serviceName)))
            fields.append(("discovery_type", .string(discoveryType)))
        }
        if let scheme = upstream.scheme {
            fields.append(("scheme", .string(scheme)))
        }
        fields.append(("create_time", .int(stored.createTime)))
        fields.append(("update_time", .int(stored.updateTime)))
        return .object(fields)
    }

    /// The etcd node envelope `{"key","value","createdIndex","modifiedIndex"}` of a single GET and of list items.
    static func item(_ stored: StoredUpstream) -> JSONValue {
        .object([
            ("key", .string(stored.key)),
            ("value", self.value(stored)),
            ("createdIndex", .int(stored.createdIndex)),
            ("modifiedIndex", .int(stored.modifiedIndex)),
        ])
    }

    /// The v3 list document `{"list":[…],"total":N}`.
    static func list(_ items: [StoredUpstream], total: Int) -> JSONValue {
        .object([("list", .array(items.map(self.item))), ("total", .int(total))])
    }

    /// `{"error_msg":…}`, optionally with `description`.
    static func error(_ message: String, description: String? = nil) -> JSONValue {
        .object(omittingNil: [("error_msg", .string(message)), ("description", description.map { .string($0) })])
    }

    /// The etcd "not found" body, `{"message":"Key not found"}`.
    static let keyNotFound = JSONValue.object([("message", .string("Key not found"))])

    private static func nodes(_ nodes: FakeUpstream.Nodes) -> JSONValue {
        switch nodes {
        case .hash(let map):
            return .object(map.sorted { $0.key < $1.key }.map { ($0.key, .int($0.value)) })
        case .array(let nodes):
            return .array(
                nodes.map { node in
                    .object(omittingNil: [
                        ("host", .string(node.host)),
                        ("port", node.port.map { .int($0) }),
                        ("weight", .int(node.weight)),
                        ("priority", .int(node.priority)),
                    ])
                }
            )
        case .emptyObject:
            return .object([])
        case .emptyArray:
            return .array([])
        case .null:
            return .null
        }
    }

    /// An nginx-style HTML error page for `status`.
    static func htmlErrorPage(status: Int) -> String {
        let reasons = [
            400: "Bad Request", 403: "Forbidden", 404: "Not Found", 429: "Too Many Requests",
            500: "Internal Server Error", 502: "Bad Gateway", 503: "Service Temporarily Unavailable",
            504: "Gateway Time-out",
        ]
        let title = "\(status) \(reasons[status] ?? "Error")"
        return "<html>\r\n<head><title>\(title)</title></head>\r\n<body>\r\n<center><h1>\(title)</h1></center>\r\n"
            + "<hr><center>openresty</center>\r\n</body>\r\n</html>\r\n"
    }
}
