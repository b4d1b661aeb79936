import Foundation

/// Decodes Admin API responses (etcd mode, v3 envelope) into upstreams.
///
/// Reads with ``JSONReader`` rather than `JSONDecoder`: a refresh of 10,000 upstreams otherwise builds a map of the
/// whole document and allocates for every value, every few seconds. A list decode can reuse upstreams whose etcd
/// `modifiedIndex` did not change since the previous list, so only changed upstreams are decoded.
public enum AdminAPIDecoder {
    /// Why a response body was rejected.
    public struct DecodingError: Error, CustomStringConvertible, Sendable, Equatable {
        public let reason: String
        public var description: String { "unexpected Admin API response: \(reason)" }
    }

    /// Decodes `GET /apisix/admin/upstreams`: `{"list":[{key,value,…}],"total":N}`.
    ///
    /// - Parameter previous: the upstreams of the previous list by id; an item whose key names one of them and whose
    ///   `modifiedIndex` equals its `modifiedIndex` is taken from here without decoding its value.
    public static func decodeUpstreamList(
        _ data: Data,
        reusing previous: [String: APISIXUpstream] = [:]
    ) throws(DecodingError) -> [APISIXUpstream] {
        do {
            return try JSONReader.read(data) { reader throws(JSONReader.Failure) in
                guard try reader.kind() == .object else { throw reader.failure("body is not an object") }
                var upstreams: [APISIXUpstream]?
                try reader.readObject { reader, key throws(JSONReader.Failure) in
                    guard key == "list" else { return }
                    upstreams = try list(&reader, previous: previous)
                }
                try reader.expectEnd()
                guard let upstreams else { throw reader.failure("no \"list\" field (not a v3 list envelope)") }
                return upstreams
            }
        } catch {
            throw DecodingError(reason: error.message)
        }
    }

    /// Decodes `GET /apisix/admin/upstreams/{id}`: `{"key":…,"value":{…},"createdIndex":…,"modifiedIndex":…}`.
    public static func decodeUpstream(_ data: Data) throws(DecodingError) -> APISIXUpstream {
        do {
            return try JSONReader.read(data) { reader throws(JSONReader.Failure) in
                let upstream = try item(&reader, previous: [:])
                try reader.expectEnd()
                return upstream
            }
        } catch {
            throw DecodingError(reason: error.message)
        }
    }

    /// `[item, …]`, or `{}` (lua-cjson's encoding of an empty table).
    private static func list(
        _ reader: inout JSONReader,
        previous: [String: APISIXUpstream]
    ) throws(JSONReader.Failure) -> [APISIXUpstream] {
        var upstreams: [APISIXUpstream] = []
        switch try reader.kind() {
        case .array:
            try reader.readArray { reader throws(JSONReader.Failure) in
                upstreams.append(try item(&reader, previous: previous))
            }
        case .object:
            try reader.readObject { reader, _ throws(JSONReader.Failure) in
                throw reader.failure("\"list\" is not an array")
            }
        default: throw reader.failure("\"list\" is not an array")
        }
        return upstreams
    }

    /// One etcd node envelope; its value is decoded after the envelope was read, unless it can be reused.
    private static func item(
        _ reader: inout JSONReader,
        previous: [String: APISIXUpstream]
    ) throws(JSONReader.Failure) -> APISIXUpstream {
        guard try reader.kind() == .object else { throw reader.failure("item is not an object") }
        var etcdKey: String?
        var valueRange: Range<Int>?
        var modifiedIndex: Int?
        try reader.readObject { reader, key throws(JSONReader.Failure) in
            switch key {
            case "key" where try reader.kind() == .string: etcdKey = try reader.readString()
            case "modifiedIndex" where try reader.kind() == .number: modifiedIndex = try? reader.readInt()
            case "value":
                guard try reader.kind() == .object else { throw reader.failure("\"value\" is not an object") }
                valueRange = try reader.skipValue()
            default: break
            }
        }
        guard let valueRange else { throw reader.failure("item without \"value\"") }
        let keyID = etcdKey.flatMap { $0.split(separator: "/").last.map(String.init) }
        if let keyID, let modifiedIndex, let old = previous[keyID], old.modifiedIndex == modifiedIndex {
            return old
        }
        var valueReader = JSONReader(reader.bytes, offset: valueRange.lowerBound)
        return try value(&valueReader, keyID: keyID, modifiedIndex: modifiedIndex)
    }

