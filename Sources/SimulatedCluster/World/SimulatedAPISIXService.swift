/// The Kubernetes Service of the APISIX pods, which a ``SimulatedWorld`` publishes as EndpointSlices so that an
/// exporter can find the instances by label selector: one endpoint per instance, with the instance's
/// ``FakeAPISIXAdmin/host`` as address, its ``FakeAPISIXAdmin/name`` as the target Pod, and its ports.
///
/// Slices carry the Service's ``labels`` (the EndpointSlice controller copies them) besides
/// `kubernetes.io/service-name`. As the real controller does for Pods whose named ports resolve differently,
/// instances with different port numbers go into different slices: one slice per distinct (admin port, control
/// port) pair, with the ports ``adminPortName`` and (for instances with a Control API) ``controlPortName``. With
/// distinct loopback addresses (`127.0.0.2`, `127.0.0.3`, ...; Linux binds all of `127.0.0.0/8`) and one shared
/// port, all instances share one slice. With no instance left, one placeholder slice without endpoints or ports
/// remains.
public struct SimulatedAPISIXService: Sendable, Hashable {
    /// The namespace.
    public var namespace: String
    /// The Service name (`kubernetes.io/service-name` of the slices, prefix of their names).
    public var name: String
    /// The Service's labels, copied onto the slices.
    public var labels: [String: String]
    /// The name of the Admin API port.
    public var adminPortName: String
    /// The name of the Control API port, or `nil` to leave it out of the slices.
    public var controlPortName: String?
    /// The node name of every endpoint.
    public var nodeName: String

    /// Creates the description.
    ///
    /// - Parameters:
    ///   - namespace: The namespace, `ingress-apisix` by default.
    ///   - name: The Service name, `apisix-admin` by default (as the APISIX Helm chart names it).
    ///   - labels: The Service's labels, `app.kubernetes.io/name: apisix` by default.
    ///   - adminPortName: The Admin API port's name, `apisix-admin` by default.
    ///   - controlPortName: The Control API port's name, `apisix-control` by default.
    ///   - nodeName: The node name, `node-a` by default.
    public init(
        namespace: String = "ingress-apisix",
        name: String = "apisix-admin",
        labels: [String: String] = ["app.kubernetes.io/name": "apisix"],
        adminPortName: String = "apisix-admin",
        controlPortName: String? = "apisix-control",
        nodeName: String = "node-a"
    ) {
        self.namespace = namespace
        self.name = name
        self.labels = labels
        self.adminPortName = adminPortName
        self.controlPortName = controlPortName
        self.nodeName = nodeName
    }

    /// One APISIX pod as published.
    struct Pod: Sendable {
        let name: String
        let address: String
        let adminPort: Int
        let controlPort: Int
        let terminating: Bool
    }

    /// The slices for `pods`, by name.
    func slices(for pods: [Pod]) -> [FakeEndpointSlice] {
        let groups = Dictionary(grouping: pods) { pod in
            [pod.adminPort, self.controlPortName == nil ? 0 : pod.controlPort]
        }
        guard !groups.isEmpty else {
            return [
                FakeEndpointSlice(
                    namespace: self.namespace,
                    name: self.sliceName(ports: []),
                    serviceName: self.name,
                    endpoints: nil,
                    ports: nil,
                    labels: self.labels
                )
            ]
        }
        return groups.sorted { $0.key.lexicographicallyPrecedes($1.key) }.map { ports, members in
            var slicePorts = [FakeEndpointPort(name: self.adminPortName, port: ports[0])]
            if let controlPortName = self.controlPortName, ports[1] > 0 {
                slicePorts.append(FakeEndpointPort(name: controlPortName, port: ports[1]))
            }
            let endpoints = members.sorted { $0.name < $1.name }.map { pod in
                FakeEndpoint(
                    addresses: [pod.address],
                    ready: !pod.terminating,
                    serving: true,
                    terminating: pod.terminating,
                    podName: pod.name,
                    nodeName: self.nodeName
                )
            }
            return FakeEndpointSlice(
                namespace: self.namespace,
                name: self.sliceName(ports: ports),
                serviceName: self.name,
                endpoints: endpoints,
                ports: slicePorts,
                labels: self.labels
            )
        }
    }

    /// `<name>-<5 characters>`, derived from the ports so that a group keeps its slice.
    private func sliceName(ports: [Int]) -> String {
        var hash = CRC32.checksum(ports.map(String.init).joined(separator: "/"))
        var suffix = ""
        for _ in 0..<5 {
            suffix.append(WorldState.nameAlphabet[Int(hash % UInt32(WorldState.nameAlphabet.count))])
            hash /= UInt32(WorldState.nameAlphabet.count)
        }
        return "\(self.name)-\(suffix)"
    }
}
