import APISIXSyncExporter

/// An EndpointSlice of one port for the Service `service`, with the endpoints `(address, ready, terminating)`.
public func slice(
    _ name: String,
    service: String? = "web",
    namespace: String = "shop",
    addressType: String = "IPv4",
    port: Int = 8080,
    portName: String? = "http",
    _ endpoints: [(String, Bool?, Bool?)]
) -> EndpointSlice {
    EndpointSlice(
        metadata: .init(
            name: name,
            namespace: namespace,
            labels: service.map { [EndpointSlice.serviceNameLabel: $0] }
        ),
        addressType: addressType,
        endpoints: endpoints.map { ip, ready, terminating in
            .init(addresses: [ip], conditions: .init(ready: ready, serving: nil, terminating: terminating))
        },
        ports: [.init(name: portName, port: port)]
    )
}

/// The node set of `ips`, all at `port`.
public func nodes(_ ips: String..., port: Int = 8080) -> Set<NodeAddress> {
    Set(ips.map { NodeAddress(host: $0, port: port) })
}
