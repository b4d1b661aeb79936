import Foundation

/// Decodes `GET /apisix/admin/configs` of API-driven standalone mode into an ``APISIXStandaloneConfig``.
///
/// Items have no etcd envelope: each is the object itself, with `modifiedIndex` inside when the writer set it. Other
/// resource types (ssls, secrets, consumers, …) are skipped without being kept.
public enum StandaloneConfigDecoder {
    /// - Parameter previous: the previous config of the same pod; an item whose `id` and `modifiedIndex` equal those of
    ///   a previous item of the same type is taken from there without decoding it again.
    public static func decode(
        _ data: Data,
        reusing previous: APISIXStandaloneConfig? = nil
    ) throws(APISIXDecodingError) -> APISIXStandaloneConfig {
        let expected = "a standalone config object (with *_conf_version fields)"
        let previousUpstreams = index(previous?.upstreams)
        let previousServices = index(previous?.services)
        let previousRoutes = index(previous?.routes)
        let decoded: APISIXStandaloneConfig?
        do {
            decoded = try JSONReader.read(data) { reader throws(JSONReader.Failure) -> APISIXStandaloneConfig? in
                guard try reader.kind() == .object else { return nil }
                var config = APISIXStandaloneConfig()
                var recognized = false
                try reader.readObject { reader, key throws(JSONReader.Failure) in
                    switch key {
                    case "upstreams":
                        recognized = true
                        try reader.readItems(key.text) { reader throws(JSONReader.Failure) in
                            config.upstreams.append(try upstream(&reader, previous: previousUpstreams))
                        }
                    case "services":
                        recognized = true
                        try reader.readItems(key.text) { reader throws(JSONReader.Failure) in
                            config.services.append(try service(&reader, previous: previousServices))
                        }
                    case "routes":
                        recognized = true
                        try reader.readItems(key.text) { reader throws(JSONReader.Failure) in
                            config.routes.append(try route(&reader, previous: previousRoutes))
                        }
                    case "X-Last-Modified":
                        switch try reader.kind() {
                        case .number: config.lastModified = try? reader.readInt()
                        case .string: config.lastModified = Int(try reader.readString())
                        default: break
                        }
                    case "X-Digest" where try reader.kind() == .string: config.digest = try reader.readString()
                    default:
                        guard key.text.hasSuffix("_conf_version") else { return }
                        recognized = true
                        guard try reader.kind() == .number else {
                            throw reader.failure("\"\(key)\" is not a number")
                        }
                        config.confVersions[String(key.text.dropLast("_conf_version".count))] = try reader.readInt()
                    }
                }
                try reader.expectEnd()
                return recognized ? config : nil
            }
        } catch {
            throw ResponseBodySummary.rejection(error, in: data, api: .standaloneConfig, expected: expected)
        }
        guard let decoded else {
            var failure = ResponseBodySummary.unrecognized(data, api: .standaloneConfig, expected: expected)
            if failure.reason.contains("Unsupported resource type") || failure.reason.hasSuffix("\"not found\"") {
                failure = APISIXDecodingError(
                    .standaloneConfig,
                    reason: failure.reason
                        + " (this Admin API runs in etcd mode; /apisix/admin/configs is standalone-only)"
                )
            }
            throw failure
        }
        return decoded
    }

    private static func index<Item: ModifiedIndexed>(_ items: [Item]?) -> [String: Item] {
        guard let items else { return [:] }
        var byID: [String: Item] = [:]
        byID.reserveCapacity(items.count)
        for item in items { byID[item.id] = item }
        return byID
    }

    /// With a previous item of that id, reads only `id` and `modifiedIndex` first and keeps the previous item when
    /// the revision is unchanged; the probe still validates the whole item.
    private static func reused<Item: ModifiedIndexed>(
        _ reader: inout JSONReader,
        previous: [String: Item]
    ) throws(JSONReader.Failure) -> Item? {
        guard !previous.isEmpty, try reader.kind() == .object else { return nil }
        var probe = reader
        var id: String?
        var modifiedIndex: Int?
        try probe.readObject { reader, key throws(JSONReader.Failure) in
            switch key {
            case "id": id = try reader.readIdentifier("id", strict: false)
            case "modifiedIndex": modifiedIndex = try reader.readOptionalInt()
            default: break
            }
        }
        guard let old = Item.reusable(previous, id: id, modifiedIndex: modifiedIndex) else { return nil }
        reader = probe
        return old
    }

    private static func upstream(
        _ reader: inout JSONReader,
        previous: [String: APISIXUpstream]
    ) throws(JSONReader.Failure) -> APISIXUpstream {
        if let old = try reused(&reader, previous: previous) { return old }
        let body = try UpstreamBody.read(&reader)
        guard let id = body.id else { throw reader.failure("upstream without id") }
        return APISIXUpstream(body, id: id, modifiedIndex: body.modifiedIndex)
    }

    private static func service(
        _ reader: inout JSONReader,
        previous: [String: APISIXService]
    ) throws(JSONReader.Failure) -> APISIXService {
        if let old = try reused(&reader, previous: previous) { return old }
        let body = try RoutingObjectBody.read(&reader, what: "service")
        guard let id = body.id else { throw reader.failure("service without id") }
        return APISIXService(body, id: id, modifiedIndex: body.modifiedIndex)
    }

    private static func route(
        _ reader: inout JSONReader,
        previous: [String: APISIXRoute]
    ) throws(JSONReader.Failure) -> APISIXRoute {
        if let old = try reused(&reader, previous: previous) { return old }
        let body = try RoutingObjectBody.read(&reader, what: "route")
        guard let id = body.id else { throw reader.failure("route without id") }
        return APISIXRoute(body, id: id, modifiedIndex: body.modifiedIndex)
    }
}
