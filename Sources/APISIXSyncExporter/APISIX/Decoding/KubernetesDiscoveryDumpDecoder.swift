import Foundation

/// Decodes `GET /v1/discovery/kubernetes/dump` (Control API, APISIX ≥ 3.10):
/// `{"config": …, "endpoints": [{"id"?, "endpoints": [{"name": "ns/svc", "value": "<JSON string>"}]}]}`, where each
/// `value` is itself JSON: `{"portName": [{"host","port","weight"}]}`.
///
/// `config` is skipped unread and never kept: it can hold the Kubernetes token. No error repeats body bytes.
public enum KubernetesDiscoveryDumpDecoder {
    /// Decodes the dump body; its `config` is skipped.
    public static func decode(_ data: Data) throws(APISIXDecodingError) -> APISIXKubernetesDiscoveryDump {
        let expected = "a discovery dump object with \"endpoints\""
        let decoded: APISIXKubernetesDiscoveryDump?
        do {
            decoded = try JSONReader.read(data) { reader throws(JSONReader.Failure) -> APISIXKubernetesDiscoveryDump? in
                guard try reader.kind() == .object else { return nil }
                var dump: APISIXKubernetesDiscoveryDump?
                try reader.readObject { reader, key throws(JSONReader.Failure) in
                    guard key == "endpoints" else { return }
                    var clusters: [APISIXKubernetesDiscoveryDump.Cluster] = []
                    try reader.readItems("endpoints") { reader throws(JSONReader.Failure) in
                        clusters.append(try cluster(&reader))
                    }
                    dump = APISIXKubernetesDiscoveryDump(clusters: clusters)
                }
                try reader.expectEnd()
                return dump
            }
        } catch {
            throw ResponseBodySummary.rejection(
                error,
                in: data,
                api: .kubernetesDiscoveryDump,
                expected: expected,
                quoting: false
            )
        }
        guard let decoded else {
            throw ResponseBodySummary.unrecognized(
                data,
                api: .kubernetesDiscoveryDump,
                expected: expected,
                quoting: false
            )
        }
        return decoded
    }

    /// `{"id"?: …, "endpoints": [{name, value}]}`.
    private static func cluster(
        _ reader: inout JSONReader
    ) throws(JSONReader.Failure)
        -> APISIXKubernetesDiscoveryDump
        .Cluster
    {
        guard try reader.kind() == .object else { throw reader.failure("cluster entry is not an object") }
        var cluster = APISIXKubernetesDiscoveryDump.Cluster()
        try reader.readObject { reader, key throws(JSONReader.Failure) in
            switch key {
            case "id": cluster.id = try reader.readIdentifier("id", strict: true)
            case "endpoints":
                try reader.readItems("endpoints") { reader throws(JSONReader.Failure) in
                    let (service, ports) = try serviceEntry(&reader)
                    cluster.services[service] = ports
                }
            default: break
            }
        }
        return cluster
    }

    /// `{"name": "ns/svc", "value": "{\"port\":[…]}"}`.
    private static func serviceEntry(
        _ reader: inout JSONReader
    ) throws(JSONReader.Failure) -> (ServiceKey, [String: Set<NodeAddress>]) {
        guard try reader.kind() == .object else { throw reader.failure("endpoint entry is not an object") }
        var name: String?
        var value: String?
        try reader.readObject { reader, key throws(JSONReader.Failure) in
            switch key {
            case "name":
                guard try reader.kind() == .string else { throw reader.failure("endpoint name is not a string") }
                name = try reader.readString()
            case "value":
                guard try reader.kind() == .string else { throw reader.failure("endpoint value is not a string") }
                value = try reader.readString()
            default: break
            }
        }
        let parts = name?.split(separator: "/", omittingEmptySubsequences: false) ?? []
        guard parts.count == 2, !parts[0].isEmpty, !parts[1].isEmpty else {
            throw reader.failure("endpoint name is not namespace/name")
        }
        guard let value else { throw reader.failure("endpoint entry without value") }
        let service = ServiceKey(namespace: String(parts[0]), name: String(parts[1]))
        do {
            return (service, try ports(value))
        } catch {
            // The offset is inside the embedded string; report where the entry is instead.
            throw reader.failure("endpoint value is not a port map (\(error.message))")
        }
    }

    /// The embedded port map: `{"http":[{"host","port","weight"}], …}`; `{}` for a Service without ready endpoints.
    private static func ports(_ text: String) throws(JSONReader.Failure) -> [String: Set<NodeAddress>] {
        try JSONReader.read(Data(text.utf8)) { reader throws(JSONReader.Failure) in
            guard try reader.kind() == .object else { throw reader.failure("not an object") }
            var ports: [String: Set<NodeAddress>] = [:]
            try reader.readObject { reader, port throws(JSONReader.Failure) in
                var nodes = Set<NodeAddress>()
                try reader.readItems("port") { reader throws(JSONReader.Failure) in
                    let node = try UpstreamBody.arrayNode(&reader)
                    guard let number = node.port else { throw reader.failure("node without port") }
                    nodes.insert(NodeAddress(host: node.host, port: number))
                }
                ports[port.text] = nodes
            }
            try reader.expectEnd()
            return ports
        }
    }
}
