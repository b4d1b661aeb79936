extension FakeAPISIXAdmin {
    /// Sets the Kubernetes discovery endpoints of Service `service` (`namespace/name`), as APISIX's discovery
    /// stores them for `GET /v1/discovery/kubernetes/dump`: port name (or the target port number for an unnamed
    /// port) to nodes. The nodes' weights are not used: the dump writes ``KubernetesDiscoverySettings/defaultWeight``.
    /// `nil` removes the Service. The dump (and so the workers) sees the change at once.
    public func setDiscoveryEndpoints(service: String, ports: [String: [FakeUpstream.Node]]?) {
        self.write(APISIXWriteBatch(discovery: [(service, ports)]))
    }

    /// The Kubernetes discovery endpoints by `namespace/name`.
    public var discoveryEndpoints: [String: [String: [FakeUpstream.Node]]] {
        self.state.withLock { $0.discovery }
    }
}
