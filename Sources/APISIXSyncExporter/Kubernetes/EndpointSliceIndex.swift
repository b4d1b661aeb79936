/// Merges EndpointSlices into per-Service-port endpoint sets the way kube-proxy does.
///
/// Slices are grouped by the `kubernetes.io/service-name` label within their namespace; endpoints are keyed by
/// `IP:port` of their first address per port name; an endpoint seen in two slices (rebalancing) counts once; when a
/// terminating and a running endpoint share an address, the running one wins; `FQDN` slices and slices without the
/// label are skipped. Pure value type: no I/O, no clock.
public struct EndpointSliceIndex: Sendable {
    /// Slices by `namespace/name`, kept as ``IndexedSlice``.
    private var slices: [String: IndexedSlice] = [:]
    /// Each Service's slice keys, sorted.
    private var slicesByService: [ServiceKey: [String]] = [:]
    private var portsByService: [ServiceKey: [String: PortEndpoints]] = [:]
    /// Keeps each endpoint's pod (`targetRef` name and uid) for timing removals from pod deletion.
    public let keepsPodReferences: Bool
    /// The pods of the endpoints the last update, delete or list replaced, by Service and address: an endpoint that
    /// left its slice is still found by ``podReference(of:host:)`` for the change its leaving caused.
    private var departed: [ServiceKey: [String: PodReference]] = [:]

    /// The slices of a list in progress, folded page by page (``stage(_:into:)``) so that the decoded list is never
    /// held whole, and put in place by ``replaceAll(_:inNamespace:)``.
    public struct Staged: Sendable {
        fileprivate var slices: [String: IndexedSlice] = [:]

        public init() {}

        /// Number of slices staged.
        public var count: Int { slices.count }
    }

    public init(keepsPodReferences: Bool = false) {
        self.keepsPodReferences = keepsPodReferences
    }

    /// Services that currently have at least one slice.
    public var services: [ServiceKey] { portsByService.keys.sorted() }

    /// Number of slices held.
    public var sliceCount: Int { slices.count }

    /// Number of Services with at least one slice.
    public var serviceCount: Int { portsByService.count }

    /// The merged endpoints of every port of a Service (ports stay known, possibly empty, while the Service exists).
    public func ports(of service: ServiceKey) -> [String: PortEndpoints] { portsByService[service] ?? [:] }

    /// The merged endpoints of one Service port.
    public func endpoints(of key: ServicePortKey) -> PortEndpoints? { portsByService[key.service]?[key.port] }

    /// What the index keeps of a slice, nil when the slice takes no part (see ``isUsable(_:)``).
    func indexed(_ slice: EndpointSlice) -> IndexedSlice? {
        guard Self.isUsable(slice), let service = slice.service else { return nil }
        return IndexedSlice(slice, service: service, keepingPods: keepsPodReferences)
    }

    /// Adds or replaces a slice; returns the desired-set changes it caused.
    public mutating func upsert(_ slice: EndpointSlice) -> [DesiredSetChange] {
        departed = [:]
        let key = slice.sliceKey
        var affected = Set<ServiceKey>()
        if let previous = slices[key] { affected.insert(previous.service) }
        remove(sliceKey: key)
        if let indexed = indexed(slice) {
            insert(indexed, key: key)
            affected.insert(indexed.service)
        }
        return recompute(affected)
    }

    /// The pod behind a Service's endpoint with this address (any port), from the slices held.
    public func podReference(of service: ServiceKey, host: String) -> PodReference? {
        for key in slicesByService[service] ?? [] {
            guard let slice = slices[key] else { continue }
            for (offset, endpoint) in slice.endpoints.enumerated() where endpoint.address == host {
                if let reference = slice.pod(at: offset) { return reference }
            }
        }
        return departed[service]?[host]
    }

    /// Every endpoint of a Service with its pod reference and the port numbers it serves.
    public func podReferences(of service: ServiceKey) -> [(host: String, ports: [Int], pod: PodReference?)] {
        var result: [(host: String, ports: [Int], pod: PodReference?)] = []
        for key in slicesByService[service] ?? [] {
            guard let slice = slices[key] else { continue }
            let ports = slice.ports.compactMap(\.port)
            for (offset, endpoint) in slice.endpoints.enumerated() {
                guard let host = endpoint.address else { continue }
                result.append((host, ports, slice.pod(at: offset)))
            }
        }
        return result
    }

    /// Removes a slice; returns the desired-set changes it caused.
    public mutating func delete(_ slice: EndpointSlice) -> [DesiredSetChange] {
        departed = [:]
        guard let previous = slices[slice.sliceKey] else { return [] }
        remove(sliceKey: slice.sliceKey)
        return recompute([previous.service])
    }

    /// Replaces every slice (after a list), or every slice of one namespace; returns the desired-set changes against
    /// the previous state.
    public mutating func replaceAll(
        _ newSlices: [EndpointSlice],
        inNamespace namespace: String? = nil
    ) -> [DesiredSetChange] {
        var staged = Staged()
        stage(newSlices, into: &staged)
        return replaceAll(staged, inNamespace: namespace)
    }

    /// Folds one page of a list into `staged`, keeping of each slice what the index keeps.
    public func stage(_ page: [EndpointSlice], into staged: inout Staged) {
        for slice in page {
            if let indexed = indexed(slice) { staged.slices[slice.sliceKey] = indexed }
        }
    }

    /// Replaces every slice, or every slice of one namespace, with a staged list; returns the desired-set changes
    /// against the previous state.
    public mutating func replaceAll(_ staged: Staged, inNamespace namespace: String? = nil) -> [DesiredSetChange] {
        departed = [:]
        var affected = Set(slicesByService.keys.filter { namespace == nil || $0.namespace == namespace })
        for (key, slice) in slices where namespace == nil || slice.service.namespace == namespace {
            remove(sliceKey: key)
        }
        for (key, slice) in staged.slices where namespace == nil || slice.service.namespace == namespace {
            insert(slice, key: key)
            affected.insert(slice.service)
        }
        return recompute(affected)
    }

