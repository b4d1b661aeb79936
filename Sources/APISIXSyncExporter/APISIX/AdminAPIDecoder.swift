import Foundation

/// Decodes Admin API responses (etcd mode, v3 envelope) into upstreams.
///
/// Uses `JSONDecoder` into small structs rather than `JSONSerialization`: a list of 10,000 upstreams otherwise
/// allocates millions of Foundation objects on every refresh.
public enum AdminAPIDecoder {
    /// Why a response body was rejected.
    public struct DecodingError: Error, CustomStringConvertible, Sendable, Equatable {
        public let reason: String
        public var description: String { "unexpected Admin API response: \(reason)" }
    }

    /// Decodes `GET /apisix/admin/upstreams`: `{"list":[{key,value,…}],"total":N}`.
    public static func decodeUpstreamList(_ data: Data) throws(DecodingError) -> [APISIXUpstream] {
        let envelope = try decode(ListEnvelope.self, from: data)
        guard let list = envelope.list else {
            throw DecodingError(reason: "no \"list\" field (not a v3 list envelope)")
        }
        return try list.items.map { item throws(DecodingError) in try upstream(from: item) }
    }

    /// Decodes `GET /apisix/admin/upstreams/{id}`: `{"key":…,"value":{…},"createdIndex":…,"modifiedIndex":…}`.
    public static func decodeUpstream(_ data: Data) throws(DecodingError) -> APISIXUpstream {
        try upstream(from: decode(Item.self, from: data))
    }

    private static func decode<T: Decodable>(_ type: T.Type, from data: Data) throws(DecodingError) -> T {
        do {
            return try JSONDecoder().decode(type, from: data)
        } catch let error as DecodingError {
            throw error
        } catch let error as Swift.DecodingError {
            throw DecodingError(reason: describe(error))
        } catch {
            throw DecodingError(reason: "body is not valid JSON")
        }
    }

    private static func describe(_ error: Swift.DecodingError) -> String {
        switch error {
        case .dataCorrupted(let context):
            context.codingPath.isEmpty ? "body is not valid JSON" : "invalid value at \(path(context.codingPath))"
        case .keyNotFound(let key, let context): "missing \"\(key.stringValue)\" at \(path(context.codingPath))"
        case .typeMismatch(_, let context), .valueNotFound(_, let context):
            context.codingPath.isEmpty ? "body is not an object" : "unexpected type at \(path(context.codingPath))"
        @unknown default: "undecodable body"
        }
    }

    private static func path(_ codingPath: [any CodingKey]) -> String {
        codingPath.map { $0.intValue.map(String.init) ?? $0.stringValue }.joined(separator: ".")
    }

    static func upstream(from item: Item) throws(DecodingError) -> APISIXUpstream {
        let value = item.value
        guard let id = value.id ?? item.key.flatMap({ $0.split(separator: "/").last.map(String.init) }) else {
            throw DecodingError(reason: "upstream without id")
        }
        if let type = value.discoveryType, let serviceName = value.serviceName {
            return APISIXUpstream(
                id: id,
                name: value.name,
                nodes: nil,
                discovery: .init(type: type, serviceName: serviceName)
            )
        }
        let defaultPort = value.scheme == "https" || value.scheme == "grpcs" ? 443 : 80
        var nodes = Set<NodeAddress>()
        switch value.nodes {
        case .none, .empty: break
        case .hash(let keys):
            for key in keys {
                guard let node = NodeAddress(parsing: key) else {
                    throw DecodingError(reason: "node key \"\(key.prefix(64))\" is not host:port")
                }
                nodes.insert(node)
            }
        case .array(let array):
            for node in array { nodes.insert(NodeAddress(host: node.host, port: node.port ?? defaultPort)) }
        }
        return APISIXUpstream(id: id, name: value.name, nodes: nodes)
    }

    // MARK: Wire types

    struct ListEnvelope: Decodable {
        var list: ItemList?
    }

    /// `[item, …]`, or `{}` (lua-cjson's encoding of an empty table).
    struct ItemList: Decodable {
        var items: [Item]

        init(from decoder: any Decoder) throws {
            if let items = try? decoder.singleValueContainer().decode([Item].self) {
                self.items = items
                return
            }
            let object = try decoder.container(keyedBy: AnyKey.self)
            guard object.allKeys.isEmpty else {
                throw Swift.DecodingError.typeMismatch(
                    [Item].self,
                    .init(codingPath: decoder.codingPath, debugDescription: "\"list\" is not an array")
                )
            }
            items = []
        }
    }

    struct Item: Decodable {
        var key: String?
        var value: UpstreamValue
    }

    struct UpstreamValue: Decodable {
        var id: String?
        var name: String?
        var nodes: Nodes?
        var discoveryType: String?
        var serviceName: String?
        var scheme: String?

        enum CodingKeys: String, CodingKey {
            case id, name, nodes, scheme
            case discoveryType = "discovery_type"
            case serviceName = "service_name"
        }

        init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            if let text = try? container.decode(String.self, forKey: .id) {
                id = text.isEmpty ? nil : text
            } else if let number = try? container.decode(Int.self, forKey: .id) {
                id = String(number)
            } else {
                id = nil
            }
            name = try? container.decodeIfPresent(String.self, forKey: .name)
            nodes = try container.decodeIfPresent(Nodes.self, forKey: .nodes)
            discoveryType = try? container.decodeIfPresent(String.self, forKey: .discoveryType)
            serviceName = try? container.decodeIfPresent(String.self, forKey: .serviceName)
            scheme = try? container.decodeIfPresent(String.self, forKey: .scheme)
        }
    }

    /// `{"ip:port": weight}`, `[{host, port, weight}]`, or empty (`{}`, `[]`, `null`).
    enum Nodes: Decodable {
        case hash([String])
        case array([ArrayNode])
        case empty

        init(from decoder: any Decoder) throws {
            let single = try decoder.singleValueContainer()
            if single.decodeNil() {
                self = .empty
            } else if let array = try? single.decode([ArrayNode].self) {
                self = array.isEmpty ? .empty : .array(array)
            } else if let object = try? decoder.container(keyedBy: AnyKey.self) {
                self = object.allKeys.isEmpty ? .empty : .hash(object.allKeys.map(\.stringValue))
            } else {
                throw Swift.DecodingError.typeMismatch(
                    Nodes.self,
                    .init(codingPath: decoder.codingPath, debugDescription: "nodes is neither an object nor an array")
                )
            }
        }
    }

    struct ArrayNode: Decodable {
        var host: String
        var port: Int?

        enum CodingKeys: String, CodingKey { case host, port }

        init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            host = try container.decode(String.self, forKey: .host)
            guard !host.isEmpty else {
                throw Swift.DecodingError.dataCorruptedError(
                    forKey: .host,
                    in: container,
                    debugDescription: "empty host"
                )
            }
            port = try container.decodeIfPresent(Int.self, forKey: .port)
            if let port, !(0...65_535).contains(port) {
                throw Swift.DecodingError.dataCorruptedError(forKey: .port, in: container, debugDescription: "bad port")
            }
        }
    }

    struct AnyKey: CodingKey {
        var stringValue: String
        var intValue: Int?
        init(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) {
            self.stringValue = String(intValue)
            self.intValue = intValue
        }
    }
}
