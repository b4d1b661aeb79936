/// The documents of API-driven standalone mode.
extension APISIXWire {
    /// The body of `GET /apisix/admin/configs`: the `X-Last-Modified` and `X-Digest` metadata keys (stored with the
    /// configuration, so they come back in the body; absent before the first push), every `<type>_conf_version`,
    /// then the non-empty `routes`, `services` and `upstreams`, whose items are flat values with `modifiedIndex`
    /// (no `key`, no `create_time`/`update_time`).
    static func standaloneConfig(
        _ objects: APISIXObjects,
        confVersions: [String: Int],
        headers: (lastModified: Int, digest: String)?
    ) -> JSONValue {
        var fields: [(String, JSONValue)] = []
        if let headers {
            fields.append(("X-Last-Modified", .int(headers.lastModified)))
            fields.append(("X-Digest", .string(headers.digest)))
        }
        for type in StandaloneConfigState.resourceTypes {
            fields.append(("\(type)_conf_version", .int(confVersions[type] ?? 0)))
        }
        let routes = objects.sorted(\.routes)
        if !routes.isEmpty {
            fields.append(("routes", .array(routes.map { self.standaloneValue($0) })))
        }
        let services = objects.sorted(\.services)
        if !services.isEmpty {
            fields.append(("services", .array(services.map { self.standaloneValue($0) })))
        }
        let upstreams = objects.sorted(\.upstreams)
        if !upstreams.isEmpty {
            fields.append(("upstreams", .array(upstreams.map { self.standaloneValue($0) })))
        }
        return .object(fields)
    }

    /// An item of a standalone configuration: `modifiedIndex` and the object's fields.
    static func standaloneValue<Object>(
        _ stored: StoredObject<Object>,
        _ encoding: NodeEncoding = .asStored
    ) -> JSONValue {
        .object([("modifiedIndex", .int(stored.modifiedIndex))] + stored.object.fields(encoding))
    }
}
