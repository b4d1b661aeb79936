/// The documents of the Control API (`/v1/...`), which shows a worker's in-memory configuration.
extension APISIXWire {
    /// An item of `/v1/upstreams` (and the body of `/v1/upstream/{id}`): in etcd mode
    /// `{"key":"/apisix/upstreams/<id>","value","createdIndex","modifiedIndex","has_domain"}`, in standalone mode
    /// `{"key":"/upstreams/<id>","modifiedIndex","value","has_domain"}`; hash nodes are normalised to the array
    /// form, and `value` carries `resource_key`, `resource_version` and `resource_id` (APISIX 3.14 and later).
    static func controlUpstream(_ stored: StoredUpstream, mode: FakeAPISIXAdmin.DeploymentMode) -> JSONValue {
        let key = mode == .standalone ? stored.standaloneKey : stored.key
        let resourceFields: [(String, JSONValue)] = [
            ("resource_key", .string(key)),
            ("resource_version", .int(stored.modifiedIndex)),
            ("resource_id", .string(stored.object.id.description)),
        ]
        let hasDomain = ("has_domain", JSONValue.bool(self.hasDomain(stored.object)))
        switch mode {
        case .etcd:
            let value = self.etcdControlValue(stored) + resourceFields
            return .object([
                ("key", .string(key)),
                ("value", .object(value)),
                ("createdIndex", .int(stored.createdIndex)),
                ("modifiedIndex", .int(stored.modifiedIndex)),
                hasDomain,
            ])
        case .standalone:
            let value =
                [("modifiedIndex", JSONValue.int(stored.modifiedIndex))]
                + stored.object.fields(.workerNormalised) + resourceFields
            return .object([
                ("key", .string(key)),
                ("modifiedIndex", .int(stored.modifiedIndex)),
                ("value", .object(value)),
                hasDomain,
            ])
        }
    }

    /// An item of `/v1/routes` or `/v1/services` (and the body of `/v1/route/{id}`, `/v1/service/{id}`): the
    /// config item with inline hash nodes normalised, `{"key","value","createdIndex","modifiedIndex"}` in etcd mode
    /// and `{"key":"/<type>/<id>","modifiedIndex","value"}` in standalone mode. (Inferred from
    /// `apisix/control/v1.lua`, which deep-copies the config items; not checked against a test.)
    static func controlObject<Object>(
        _ stored: StoredObject<Object>,
        mode: FakeAPISIXAdmin.DeploymentMode
    ) -> JSONValue {
        switch mode {
        case .etcd:
            return .object([
                ("key", .string(stored.key)),
                ("value", .object(self.etcdControlValue(stored))),
                ("createdIndex", .int(stored.createdIndex)),
                ("modifiedIndex", .int(stored.modifiedIndex)),
            ])
        case .standalone:
            return .object([
                ("key", .string(stored.standaloneKey)),
                ("modifiedIndex", .int(stored.modifiedIndex)),
                ("value", self.standaloneValue(stored, .workerNormalised)),
            ])
        }
    }

    /// A Control API list: a bare array, or `{}` when empty (lua-cjson's encoding of an empty Lua table; inferred
    /// from `apisix/control/v1.lua`, which builds the list with `{}` and no array metatable).
    static func controlList(_ items: [JSONValue]) -> JSONValue {
        items.isEmpty ? .object([]) : .array(items)
    }

    /// The body of `GET /v1/discovery/kubernetes/dump` in single-cluster mode:
    /// `{"endpoints":[{"endpoints":[{"name":"ns/svc","value":"<JSON string>"}]}],"config":{…}}`. Each `value` is the
    /// JSON-encoded map of port name to nodes `{"host","port","weight"}` sorted by host, then port; `config` echoes
    /// the discovery settings, including an inline `client.token`.
    static func discoveryDump(
        _ discovery: [String: [String: [FakeUpstream.Node]]],
        settings: FakeAPISIXAdmin.KubernetesDiscoverySettings
    ) -> JSONValue {
        let entries = discovery.sorted { $0.key < $1.key }.map { name, ports -> JSONValue in
            let value = JSONValue.object(
                ports.sorted { $0.key < $1.key }.map { portName, nodes in
                    let sorted = nodes.sorted { ($0.host, $0.port ?? 0) < ($1.host, $1.port ?? 0) }
                    return (
                        portName,
                        .array(
                            sorted.map { node in
                                .object(omittingNil: [
                                    ("host", .string(node.host)),
                                    ("port", node.port.map { .int($0) }),
                                    ("weight", .int(settings.defaultWeight)),
                                ])
                            }
                        )
                    )
                }
            )
            let encoded = String(decoding: value.serialized(escaping: self.escaping), as: UTF8.self)
            return .object([("name", .string(name)), ("value", .string(encoded))])
        }
        let client: JSONValue =
            settings.token.map { .object([("token", .string($0))]) }
            ?? .object([("token_file", .string("/var/run/secrets/kubernetes.io/serviceaccount/token"))])
        let config = JSONValue.object([
            (
                "service",
                .object([
                    ("schema", .string("https")),
                    ("host", .string("${KUBERNETES_SERVICE_HOST}")),
                    ("port", .string("${KUBERNETES_SERVICE_PORT}")),
                ])
            ),
            ("client", client),
            ("default_weight", .int(settings.defaultWeight)),
            ("shared_size", .string("64m")),
            ("watch_endpoint_slices", .bool(settings.watchEndpointSlices)),
        ])
        return .object([
            ("endpoints", .array([.object([("endpoints", entries.isEmpty ? .object([]) : .array(entries))])])),
            ("config", config),
        ])
    }

    private static func etcdControlValue<Object>(_ stored: StoredObject<Object>) -> [(String, JSONValue)] {
        stored.object.fields(.workerNormalised)
            + [("create_time", .int(stored.createTime)), ("update_time", .int(stored.updateTime))]
    }

    /// Whether a node's host is a domain name rather than an IP address (what `has_domain` reports).
    private static func hasDomain(_ upstream: FakeUpstream) -> Bool {
        guard case .nodes(let nodes) = upstream.backend else { return false }
        return nodes.nodes.contains { node in
            !node.host.contains(":") && !node.host.allSatisfy { $0.isNumber || $0 == "." }
        }
    }
}
