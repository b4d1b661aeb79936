import Foundation

/// Decodes the Control API's upstream views (default `127.0.0.1:9090`): what one worker of one pod routes with.
///
/// `GET /v1/upstreams` is a bare JSON array of items. In etcd mode an item is `{key:"/apisix/upstreams/<id>", value,
/// createdIndex, modifiedIndex, has_domain}`; in standalone mode `{key:"/upstreams/<id>", value, modifiedIndex}`.
/// Workers normalise hash nodes to arrays; both forms are accepted. Discovery upstreams come back as discovery (their
/// `nodes` there are only what the worker last resolved; use the discovery dump for them).
public enum ControlAPIDecoder {
    /// Decodes `GET /v1/upstreams`; upstreams of `previous` (by id) whose `modifiedIndex` did not change are reused.
    public static func decodeUpstreams(
        _ data: Data,
        reusing previous: [String: APISIXUpstream] = [:]
    ) throws(APISIXDecodingError) -> [APISIXUpstream] {
        try decodeArray(data, of: "upstream") { node, reader throws(JSONReader.Failure) in
            try AdminAPIDecoder.upstream(node, reader, previous: previous)
        }
    }

    /// Decodes `GET /v1/routes`, reusing routes of `previous` whose `modifiedIndex` did not change.
    public static func decodeRoutes(
        _ data: Data,
        reusing previous: [String: APISIXRoute] = [:]
    ) throws(APISIXDecodingError) -> [APISIXRoute] {
        try decodeArray(data, of: "route") { node, reader throws(JSONReader.Failure) in
            try AdminAPIDecoder.route(node, reader, previous: previous)
        }
    }

    /// Decodes `GET /v1/services`, reusing services of `previous` whose `modifiedIndex` did not change.
    public static func decodeServices(
        _ data: Data,
        reusing previous: [String: APISIXService] = [:]
    ) throws(APISIXDecodingError) -> [APISIXService] {
        try decodeArray(data, of: "service") { node, reader throws(JSONReader.Failure) in
            try AdminAPIDecoder.service(node, reader, previous: previous)
        }
    }

    /// A bare JSON array of etcd-style items of type `what` (`{}` for an empty Lua table), each decoded by `item`.
    private static func decodeArray<Item: Sendable>(
        _ data: Data,
        of what: String,
        item: (EtcdNode, JSONReader) throws(JSONReader.Failure) -> Item
    ) throws(APISIXDecodingError) -> [Item] {
        let expected = "a JSON array of \(what)s"
        let decoded: [Item]?
        do {
            decoded = try JSONReader.read(data) { reader throws(JSONReader.Failure) -> [Item]? in
                switch try reader.kind() {
                case .array:
                    var items: [Item] = []
                    try reader.readArray { reader throws(JSONReader.Failure) in
                        let node = try EtcdNode.read(&reader, what: "\(what) item")
                        items.append(try item(node, reader))
                    }
                    try reader.expectEnd()
                    return items
                case .object:
                    // lua-cjson encodes an empty Lua table as {}.
                    var empty = true
                    try reader.readObject { _, _ throws(JSONReader.Failure) in empty = false }
                    try reader.expectEnd()
                    return empty ? [] : nil
                default: return nil
                }
            }
        } catch {
            throw ResponseBodySummary.rejection(error, in: data, api: .controlAPI, expected: expected)
        }
        guard let decoded else { throw ResponseBodySummary.unrecognized(data, api: .controlAPI, expected: expected) }
        return decoded
    }

    /// Decodes `GET /v1/upstream/{id}`: one item as in the list.
    public static func decodeUpstream(_ data: Data) throws(APISIXDecodingError) -> APISIXUpstream {
        let expected = "a Control API upstream item ({\"key\",\"value\",…})"
        let decoded: APISIXUpstream?
        do {
            decoded = try JSONReader.read(data) { reader throws(JSONReader.Failure) -> APISIXUpstream? in
                guard try reader.kind() == .object else { return nil }
                var hasValue = false
                var probe = reader
                try probe.readObject { _, key throws(JSONReader.Failure) in if key == "value" { hasValue = true } }
                guard hasValue else { return nil }
                let node = try EtcdNode.read(&reader, what: "upstream item")
                try reader.expectEnd()
                return try AdminAPIDecoder.upstream(node, reader, previous: [:])
            }
        } catch {
            throw ResponseBodySummary.rejection(error, in: data, api: .controlAPI, expected: expected)
        }
        guard let decoded else { throw ResponseBodySummary.unrecognized(data, api: .controlAPI, expected: expected) }
        return decoded
    }
}
