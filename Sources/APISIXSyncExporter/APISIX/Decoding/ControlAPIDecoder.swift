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
        let expected = "a JSON array of upstreams"
        let decoded: [APISIXUpstream]?
        do {
            decoded = try JSONReader.read(data) { reader throws(JSONReader.Failure) -> [APISIXUpstream]? in
                switch try reader.kind() {
                case .array:
                    var upstreams: [APISIXUpstream] = []
                    try reader.readArray { reader throws(JSONReader.Failure) in
                        let node = try EtcdNode.read(&reader, what: "upstream item")
                        upstreams.append(try AdminAPIDecoder.upstream(node, reader, previous: previous))
                    }
                    try reader.expectEnd()
                    return upstreams
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
