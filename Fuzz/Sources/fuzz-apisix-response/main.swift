import APISIXSyncExporter
import Foundation
import FuzzDriver

// One input is a response body from APISIX. It goes through every decoder the exporter has for APISIX answers (Admin
// API lists and single objects in the v2 and v3 envelopes, the standalone config, the Control API upstreams and the
// Kubernetes discovery dump, and the mode probes), all built on `JSONReader`. Each list is decoded a second time
// reusing the first result, the path of every later poll. What decodes is passed on to the pure code that consumes it.
FuzzDriver.run { bytes in
    let data = Data(bytes)
    var upstreams: [APISIXUpstream] = []
    var routes: [APISIXRoute] = []
    var services: [APISIXService] = []
    var failures: [String] = []

    func attempt<T>(_ body: () throws -> T) -> T? {
        do {
            return try body()
        } catch {
            failures.append("\(error)")
            return nil
        }
    }
    func byID<Item>(_ items: [Item], _ id: (Item) -> String) -> [String: Item] {
        Dictionary(items.map { (id($0), $0) }, uniquingKeysWith: { first, _ in first })
    }

    // etcd mode, Admin API.
    if let listing = attempt({ try AdminAPIDecoder.decodeUpstreamListing(data) }) {
        upstreams += listing.items
        _ = attempt { try AdminAPIDecoder.decodeUpstreamList(data, reusing: byID(listing.items, \.id)) }
    }
    if let listing = attempt({ try AdminAPIDecoder.decodeRouteList(data) }) {
        routes += listing.items
        _ = attempt { try AdminAPIDecoder.decodeRouteList(data, reusing: byID(listing.items, \.id)) }
    }
    if let listing = attempt({ try AdminAPIDecoder.decodeServiceList(data) }) {
        services += listing.items
        _ = attempt { try AdminAPIDecoder.decodeServiceList(data, reusing: byID(listing.items, \.id)) }
    }
    if let upstream = attempt({ try AdminAPIDecoder.decodeUpstream(data) }) { upstreams.append(upstream) }
    if let route = attempt({ try AdminAPIDecoder.decodeRoute(data) }) { routes.append(route) }
    if let service = attempt({ try AdminAPIDecoder.decodeService(data) }) { services.append(service) }

    // API-driven standalone mode.
    if let config = attempt({ try StandaloneConfigDecoder.decode(data) }) {
        upstreams += config.upstreams
        routes += config.routes
        services += config.services
        _ = attempt { try StandaloneConfigDecoder.decode(data, reusing: config) }
    }

    // Control API and the discovery dump.
    if let items = attempt({ try ControlAPIDecoder.decodeUpstreams(data) }) {
        upstreams += items
        _ = attempt { try ControlAPIDecoder.decodeUpstreams(data, reusing: byID(items, \.id)) }
    }
    if let upstream = attempt({ try ControlAPIDecoder.decodeUpstream(data) }) { upstreams.append(upstream) }
    let dump = attempt { try KubernetesDiscoveryDumpDecoder.decode(data) }

    // The mode probes, which also describe bodies they do not recognise.
    for status in [200, 404, 500] {
        _ = APISIXAdminMode.fromConfigsProbe(status: status, body: data)
        _ = APISIXAdminMode.fromUpstreamsProbe(status: status, body: data)
    }

    // Consumers of the decoded objects.
    let resolution = APISIXRoutingResolver.resolve(upstreams: upstreams, routes: routes, services: services)
    _ = resolution.notes.joined(separator: "\n")
    let discoveries =
        upstreams.compactMap(\.discovery) + routes.compactMap(\.upstream?.discovery)
        + services.compactMap(\.upstream?.discovery)
    for discovery in discoveries {
        guard let name = discovery.kubernetesServiceName else { continue }
        _ = (name.description, name.servicePortKey, name.endpointPortNumber)
        _ = dump?.nodes(for: name)
    }
    for name in upstreams.compactMap(\.name) + routes.compactMap(\.name) + services.compactMap(\.name) {
        _ = UpstreamMapper.ingressController2xName(name)
    }
    _ = failures.joined(separator: "\n")
}
