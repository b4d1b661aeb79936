import Foundation

/// Decodes Admin API responses (etcd mode, v3 envelope) into upstreams.
public enum AdminAPIDecoder {
    /// Why a response body was rejected.
    public struct DecodingError: Error, CustomStringConvertible, Sendable, Equatable {
        public let reason: String
        public var description: String { "unexpected Admin API response: \(reason)" }
    }

    /// Decodes `GET /apisix/admin/upstreams`: `{"list":[{key,value,…}],"total":N}`.
    public static func decodeUpstreamList(_ data: Data) throws(DecodingError) -> [APISIXUpstream] {
        let root = try object(data)
        guard let listValue = root["list"] else {
            throw DecodingError(reason: "no \"list\" field (not a v3 list envelope)")
        }
        let items: [Any]
        if let array = listValue as? [Any] {
            items = array
        } else if let dictionary = listValue as? [String: Any], dictionary.isEmpty {
            items = []  // lua-cjson encodes an empty table as {}
        } else {
            throw DecodingError(reason: "\"list\" is not an array")
        }
        return try items.map { item throws(DecodingError) in
            guard let item = item as? [String: Any] else { throw DecodingError(reason: "list item is not an object") }
            return try upstream(fromItem: item)
        }
    }

    /// Decodes `GET /apisix/admin/upstreams/{id}`: `{"key":…,"value":{…},"createdIndex":…,"modifiedIndex":…}`.
    public static func decodeUpstream(_ data: Data) throws(DecodingError) -> APISIXUpstream {
        try upstream(fromItem: object(data))
    }

    static func object(_ data: Data) throws(DecodingError) -> [String: Any] {
        let parsed: Any
        do {
            parsed = try JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed])
        } catch {
            throw DecodingError(reason: "body is not valid JSON")
        }
        guard let dictionary = parsed as? [String: Any] else { throw DecodingError(reason: "body is not an object") }
        return dictionary
    }

    static func upstream(fromItem item: [String: Any]) throws(DecodingError) -> APISIXUpstream {
        guard let value = item["value"] as? [String: Any] else {
            throw DecodingError(reason: "item has no \"value\" object")
        }
        return try upstream(fromValue: value, key: item["key"] as? String)
    }

    /// Decodes an upstream object (`value`), which may also be inline in a route or service.
    static func upstream(fromValue value: [String: Any], key: String?) throws(DecodingError) -> APISIXUpstream {
        let id: String
        if let text = value["id"] as? String, !text.isEmpty {
            id = text
        } else if let number = value["id"] as? NSNumber, !(number is Bool),
            let integer = Int(exactly: number.doubleValue)
        {
            id = String(integer)
        } else if let key, let last = key.split(separator: "/").last {
            id = String(last)
        } else {
            throw DecodingError(reason: "upstream without id")
        }
        let name = value["name"] as? String
        if let type = value["discovery_type"] as? String, let serviceName = value["service_name"] as? String {
            return APISIXUpstream(
                id: id,
                name: name,
                nodes: nil,
                discovery: .init(type: type, serviceName: serviceName)
            )
        }
        let scheme = value["scheme"] as? String
        let nodes = try decodeNodes(value["nodes"], defaultPort: scheme == "https" || scheme == "grpcs" ? 443 : 80)
        return APISIXUpstream(id: id, name: name, nodes: nodes)
    }

    /// Decodes `nodes` in hash form `{"ip:port": weight}` or array form `[{host, port, weight}]`;
    /// `{}`, `[]`, `null` and a missing field mean no nodes.
    static func decodeNodes(_ raw: Any?, defaultPort: Int) throws(DecodingError) -> Set<NodeAddress> {
        guard let raw, !(raw is NSNull) else { return [] }
        if let hash = raw as? [String: Any] {
            var nodes = Set<NodeAddress>()
            for key in hash.keys {
                guard let node = NodeAddress(parsing: key) else {
                    throw DecodingError(reason: "node key \"\(key.prefix(64))\" is not host:port")
                }
                nodes.insert(node)
            }
            return nodes
        }
        if let array = raw as? [Any] {
            var nodes = Set<NodeAddress>()
            for element in array {
                guard let node = element as? [String: Any], let host = node["host"] as? String, !host.isEmpty else {
                    throw DecodingError(reason: "array node without host")
                }
                var port = defaultPort
                if let number = node["port"] as? NSNumber, !(number is Bool),
                    let integer = Int(exactly: number.doubleValue),
                    (0...65_535).contains(integer)
                {
                    port = integer
                } else if node["port"] != nil, !(node["port"] is NSNull) {
                    throw DecodingError(reason: "array node with an invalid port")
                }
                nodes.insert(NodeAddress(host: host, port: port))
            }
            return nodes
        }
        throw DecodingError(reason: "\"nodes\" is neither an object nor an array")
    }
}
