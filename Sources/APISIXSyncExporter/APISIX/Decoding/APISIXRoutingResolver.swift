/// Decides which upstream objects of one APISIX target are in use, the way the data plane picks them. Pure.
///
/// Rules (APISIX `init.lua` `handle_upstream`, `plugin.lua` `merge_service_route`):
/// - a route's `upstream_id` beats its inline `upstream`; a route-level upstream (id or inline) beats its service's;
///   a service's `upstream_id` beats the service's inline `upstream`;
/// - traffic-split `upstream_id`s are upstreams in use of the route (a route's own traffic-split plugin replaces its
///   service's);
/// - a service's inline upstream is in use only when an enabled route uses the service without an upstream of its own;
/// - disabled routes (`status: 0`) use nothing;
/// - every upstream object is listed, referenced or not, so upstream-only setups keep working.
public enum APISIXRoutingResolver {
    /// The result: upstreams in use (upstream objects in input order, then inline route upstreams, then inline service
    /// upstreams) and notes on shadowed inline upstreams and dangling references.
    public struct Resolution: Sendable, Equatable {
        /// Upstream objects, then inline route upstreams, then inline service upstreams in use.
        public var inUse: [APISIXUpstreamInUse]
        /// Sorted, human-readable.
        public var notes: [String]
    }

    /// How many referrers a reason names before "and N more".
    static let namedReferrers = 3

    /// Resolves one target's decoded objects; linear in their number. Pass the upstreams from the same source as the
    /// routes and services, or every `upstream_id` is noted as dangling.
    public static func resolve(
        upstreams: [APISIXUpstream],
        routes: [APISIXRoute],
        services: [APISIXService]
    ) -> Resolution {
        var upstreamIDs = Set<String>()
        upstreamIDs.reserveCapacity(upstreams.count)
        for upstream in upstreams { upstreamIDs.insert(upstream.id) }
        var servicesByID: [String: APISIXService] = [:]
        servicesByID.reserveCapacity(services.count)
        for service in services { servicesByID[service.id] = service }

        var referrers: [String: Referrers] = [:]
        var serviceUsers: [String: Referrers] = [:]
        var inlineRoutes: [APISIXUpstreamInUse] = []
        var notes: [String] = []

        func refer(_ upstreamID: String, _ referrer: String) {
            referrers[upstreamID, default: Referrers()].add(referrer)
            if !upstreamIDs.contains(upstreamID) {
                notes.append("\(referrer) names upstream \(upstreamID), which does not exist")
            }
        }

        for route in routes where route.isEnabled {
            let service = route.serviceID.flatMap { servicesByID[$0] }
            if let serviceID = route.serviceID, service == nil {
                notes.append("route \(route.id) names service \(serviceID), which does not exist")
            }
            if let upstreamID = route.upstreamID {
                refer(upstreamID, "route \(route.id) (upstream_id)")
                if route.upstream != nil {
                    notes.append("inline upstream of route \(route.id) is not used: its upstream_id \(upstreamID) wins")
                }
            } else if let inline = route.upstream {
                inlineRoutes.append(
                    APISIXUpstreamInUse(
                        origin: .route(id: route.id),
                        name: route.name ?? inline.name,
                        nodes: inline.nodes,
                        discovery: inline.discovery,
                        modifiedIndex: route.modifiedIndex,
                        reason: "inline upstream of route \(route.id)"
                    )
                )
            } else if let service {
                if let upstreamID = service.upstreamID {
                    refer(upstreamID, "route \(route.id) (upstream_id of service \(service.id))")
                } else if service.upstream != nil {
                    serviceUsers[service.id, default: Referrers()].add("route \(route.id)")
                }
            }
            if let split = route.trafficSplitUpstreamIDs {
                for id in split { refer(id, "route \(route.id) (traffic-split)") }
            } else if let service, let split = service.trafficSplitUpstreamIDs {
                for id in split { refer(id, "route \(route.id) (traffic-split of service \(service.id))") }
            }
        }

        var inUse: [APISIXUpstreamInUse] = []
        inUse.reserveCapacity(upstreams.count + inlineRoutes.count)
        for upstream in upstreams {
            let reason: String
            if let names = referrers[upstream.id] {
                reason = "upstream object used by \(names)"
            } else {
                reason = "upstream object, not used by any route"
            }
            inUse.append(
                APISIXUpstreamInUse(
                    origin: .upstream(id: upstream.id),
                    name: upstream.name,
                    nodes: upstream.nodes,
                    discovery: upstream.discovery,
                    modifiedIndex: upstream.modifiedIndex,
                    reason: reason
                )
            )
        }
        inUse += inlineRoutes
        for service in services {
            guard let inline = service.upstream else { continue }
            if let upstreamID = service.upstreamID {
                notes.append("inline upstream of service \(service.id) is not used: its upstream_id \(upstreamID) wins")
                continue
            }
            guard let users = serviceUsers[service.id] else { continue }
            inUse.append(
                APISIXUpstreamInUse(
                    origin: .service(id: service.id),
                    name: service.name ?? inline.name,
                    nodes: inline.nodes,
                    discovery: inline.discovery,
                    modifiedIndex: service.modifiedIndex,
                    reason: "inline upstream of service \(service.id), used by \(users)"
                )
            )
        }
        return Resolution(inUse: inUse, notes: notes.sorted())
    }

    /// The first few referrers by name and how many there are: `a`, `a, b`, `a, b, c and 4 more`.
    struct Referrers: CustomStringConvertible {
        private(set) var named: [String] = []
        private(set) var count = 0

        mutating func add(_ name: String) {
            if named.count < APISIXRoutingResolver.namedReferrers { named.append(name) }
            count += 1
        }

        var description: String {
            let shown = named.joined(separator: ", ")
            return count > named.count ? "\(shown) and \(count - named.count) more" : shown
        }
    }
}
