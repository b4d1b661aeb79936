/// The etcd v2 envelope of APISIX 2.x (and of 3.x with `admin_api_version: v2`).
extension APISIXWire {
    /// The list document `{"action":"get","count":N,"node":{"dir":true,"key":"/apisix/<type>","nodes":[…]}}`.
    /// Its items keep `createdIndex` and `modifiedIndex`; `count` excludes the directory's placeholder key.
    static func v2List<Object>(
        _ items: [StoredObject<Object>],
        resource: String,
        emptyEncoding: FakeAPISIXAdmin.EmptyListEncoding
    ) -> JSONValue {
        let nodes: JSONValue =
            items.isEmpty && emptyEncoding == .object ? .object([]) : .array(items.map(self.item))
        return .object([
            ("action", .string("get")),
            ("count", .int(items.count)),
            (
                "node",
                .object([
                    ("dir", .bool(true)),
                    ("key", .string("/apisix/\(resource)")),
                    ("nodes", nodes),
                ])
            ),
        ])
    }

    /// The single GET document `{"action":"get","count":1,"node":{"key":…,"value":{…}}}`: APISIX 2.5 and later
    /// strip the node's `createdIndex` and `modifiedIndex` (`strip_etcd_resp`).
    static func v2Single<Object>(_ stored: StoredObject<Object>) -> JSONValue {
        .object([
            ("action", .string("get")),
            ("count", .int(1)),
            ("node", .object([("key", .string(stored.key)), ("value", self.value(stored))])),
        ])
    }
}
