/// Which upstreams' mappings depend on which Services, and which upstreams are unmapped: what an incremental remap
/// maps again after EndpointSlice changes, found without walking every mapping (10,000 of them at each event).
///
/// A mapping depends on the Service of its port and, for an overlap match, on the Service the upstream's name gives
/// (it was matched by overlap while that Service was missing, and maps by name once it appears).
struct MappingDependencies {
    private var idsByService: [ServiceKey: Set<String>] = [:]
    private var servicesByID: [String: [ServiceKey]] = [:]
    private var unmapped: Set<String> = []

    /// Records `id`'s mapping (nil: it has none any more) in place of what was recorded for it.
    mutating func set(_ id: String, mapping: UpstreamMapping?, upstreamName: String?) {
        if let services = servicesByID.removeValue(forKey: id) {
            for service in services {
                idsByService[service]?.remove(id)
                if idsByService[service]?.isEmpty == true { idsByService[service] = nil }
            }
        }
        unmapped.remove(id)
        guard let mapping else { return }
        if mapping.state == .unmapped { unmapped.insert(id) }
        var services: [ServiceKey] = []
        if let key = mapping.key { services.append(key.service) }
        if mapping.method == .overlap, let upstreamName, let named = UpstreamMapper.namedService(upstreamName),
            !services.contains(named)
        {
            services.append(named)
        }
        guard !services.isEmpty else { return }
        servicesByID[id] = services
        for service in services { idsByService[service, default: []].insert(id) }
    }

    /// Forgets every mapping.
    mutating func removeAll() {
        idsByService = [:]
        servicesByID = [:]
        unmapped = []
    }

    /// The unmapped upstreams and those whose mapping depends on one of `services`.
    func ids(dependingOn services: Set<ServiceKey>) -> Set<String> {
        var ids = unmapped
        for service in services {
            if let dependent = idsByService[service] { ids.formUnion(dependent) }
        }
        return ids
    }
}
