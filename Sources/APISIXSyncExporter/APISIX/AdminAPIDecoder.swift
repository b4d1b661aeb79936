import Foundation

/// Decodes Admin API responses (etcd mode) into upstreams, routes and services; the v2 and v3 envelopes are detected
/// per response (see ``AdminAPIEnvelope``).
///
/// Reads with ``JSONReader`` rather than `JSONDecoder`: a refresh of 10,000 upstreams otherwise builds a map of the
/// whole document and allocates for every value, every few seconds. A list decode can reuse objects whose etcd
/// `modifiedIndex` did not change since the previous list, so only changed objects are decoded.
public enum AdminAPIDecoder {
    /// Why a response body was rejected.
    public typealias DecodingError = APISIXDecodingError

    /// Decodes `GET /apisix/admin/upstreams` in either envelope.
    ///
    /// - Parameter previous: the upstreams of the previous list by id; an item whose key names one of them and whose
    ///   `modifiedIndex` equals its `modifiedIndex` is taken from here without decoding its value.
    public static func decodeUpstreamList(
        _ data: Data,
        reusing previous: [String: APISIXUpstream] = [:]
    ) throws(DecodingError) -> [APISIXUpstream] {
        try decodeUpstreamListing(data, reusing: previous).items
    }

    /// Decodes `GET /apisix/admin/upstreams` in either envelope, telling which one it was.
    public static func decodeUpstreamListing(
        _ data: Data,
        reusing previous: [String: APISIXUpstream] = [:]
    ) throws(DecodingError) -> AdminAPIListing<APISIXUpstream> {
        try AdminAPIEnvelopeReader.decodeList(data, what: "upstreams") { node, reader throws(JSONReader.Failure) in
            try upstream(node, reader, previous: previous)
        }
    }

    /// Decodes `GET /apisix/admin/upstreams/{id}`: v3 `{"key":…,"value":{…},"createdIndex":…,"modifiedIndex":…}` or
    /// v2 `{"action":"get","node":{"key":…,"value":{…}}}`.
    ///
    /// - Parameter previous: upstreams by id; the answer is taken from here without decoding its value when its
    ///   `modifiedIndex` is the same (fast polls read the same unchanged upstream until a change lands).
    public static func decodeUpstream(
        _ data: Data,
        reusing previous: [String: APISIXUpstream] = [:]
    ) throws(DecodingError) -> APISIXUpstream {
        try AdminAPIEnvelopeReader.decodeSingle(data, what: "upstream") { node, reader throws(JSONReader.Failure) in
            try upstream(node, reader, previous: previous)
        }
    }

    /// One etcd node holding an upstream; its value is decoded unless it can be reused.
    static func upstream(
        _ node: EtcdNode,
        _ reader: JSONReader,
        previous: [String: APISIXUpstream]
    ) throws(JSONReader.Failure) -> APISIXUpstream {
        if let old = APISIXUpstream.reusable(previous, id: node.keyID, modifiedIndex: node.modifiedIndex) {
            return old
        }
        var valueReader = node.valueReader(reader)
        let body = try UpstreamBody.read(&valueReader)
        guard let id = body.id ?? node.keyID else { throw valueReader.failure("upstream without id") }
        return APISIXUpstream(body, id: id, modifiedIndex: node.modifiedIndex ?? body.modifiedIndex)
    }
}

extension APISIXUpstream {
    init(_ body: UpstreamBody, id: String, modifiedIndex: Int?) {
        self.init(id: id, name: body.name, nodes: body.nodes, discovery: body.discovery, modifiedIndex: modifiedIndex)
    }
}