    private static func value(
        _ reader: inout JSONReader,
        keyID: String?,
        modifiedIndex: Int?
    ) throws(JSONReader.Failure) -> APISIXUpstream {
        var id: String?
        var name: String?
        var nodes: Set<NodeAddress>?
        var hashKeys: [String]?
        var arrayNodes: [(host: String, port: Int?)]?
        var discoveryType: String?
        var serviceName: String?
        var scheme: String?
        try reader.readObject { reader, key throws(JSONReader.Failure) in
            switch key {
            case "id":
                switch try reader.kind() {
                case .string:
                    let text = try reader.readString()
                    id = text.isEmpty ? nil : text
                case .number: id = (try? reader.readInt()).map(String.init)
                default: break
                }
            case "name" where try reader.kind() == .string: name = try reader.readString()
            case "discovery_type" where try reader.kind() == .string: discoveryType = try reader.readString()
            case "service_name" where try reader.kind() == .string: serviceName = try reader.readString()
            case "scheme" where try reader.kind() == .string: scheme = try reader.readString()
            case "nodes":
                switch try reader.kind() {
                case .null: _ = try reader.readNull()
                case .object:
                    var keys: [String] = []
                    try reader.readObject { reader, key throws(JSONReader.Failure) in
                        keys.append(key)
                        try reader.skipValue()
                    }
                    hashKeys = keys
                case .array:
                    var list: [(host: String, port: Int?)] = []
                    try reader.readArray { reader throws(JSONReader.Failure) in list.append(try arrayNode(&reader)) }
                    arrayNodes = list
                default: throw reader.failure("\"nodes\" is neither an object nor an array")
                }
            default: break
            }
        }
        guard let id = id ?? keyID else { throw reader.failure("upstream without id") }
        if let discoveryType, let serviceName {
            return APISIXUpstream(
                id: id,
                name: name,
                nodes: nil,
                discovery: .init(type: discoveryType, serviceName: serviceName),
                modifiedIndex: modifiedIndex
            )
        }
        nodes = []
        for key in hashKeys ?? [] {
            guard let node = NodeAddress(parsing: key) else {
                throw reader.failure("node key \"\(key.prefix(64))\" is not host:port")
            }
            nodes?.insert(node)
        }
        let defaultPort = scheme == "https" || scheme == "grpcs" ? 443 : 80
        for node in arrayNodes ?? [] { nodes?.insert(NodeAddress(host: node.host, port: node.port ?? defaultPort)) }
        return APISIXUpstream(id: id, name: name, nodes: nodes, modifiedIndex: modifiedIndex)
    }

    /// `{"host":…,"port":…,…}`: host required and non-empty, port optional in 0…65535.
    private static func arrayNode(_ reader: inout JSONReader) throws(JSONReader.Failure) -> (host: String, port: Int?) {
        guard try reader.kind() == .object else { throw reader.failure("node is not an object") }
        var host: String?
        var port: Int?
        try reader.readObject { reader, key throws(JSONReader.Failure) in
            switch key {
            case "host":
                guard try reader.kind() == .string else { throw reader.failure("node host is not a string") }
                host = try reader.readString()
            case "port":
                switch try reader.kind() {
                case .null: _ = try reader.readNull()
                case .number: port = try reader.readInt()
                default: throw reader.failure("node port is not a number")
                }
            default: break
            }
        }
        guard let host, !host.isEmpty else { throw reader.failure("node without host") }
        if let port, !(0...65_535).contains(port) { throw reader.failure("node port \(port) out of range") }
        return (host, port)
    }
}
