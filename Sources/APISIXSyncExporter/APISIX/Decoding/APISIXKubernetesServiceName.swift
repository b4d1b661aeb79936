/// The `service_name` of an upstream with `discovery_type: kubernetes`: `namespace/name:portName` (single cluster) or
/// `id/namespace/name:portName` (multi cluster).
///
/// APISIX splits at the last `:` and, in multi-cluster mode, takes everything before the last two `/`-separated parts
/// as the cluster id. `portName` is the EndpointSlice port name, or for an unnamed port the endpoint (target) port
/// number as text.
public struct APISIXKubernetesServiceName: Hashable, Sendable, CustomStringConvertible {
    /// The cluster id of the multi-cluster form; nil in the single-cluster form.
    public var clusterID: String?
    public var service: ServiceKey
    public var portName: String

    public init(clusterID: String? = nil, service: ServiceKey, portName: String) {
        self.clusterID = clusterID
        self.service = service
        self.portName = portName
    }

    /// Parses `namespace/name:port` or `id/namespace/name:port`; nil for anything else.
    public init?(parsing text: String) {
        guard let colon = text.lastIndex(of: ":") else { return nil }
        let port = String(text[text.index(after: colon)...])
        let parts = text[..<colon].split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        guard !port.isEmpty, parts.count >= 2, let name = parts.last, !name.isEmpty else { return nil }
        let namespace = parts[parts.count - 2]
        guard !namespace.isEmpty else { return nil }
        let clusterID = parts.count > 2 ? parts.dropLast(2).joined(separator: "/") : nil
        if let clusterID, clusterID.isEmpty { return nil }
        self.init(clusterID: clusterID, service: ServiceKey(namespace: namespace, name: name), portName: port)
    }

    /// The Service port as the exporter keys it: by port name, and `""` for an unnamed port (APISIX then uses the port
    /// number; Kubernetes port names always contain a letter, so an all-digit name is a number).
    public var servicePortKey: ServicePortKey {
        ServicePortKey(service: service, port: endpointPortNumber == nil ? portName : "")
    }

    /// The endpoint port number when `portName` stands for an unnamed port.
    public var endpointPortNumber: Int? {
        guard !portName.isEmpty, portName.allSatisfy(\.isASCII), let number = Int(portName), number > 0 else {
            return nil
        }
        return number
    }

    /// The text form, as APISIX stores it.
    public var description: String {
        let base = "\(service.namespace)/\(service.name):\(portName)"
        return clusterID.map { "\($0)/\(base)" } ?? base
    }
}

extension APISIXUpstream.Discovery {
    /// The parsed Service reference when this is Kubernetes discovery with a well-formed `service_name`.
    public var kubernetesServiceName: APISIXKubernetesServiceName? {
        type == "kubernetes" ? APISIXKubernetesServiceName(parsing: serviceName) : nil
    }
}