    /// Whether a slice takes part in aggregation.
    public static func isUsable(_ slice: EndpointSlice) -> Bool {
        slice.service != nil && slice.addressType != "FQDN"
    }

    private mutating func insert(_ slice: IndexedSlice, key: String) {
        slices[key] = slice
        var keys = slicesByService[slice.service] ?? []
        if let position = keys.firstIndex(where: { $0 >= key }) {
            if keys[position] != key { keys.insert(key, at: position) }
        } else {
            keys.append(key)
        }
        slicesByService[slice.service] = keys
    }

    private mutating func remove(sliceKey: String) {
        guard let previous = slices.removeValue(forKey: sliceKey) else { return }
        let service = previous.service
        for (offset, endpoint) in previous.endpoints.enumerated() {
            guard let host = endpoint.address, let reference = previous.pod(at: offset) else { continue }
            departed[service, default: [:]][host] = reference
        }
        slicesByService[service]?.removeAll { $0 == sliceKey }
        if slicesByService[service]?.isEmpty == true { slicesByService[service] = nil }
    }

    private mutating func recompute(_ services: Set<ServiceKey>) -> [DesiredSetChange] {
        var changes: [DesiredSetChange] = []
        for service in services.sorted() {
            let before = portsByService[service]
            guard let keys = slicesByService[service], !keys.isEmpty else {
                portsByService[service] = nil
                for (port, endpoints) in (before ?? [:]).sorted(by: { $0.key < $1.key }) {
                    changes.append(.init(key: .init(service: service, port: port), old: endpoints.ready, new: nil))
                }
                continue
            }
            var after = Self.merge(keys.compactMap { slices[$0] })
            // A port stays known (with no endpoints) while its Service exists: scaling to zero replaces the slices
            // with a placeholder that has no ports, and that is a change to an empty set, not a deletion.
            for port in (before ?? [:]).keys where after[port] == nil { after[port] = PortEndpoints() }
            portsByService[service] = after
            for (port, endpoints) in after.sorted(by: { $0.key < $1.key }) {
                let old = before?[port]?.ready
                if old != endpoints.ready || before?[port] == nil {
                    changes.append(.init(key: .init(service: service, port: port), old: old, new: endpoints.ready))
                }
            }
        }
        return changes
    }

    private struct Candidate {
        var ready: Bool
        var terminating: Bool
    }

    /// Merges a Service's slices (in a stable order) into per-port endpoint sets.
    static func merge(_ slices: [IndexedSlice]) -> [String: PortEndpoints] {
        if slices.count == 1, let merged = mergeOne(slices[0]) { return merged }
        return mergeAny(slices)
    }

    /// ``merge(_:)`` of any slices: each address once per port, the preferred endpoint where an address repeats.
    static func mergeAny(_ slices: [IndexedSlice]) -> [String: PortEndpoints] {
        var candidates: [String: [NodeAddress: Candidate]] = [:]
        for slice in slices {
            for port in slice.ports {
                guard let name = port.name, let number = port.port, number > 0 else { continue }
                var byAddress = candidates[name] ?? [:]
                for endpoint in slice.endpoints {
                    guard let ip = endpoint.address, !ip.isEmpty else { continue }
                    let address = NodeAddress(host: ip, port: number)
                    let candidate = Candidate(ready: endpoint.ready, terminating: endpoint.terminating)
                    if let existing = byAddress[address] {
                        byAddress[address] = preferred(existing, candidate)
                    } else {
                        byAddress[address] = candidate
                    }
                }
                candidates[name] = byAddress
            }
        }
        return candidates.mapValues { byAddress in
            let all = Set(byAddress.keys)
            // Usually every endpoint is ready: then both sets share one storage (10,000 Services, 10,000 sets fewer).
            let ready = byAddress.values.allSatisfy(\.ready) ? all : Set(byAddress.filter { $0.value.ready }.keys)
            return PortEndpoints(ready: ready, all: all)
        }
    }

    /// ``merge(_:)`` of a Service's only slice when no address appears in it twice (the usual case: one slice of up to
    /// 100 endpoints): the sets are built directly. Nil when an address or a port name repeats, for the general path
    /// to merge.
    static func mergeOne(_ slice: IndexedSlice) -> [String: PortEndpoints]? {
        var merged: [String: PortEndpoints] = [:]
        for port in slice.ports {
            guard let name = port.name, let number = port.port, number > 0 else { continue }
            var all = Set<NodeAddress>(minimumCapacity: slice.endpoints.count)
            var notReady: [NodeAddress] = []
            for endpoint in slice.endpoints {
                guard let ip = endpoint.address, !ip.isEmpty else { continue }
                let address = NodeAddress(host: ip, port: number)
                guard all.insert(address).inserted else { return nil }
                if !endpoint.ready { notReady.append(address) }
            }
            // A port name given twice in one slice: the general path merges them.
            guard merged[name] == nil else { return nil }
            // Usually every endpoint is ready: then both sets share one storage.
            var ready = all
            if !notReady.isEmpty { ready.subtract(notReady) }
            merged[name] = PortEndpoints(ready: ready, all: all)
        }
        return merged
    }

    /// Of two endpoints with the same address, the running one wins over a terminating one; otherwise ready wins.
    private static func preferred(_ first: Candidate, _ second: Candidate) -> Candidate {
        if first.terminating != second.terminating { return first.terminating ? second : first }
        return Candidate(ready: first.ready || second.ready, terminating: first.terminating)
    }
}
