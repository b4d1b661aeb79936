/// Decides which Service port each APISIX upstream serves. Pure: same inputs, same answer.
///
/// Order: `--map` overrides; apisix-ingress-controller 1.x names (`namespace_service_servicePort`, port chosen by node
/// overlap); otherwise node-set overlap with the best-matching Service port, sticky once chosen and re-evaluated only
/// when the overlap drops below half.
public struct UpstreamMapper: Sendable {
    /// Minimum share of an upstream's nodes that must be endpoints of a port to map (or stay mapped) by overlap.
    public static let minimumOverlap = 0.5

    public var overrides: [String: ServicePortKey]

    public init(overrides: [MappingOverride] = []) {
        var byID: [String: ServicePortKey] = [:]
        for override in overrides { byID[override.upstreamID] = override.key }
        self.overrides = byID
    }

    /// Maps every upstream of one APISIX target.
    public func map(
        _ upstreams: [APISIXUpstream],
        index: EndpointSliceIndex,
        previous: [String: UpstreamMapping]
    ) -> [String: UpstreamMapping] {
        // The node → port index is only needed to search by overlap; sticky and name-based mappings (the steady
        // state) never build it.
        var byNode: [NodeAddress: [ServicePortKey]]?
        var result: [String: UpstreamMapping] = [:]
        for upstream in upstreams {
            result[upstream.id] = map(upstream, index: index, byNode: &byNode, previous: previous[upstream.id])
        }
        return result
    }

    private static func nodeIndex(_ index: EndpointSliceIndex) -> [NodeAddress: [ServicePortKey]] {
        var byNode: [NodeAddress: [ServicePortKey]] = [:]
        for service in index.services {
            for (port, endpoints) in index.ports(of: service) {
                let key = ServicePortKey(service: service, port: port)
                for node in endpoints.all { byNode[node, default: []].append(key) }
            }
        }
        return byNode
    }

    private func map(
        _ upstream: APISIXUpstream,
        index: EndpointSliceIndex,
        byNode: inout [NodeAddress: [ServicePortKey]]?,
        previous: UpstreamMapping?
    ) -> UpstreamMapping {
        func allEndpoints(_ key: ServicePortKey) -> Set<NodeAddress>? { index.endpoints(of: key)?.all }
        if let key = overrides[upstream.id] {
            return UpstreamMapping(state: .mapped, key: key, method: .flag, reason: "pinned by --map")
        }
        if let discovery = upstream.discovery {
            let described = "discovery_type \(discovery.type), service_name \(discovery.serviceName)"
            guard let name = discovery.kubernetesServiceName else {
                return UpstreamMapping(state: .discovery, key: nil, method: nil, reason: described)
            }
            guard upstream.nodes != nil else {
                return UpstreamMapping(
                    state: .discovery,
                    key: nil,
                    method: nil,
                    reason: "\(described): its nodes are only in the Control API's discovery dump, which this target "
                        + "does not read (set a control URL) or which does not list the Service"
                )
            }
            guard index.endpoints(of: name.servicePortKey) != nil else {
                return .unmapped("\(described): no EndpointSlices for that Service port")
            }
            return UpstreamMapping(
                state: .mapped,
                key: name.servicePortKey,
                method: .discoveryServiceName,
                reason: "\(described), nodes from the discovery dump"
            )
        }
        let nodes = upstream.nodes ?? []
        // A name that reads as ingress controller 1.x but names no known Service may be a 2.x route-based name of
        // the same shape (`ns_httproute_0`): then the nodes decide.
        var namedServiceMissing: String?
        if let name = upstream.name, let backend = Self.ingressController2xName(name)?.serviceBackend {
            // Ingress controller 2.x traffic-split upstream `Service_ns_svc_port`: that Service, port by overlap.
            if let mapping = Self.mapNamed(
                service: backend.service,
                nodes: nodes,
                index: index,
                previous: previous,
                reason: "ingress controller 2.x name \(name)"
            ) {
                return mapping
            }
            namedServiceMissing = "named after Service \(backend.service), which has no EndpointSlices"
        } else if let name = upstream.name, let parsed = Self.ingressControllerName(name),
            !index.ports(of: parsed.service).isEmpty || parsed.serviceGranularity
        {
            if parsed.serviceGranularity {
                return .unmapped("ingress controller 1.x name with resolveGranularity service (ClusterIP node)")
            }
            let ports = index.ports(of: parsed.service)
            let candidates = ports.keys.sorted().map { ServicePortKey(service: parsed.service, port: $0) }
            if candidates.count == 1, let only = candidates.first {
                return UpstreamMapping(
                    state: .mapped,
                    key: only,
                    method: .ingressControllerName,
                    reason: "ingress controller 1.x name \(name)"
                )
            }
            let scored = candidates.map { ($0, Self.overlap(nodes, allEndpoints($0) ?? [])) }
            if let best = scored.max(by: { $0.1 < $1.1 }), best.1 > 0,
                scored.filter({ $0.1 == best.1 }).count == 1
            {
                return UpstreamMapping(
                    state: .mapped,
                    key: best.0,
                    method: .ingressControllerName,
                    reason: "ingress controller 1.x name \(name); port chosen by node overlap"
                )
            }
            if let previous, previous.method == .ingressControllerName, let key = previous.key,
                key.service == parsed.service, ports[key.port] != nil
            {
                return previous
            }
            return .unmapped("ingress controller 1.x name \(name), but no port of \(parsed.service) overlaps its nodes")
        } else if let name = upstream.name, let parsed = Self.ingressControllerName(name) {
            namedServiceMissing = "named after Service \(parsed.service), which has no EndpointSlices"
        }
        guard !nodes.isEmpty else { return .unmapped(namedServiceMissing ?? "no nodes to match by overlap") }
        if let previous, previous.method == .overlap, let key = previous.key, let endpoints = allEndpoints(key),
            Self.overlap(nodes, endpoints) >= Self.minimumOverlap
        {
            return previous
        }
        if byNode == nil { byNode = Self.nodeIndex(index) }
        var shared: [ServicePortKey: Int] = [:]
        for node in nodes {
            for key in byNode?[node] ?? [] { shared[key, default: 0] += 1 }
        }
        // Rank by the share of the upstream's nodes the port explains, then by Jaccard (prefers the closest port).
        let scored = shared.map { key, count -> (key: ServicePortKey, share: Double, jaccard: Double) in
            let union = nodes.count + (allEndpoints(key)?.count ?? 0) - count
            return (key, Double(count) / Double(nodes.count), union == 0 ? 0 : Double(count) / Double(union))
        }
        .sorted {
            ($0.share, $0.jaccard) != ($1.share, $1.jaccard)
                ? ($0.share, $0.jaccard) > ($1.share, $1.jaccard) : $0.key < $1.key
        }
        guard let best = scored.first, best.share >= Self.minimumOverlap else {
            return .unmapped(namedServiceMissing ?? "no Service port has at least half of its nodes")
        }
        return UpstreamMapping(
            state: .mapped,
            key: best.key,
            method: .overlap,
            reason: "\(Int((best.share * 100).rounded()))% of its nodes are endpoints of \(best.key)"
        )
    }

