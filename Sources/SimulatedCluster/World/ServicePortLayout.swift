/// The APISIX objects ``SimulatedIngressController`` writes for one Service port in its
/// ``SimulatedIngressController/UpstreamStyle``: the ones written once when the port is first seen (routes,
/// services that only reference an upstream) and the ones that carry the nodes, rewritten on every change.
struct ServicePortLayout: Sendable {
    let style: SimulatedIngressController.UpstreamStyle
    let namespace: String
    let service: String
    let servicePort: Int
    let portName: String
    let nodeShape: FakeUpstream.NodeShape
    let nodeWeight: Int
    /// The Service this port's HTTPRoute also sends traffic to (traffic-split layouts with several Services).
    let splitTarget: String?
    /// Whether another Service's HTTPRoute sends traffic to this port through an extra upstream.
    let isSplitTarget: Bool

    init(change: EndpointChange, settings: SimulatedIngressController.Configuration) {
        self.style = settings.style
        self.namespace = change.namespace
        self.service = change.service
        self.servicePort = change.servicePort
        self.portName = change.portName
        self.nodeShape = settings.nodeShape
        self.nodeWeight = settings.nodeWeight
        if case .ingressController2(let layout) = settings.style, layout.source == .httpRoute, layout.trafficSplit,
            change.serviceCount > 1
        {
            self.splitTarget = SimulatedWorld.serviceName(index: (change.serviceIndex + 1) % change.serviceCount)
            self.isSplitTarget = true
        } else {
            self.splitTarget = nil
            self.isSplitTarget = false
        }
    }

    // MARK: Names

    /// The apisix-ingress-controller 1.x name, `namespace_service_port`.
    private var legacyName: String {
        SimulatedIngressController.upstreamName(
            namespace: self.namespace,
            service: self.service,
            port: self.servicePort
        )
    }

    /// The ADC service name: `namespace_service_0-0` for an Ingress, `namespace_service_0` for an HTTPRoute.
    private func serviceName(_ layout: SimulatedIngressController.IngressController2Layout) -> String {
        layout.source == .ingress ? "\(self.namespace)_\(self.service)_0-0" : "\(self.namespace)_\(self.service)_0"
    }

    /// The ADC route name: `namespace_service_0-0` for both sources.
    private var routeName: String {
        "\(self.namespace)_\(self.service)_0-0"
    }

    /// The name of the extra traffic-split upstream of Service `service`: `Service_namespace_service_port`.
    private func splitUpstreamName(_ service: String) -> String {
        "Service_\(self.namespace)_\(service)_\(self.servicePort)"
    }

    private static func id(_ name: String) -> FakeUpstream.ID {
        .string(SimulatedIngressController.upstreamID(name: name))
    }

    /// The id of the object that holds the nodes (the truth's ``TruthRecord/upstreamID``).
    var primaryID: String {
        switch self.style {
        case .upstreams, .inlineRoutes, .kubernetesDiscovery:
            return SimulatedIngressController.upstreamID(name: self.legacyName)
        case .ingressController2(let layout):
            return SimulatedIngressController.upstreamID(name: self.serviceName(layout))
        }
    }

    // MARK: Objects

    /// Everything to write when the port is first seen, with `nodes`.
    func creation(nodes: Set<String>) -> APISIXWriteBatch {
        switch self.style {
        case .upstreams, .inlineRoutes:
            return self.update(nodes: nodes)
        case .kubernetesDiscovery:
            var batch = self.update(nodes: nodes)
            batch.upstreams.append(
                FakeUpstream(
                    id: Self.id(self.legacyName),
                    name: self.legacyName,
                    serviceName: "\(self.namespace)/\(self.service):\(self.portName)"
                )
            )
            return batch
        case .ingressController2(let layout):
            var batch = self.update(nodes: nodes)
            let serviceName = self.serviceName(layout)
            let serviceID = Self.id(serviceName)
            if layout.splitUpstreams {
                batch.services.append(self.adcService(layout, upstreamID: serviceID, upstream: nil))
            }
            batch.routes.append(
                FakeRoute(
                    id: Self.id(self.routeName),
                    name: self.routeName,
                    labels: self.kubernetesLabels(layout),
                    uris: ["/", "/*"],
                    serviceID: serviceID
                )
            )
            return batch
        }
    }

