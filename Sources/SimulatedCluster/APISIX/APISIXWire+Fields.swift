/// The fields of the stored objects, in the order APISIX's tests print them (the order is not significant: APISIX
/// encodes with lua-cjson, whose key order is arbitrary).
extension FakeUpstream {
    func fields(_ encoding: APISIXWire.NodeEncoding) -> [(String, JSONValue)] {
        [("id", APISIXWire.id(self.id))] + self.inlineFields(encoding)
    }

    /// The fields of the upstream written inline in a route or service: no `id` (ADC clears it).
    func inlineFields(_ encoding: APISIXWire.NodeEncoding) -> [(String, JSONValue)] {
        var fields: [(String, JSONValue)] = []
        if let name = self.name {
            fields.append(("name", .string(name)))
        }
        if let desc = self.desc {
            fields.append(("desc", .string(desc)))
        }
        if !self.labels.isEmpty {
            fields.append(("labels", .stringMap(self.labels)))
        }
        fields.append(("type", .string(self.type)))
        switch self.backend {
        case .nodes(let nodes):
            fields.append(("nodes", APISIXWire.nodes(nodes, encoding)))
        case .discovery(let serviceName, let discoveryType):
            fields.append(("service_name", .string(serviceName)))
            fields.append(("discovery_type", .string(discoveryType)))
        }
        if let scheme = self.scheme {
            fields.append(("scheme", .string(scheme)))
        }
        return fields
    }
}

extension FakeService {
    func fields(_ encoding: APISIXWire.NodeEncoding) -> [(String, JSONValue)] {
        var fields: [(String, JSONValue)] = [("id", APISIXWire.id(self.id))]
        if let name = self.name {
            fields.append(("name", .string(name)))
        }
        if let desc = self.desc {
            fields.append(("desc", .string(desc)))
        }
        if !self.labels.isEmpty {
            fields.append(("labels", .stringMap(self.labels)))
        }
        if !self.hosts.isEmpty {
            fields.append(("hosts", .array(self.hosts.map { .string($0) })))
        }
        if let upstreamID = self.upstreamID {
            fields.append(("upstream_id", APISIXWire.id(upstreamID)))
        }
        if let trafficSplit = self.trafficSplit {
            fields.append(("plugins", APISIXWire.plugins(trafficSplit)))
        }
        if let upstream = self.upstream {
            fields.append(("upstream", .object(upstream.inlineFields(encoding))))
        }
        return fields
    }
}

extension FakeRoute {
    func fields(_ encoding: APISIXWire.NodeEncoding) -> [(String, JSONValue)] {
        var fields: [(String, JSONValue)] = [("id", APISIXWire.id(self.id))]
        if let name = self.name {
            fields.append(("name", .string(name)))
        }
        if let desc = self.desc {
            fields.append(("desc", .string(desc)))
        }
        if !self.labels.isEmpty {
            fields.append(("labels", .stringMap(self.labels)))
        }
        if let uri = self.uri {
            fields.append(("uri", .string(uri)))
        }
        if !self.uris.isEmpty {
            fields.append(("uris", .array(self.uris.map { .string($0) })))
        }
        if !self.hosts.isEmpty {
            fields.append(("hosts", .array(self.hosts.map { .string($0) })))
        }
        if !self.methods.isEmpty {
            fields.append(("methods", .array(self.methods.map { .string($0) })))
        }
        if let priority = self.priority {
            fields.append(("priority", .int(priority)))
        }
        if let status = self.status {
            fields.append(("status", .int(status)))
        }
        if let serviceID = self.serviceID {
            fields.append(("service_id", APISIXWire.id(serviceID)))
        }
        if let upstreamID = self.upstreamID {
            fields.append(("upstream_id", APISIXWire.id(upstreamID)))
        }
        if let trafficSplit = self.trafficSplit {
            fields.append(("plugins", APISIXWire.plugins(trafficSplit)))
        }
        if let upstream = self.upstream {
            fields.append(("upstream", .object(upstream.inlineFields(encoding))))
        }
        return fields
    }
}

extension APISIXWire {
    /// `plugins` holding `traffic-split`: `{"traffic-split":{"rules":[{"weighted_upstreams":[…]}]}}`.
    static func plugins(_ trafficSplit: FakeTrafficSplit) -> JSONValue {
        let weighted = trafficSplit.weightedUpstreams.map { entry in
            JSONValue.object(omittingNil: [
                ("upstream_id", entry.upstreamID.map(self.id)),
                ("weight", .int(entry.weight)),
            ])
        }
        return .object([
            (
                "traffic-split",
                .object([("rules", .array([.object([("weighted_upstreams", .array(weighted))])]))])
            )
        ])
    }
}
