import Foundation

/// Reads Admin API v2 and v3 envelopes (see ``AdminAPIEnvelope``) around items that a caller decodes.
///
/// cjson writes keys in any order, so the envelope is recognised by the keys present, not by their order. A body that is
/// neither envelope fails with a reason naming what it was.
enum AdminAPIEnvelopeReader {
    /// Decodes a list; `item` gets each etcd node and a reader over the whole body (for the node's value range).
    static func decodeList<Item: Sendable>(
        _ data: Data,
        what: String,
        item: (EtcdNode, JSONReader) throws(JSONReader.Failure) -> Item
    ) throws(APISIXDecodingError) -> AdminAPIListing<Item> {
        let expected = "an Admin API list of \(what) ({\"list\":…} or {\"node\":{\"nodes\":…}})"
        let outcome: Outcome<AdminAPIListing<Item>>
        do {
            outcome = try JSONReader.read(data) { reader throws(JSONReader.Failure) -> Outcome<AdminAPIListing<Item>> in
                guard try reader.kind() == .object else { return .unrecognized }
                var v3: [Item]?
                var v2: [Item]?
                var v2Directory = false
                var single = false
                try reader.readObject { reader, key throws(JSONReader.Failure) in
                    switch key {
                    case "list":
                        var items: [Item] = []
                        try reader.readItems("list") { reader throws(JSONReader.Failure) in
                            items.append(try item(EtcdNode.read(&reader, what: "\(what) item"), reader))
                        }
                        v3 = items
                    case "node":
                        guard try reader.kind() == .object else { throw reader.failure("\"node\" is not an object") }
                        try reader.readObject { reader, key throws(JSONReader.Failure) in
                            switch key {
                            case "nodes":
                                var items: [Item] = []
                                try reader.readItems("nodes") { reader throws(JSONReader.Failure) in
                                    items.append(try item(EtcdNode.read(&reader, what: "\(what) item"), reader))
                                }
                                v2 = items
                            case "dir" where try reader.kind() == .bool: v2Directory = try reader.readBool()
                            case "value": single = true
                            default: break
                            }
                        }
                    case "value": single = true
                    default: break
                    }
                }
                try reader.expectEnd()
                if let v3 { return .decoded(AdminAPIListing(items: v3, envelope: .v3)) }
                if let v2 { return .decoded(AdminAPIListing(items: v2, envelope: .v2)) }
                // An empty v2 directory may come without "nodes".
                if v2Directory { return .decoded(AdminAPIListing(items: [], envelope: .v2)) }
                return single ? .wrongShape("a single object, not a list") : .unrecognized
            }
        } catch {
            throw ResponseBodySummary.rejection(error, in: data, api: .adminAPI, expected: expected)
        }
        return try outcome.get(data, expected: expected)
    }

    /// Decodes a single-object answer (`GET /apisix/admin/<type>/{id}`).
    static func decodeSingle<Item: Sendable>(
        _ data: Data,
        what: String,
        item: (EtcdNode, JSONReader) throws(JSONReader.Failure) -> Item
    ) throws(APISIXDecodingError) -> Item {
        let expected = "a single Admin API \(what) ({\"key\",\"value\",…} or {\"node\":{…}})"
        let outcome: Outcome<Item>
        do {
            outcome = try JSONReader.read(data) { reader throws(JSONReader.Failure) -> Outcome<Item> in
                guard try reader.kind() == .object else { return .unrecognized }
                var probe = reader
                var top: (key: String?, modifiedIndex: Int?, value: Range<Int>?) = (nil, nil, nil)
                var nodeRange: Range<Int>?
                var list = false
                try probe.readObject { reader, key throws(JSONReader.Failure) in
                    switch key {
                    case "key" where try reader.kind() == .string: top.key = try reader.readString()
                    case "modifiedIndex": top.modifiedIndex = try reader.readOptionalInt()
                    case "value":
                        guard try reader.kind() == .object else { throw reader.failure("\"value\" is not an object") }
                        top.value = try reader.skipContainer()
                    case "node":
                        guard try reader.kind() == .object else { throw reader.failure("\"node\" is not an object") }
                        nodeRange = try reader.skipContainer()
                    case "list": list = true
                    default: break
                    }
                }
                try probe.expectEnd()
                if let value = top.value {
                    let node = EtcdNode(
                        keyID: JSONReader.keyID(top.key),
                        modifiedIndex: top.modifiedIndex,
                        valueRange: value
                    )
                    return .decoded(try item(node, reader))
                }
                if let nodeRange {
                    var nodeReader = JSONReader(reader.bytes, offset: nodeRange.lowerBound)
                    var isList = false
                    var probeNode = nodeReader
                    try probeNode.readObject { reader, key throws(JSONReader.Failure) in
                        if key == "nodes" || key == "dir" { isList = true }
                    }
                    if isList { return .wrongShape("a v2 list, not a single object") }
                    return .decoded(try item(EtcdNode.read(&nodeReader, what: "\"node\""), reader))
                }
                return list ? .wrongShape("a v3 list, not a single object") : .unrecognized
            }
        } catch {
            throw ResponseBodySummary.rejection(error, in: data, api: .adminAPI, expected: expected)
        }
        return try outcome.get(data, expected: expected)
    }

    /// The result of reading a body whose JSON was well formed.
    enum Outcome<Value> {
        case decoded(Value)
        /// An Admin API envelope, but not the one asked for.
        case wrongShape(String)
        /// Not an Admin API envelope at all.
        case unrecognized

        func get(_ data: Data, expected: String) throws(APISIXDecodingError) -> Value {
            switch self {
            case .decoded(let value): return value
            case .wrongShape(let what):
                throw APISIXDecodingError(.adminAPI, reason: "expected \(expected), got \(what)")
            case .unrecognized: throw ResponseBodySummary.unrecognized(data, api: .adminAPI, expected: expected)
            }
        }
    }
}