    /// The objects that carry `nodes`, to write on every change.
    func update(nodes: Set<String>) -> APISIXWriteBatch {
        switch self.style {
        case .upstreams:
            return APISIXWriteBatch(
                upstreams: [
                    FakeUpstream(
                        id: Self.id(self.legacyName),
                        name: self.legacyName,
                        desc: "Created by apisix-ingress-controller, DO NOT modify it manually",
                        labels: ["managed-by": "apisix-ingress-controller"],
                        type: "roundrobin",
                        scheme: "http",
                        nodes: FakeUpstream.Nodes(Self.nodes(nodes, weight: self.nodeWeight), shape: self.nodeShape)
                    )
                ]
            )
        case .inlineRoutes:
            let upstream = FakeUpstream(
                id: Self.id(self.legacyName),
                nodes: FakeUpstream.Nodes(Self.nodes(nodes, weight: self.nodeWeight), shape: self.nodeShape)
            )
            return APISIXWriteBatch(
                routes: [
                    FakeRoute(
                        id: Self.id(self.legacyName),
                        name: self.legacyName,
                        uris: ["/\(self.service)", "/\(self.service)/*"],
                        upstream: upstream
                    )
                ]
            )
        case .kubernetesDiscovery:
            let list = Self.nodes(nodes, weight: self.nodeWeight)
            return APISIXWriteBatch(
                discovery: [("\(self.namespace)/\(self.service)", list.isEmpty ? [:] : [self.portName: list])]
            )
        case .ingressController2(let layout):
            var batch = APISIXWriteBatch()
            let serviceName = self.serviceName(layout)
            if layout.splitUpstreams {
                batch.upstreams.append(self.adcUpstream(id: Self.id(serviceName), name: serviceName, nodes: nodes))
            } else {
                let inline = self.adcUpstream(id: Self.id(serviceName), name: nil, nodes: nodes)
                batch.services.append(self.adcService(layout, upstreamID: nil, upstream: inline))
            }
            if self.isSplitTarget {
                let name = self.splitUpstreamName(self.service)
                batch.upstreams.append(self.adcUpstream(id: Self.id(name), name: name, nodes: nodes))
            }
            return batch
        }
    }

    private func adcService(
        _ layout: SimulatedIngressController.IngressController2Layout,
        upstreamID: FakeUpstream.ID?,
        upstream: FakeUpstream?
    ) -> FakeService {
        let name = self.serviceName(layout)
        let trafficSplit = self.splitTarget.map { target in
            FakeTrafficSplit(weightedUpstreams: [
                .init(upstreamID: nil, weight: 1),
                .init(upstreamID: Self.id(self.splitUpstreamName(target)), weight: 1),
            ])
        }
        return FakeService(
            id: Self.id(name),
            name: name,
            labels: self.kubernetesLabels(layout),
            hosts: ["\(self.service).example.com"],
            upstreamID: upstreamID,
            upstream: upstream,
            trafficSplit: trafficSplit
        )
    }

    /// An upstream as ADC writes it: `labels`, `type`, `scheme`, array nodes with weight 1. With a `nil` name it is
    /// the inline form (whose id is not written).
    private func adcUpstream(id: FakeUpstream.ID, name: String?, nodes: Set<String>) -> FakeUpstream {
        FakeUpstream(
            id: id,
            name: name,
            labels: ["managed-by": "apisix-ingress-controller"],
            type: "roundrobin",
            scheme: "http",
            nodes: FakeUpstream.Nodes(Self.nodes(nodes, weight: 1), shape: .array)
        )
    }

    /// The labels apisix-ingress-controller 2.x puts on services and routes (`manager-by` is its spelling).
    private func kubernetesLabels(_ layout: SimulatedIngressController.IngressController2Layout) -> [String: String] {
        [
            "k8s/kind": layout.source == .ingress ? "Ingress" : "HTTPRoute",
            "k8s/name": self.service,
            "k8s/namespace": self.namespace,
            "k8s/controller-name": "apisix.apache.org/apisix-ingress-controller",
            "manager-by": "apisix-ingress-controller",
        ]
    }

    /// `ip:port` keys as nodes, sorted.
    static func nodes(_ keys: Set<String>, weight: Int) -> [FakeUpstream.Node] {
        keys.sorted().map { key -> FakeUpstream.Node in
            guard let colon = key.lastIndex(of: ":"), let port = Int(key[key.index(after: colon)...]) else {
                return FakeUpstream.Node(host: key, port: nil, weight: weight)
            }
            return FakeUpstream.Node(host: String(key[..<colon]), port: port, weight: weight)
        }
    }
}
