/// Encodes the fake Admin API's documents in APISIX's wire formats (the v3 envelope here; v2, standalone and the
/// Control API in the extensions). Strings are escaped like lua-cjson, which writes `/` as `\/`.
enum APISIXWire {
    /// lua-cjson's escaping.
    static let escaping = JSONEscaping.luaCJSON

    /// How `nodes` are written.
    enum NodeEncoding {
        /// As the writer stored them (the Admin API).
        case asStored
        /// As a worker holds them (the Control API): the hash form becomes `[{"host","port","weight"}]`.
        case workerNormalised
    }

    /// The stored `value` of an object in etcd mode: its fields plus `create_time` and `update_time`.
    static func value<Object>(_ stored: StoredObject<Object>) -> JSONValue {
        .object(
            stored.object.fields(.asStored)
                + [("create_time", .int(stored.createTime)), ("update_time", .int(stored.updateTime))]
        )
    }

    /// The etcd node envelope `{"key","value","createdIndex","modifiedIndex"}` of a v3 single GET and of list items
    /// (v3 and v2).
    static func item<Object>(_ stored: StoredObject<Object>) -> JSONValue {
        .object([
            ("key", .string(stored.key)),
            ("value", self.value(stored)),
            ("createdIndex", .int(stored.createdIndex)),
            ("modifiedIndex", .int(stored.modifiedIndex)),
        ])
    }

    /// The v3 list document `{"list":[…],"total":N}`.
    static func list<Object>(_ items: [StoredObject<Object>], total: Int) -> JSONValue {
        .object([("list", .array(items.map(self.item))), ("total", .int(total))])
    }

    /// `{"error_msg":…}`, optionally with `description`.
    static func error(_ message: String, description: String? = nil) -> JSONValue {
        .object(omittingNil: [("error_msg", .string(message)), ("description", description.map { .string($0) })])
    }

    /// The etcd "not found" body, `{"message":"Key not found"}`.
    static let keyNotFound = JSONValue.object([("message", .string("Key not found"))])

    /// An id as written: a string or a number.
    static func id(_ id: FakeUpstream.ID) -> JSONValue {
        switch id {
        case .string(let value): return .string(value)
        case .int(let value): return .int(value)
        }
    }

    /// `nodes` in `encoding`.
    static func nodes(_ nodes: FakeUpstream.Nodes, _ encoding: NodeEncoding = .asStored) -> JSONValue {
        switch nodes {
        case .hash(let map) where encoding == .workerNormalised:
            return .array(
                FakeUpstream.Nodes.hash(map).nodes.map { node in
                    .object(omittingNil: [
                        ("host", .string(node.host)),
                        ("port", node.port.map { .int($0) }),
                        ("weight", .int(node.weight)),
                    ])
                }
            )
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