    /// The Service an upstream's name refers to (ingress controller 1.x or a 2.x traffic-split name), if any.
    static func namedService(_ name: String) -> ServiceKey? {
        ingressController2xName(name)?.serviceBackend?.service ?? ingressControllerName(name)?.service
    }

    /// Maps to a port of a Service the name gives (the only port, else the one its nodes overlap most); nil when
    /// the Service has no EndpointSlices.
    private static func mapNamed(
        service: ServiceKey,
        nodes: Set<NodeAddress>,
        index: EndpointSliceIndex,
        previous: UpstreamMapping?,
        reason: String
    ) -> UpstreamMapping? {
        let ports = index.ports(of: service)
        guard !ports.isEmpty else { return nil }
        let candidates = ports.keys.sorted().map { ServicePortKey(service: service, port: $0) }
        if candidates.count == 1, let only = candidates.first {
            return UpstreamMapping(state: .mapped, key: only, method: .ingressControllerName, reason: reason)
        }
        let scored = candidates.map { ($0, overlap(nodes, index.endpoints(of: $0)?.all ?? [])) }
        if let best = scored.max(by: { $0.1 < $1.1 }), best.1 > 0, scored.filter({ $0.1 == best.1 }).count == 1 {
            return UpstreamMapping(
                state: .mapped,
                key: best.0,
                method: .ingressControllerName,
                reason: reason + "; port chosen by node overlap"
            )
        }
        if let previous, previous.method == .ingressControllerName, let key = previous.key, key.service == service,
            ports[key.port] != nil
        {
            return previous
        }
        return .unmapped("\(reason), but no port of \(service) overlaps its nodes")
    }

    /// The share of an upstream's nodes that are endpoints of a port (0 for an empty upstream).
    static func overlap(_ upstream: Set<NodeAddress>, _ endpoints: Set<NodeAddress>) -> Double {
        upstream.isEmpty ? 0 : Double(upstream.intersection(endpoints).count) / Double(upstream.count)
    }

    /// Parses apisix-ingress-controller 1.x upstream names: `ns_svc_port`, `ns_svc_subset_port`, `ns_svc_port_service`.
    static func ingressControllerName(_ name: String) -> (service: ServiceKey, serviceGranularity: Bool)? {
        guard let parts = underscoreParts(name) else { return nil }
        let serviceGranularity: Bool
        if parts.count == 3 {
            guard Int(parts[2]) != nil else { return nil }
            serviceGranularity = false
        } else if parts[3] == "service", Int(parts[2]) != nil {
            serviceGranularity = true
        } else {
            guard Int(parts[3]) != nil else { return nil }
            serviceGranularity = false
        }
        return (ServiceKey(namespace: String(parts[0]), name: String(parts[1])), serviceGranularity)
    }

    /// The `_`-separated parts of an ingress controller name: three or four, none empty; nil for any other name.
    ///
    /// Both name parsers run for each upstream that changes; splitting into an array of strings cost about 10,000
    /// instructions a name.
    static func underscoreParts(_ name: String) -> [Substring]? {
        var parts: [Substring] = []
        parts.reserveCapacity(4)
        var start = name.startIndex
        var position = name.utf8.startIndex
        while let separator = name.utf8[position...].firstIndex(of: UInt8(ascii: "_")) {
            guard parts.count < 3, separator > start else { return nil }
            parts.append(name[start..<separator])
            start = name.utf8.index(after: separator)
            position = start
        }
        guard parts.count >= 2, start < name.endIndex else { return nil }
        parts.append(name[start...])
        return parts
    }
}
