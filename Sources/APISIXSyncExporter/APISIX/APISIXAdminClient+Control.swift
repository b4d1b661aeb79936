import Foundation

/// The Control API (a client made by ``APISIXAdminClient/controlAPI()``): what one worker of the pod routes with.
extension APISIXAdminClient {
    /// Reads `/v1/upstreams`, `/v1/routes` and `/v1/services` (bare arrays, etcd or standalone item shapes) and keeps
    /// the upstream objects in use, as ``refresh(_:)`` does for the Admin API.
    public func controlRefresh(_ state: inout APISIXRefreshState) async throws(SourceFailure) -> [APISIXUpstream] {
        let upstreamsBody = try await get("/v1/upstreams")
        let routesBody = try await get("/v1/routes")
        let servicesBody = try await get("/v1/services")
        do {
            let upstreams = try ControlAPIDecoder.decodeUpstreams(upstreamsBody, reusing: state.upstreams)
            let routes = try ControlAPIDecoder.decodeRoutes(routesBody, reusing: state.routes)
            let services = try ControlAPIDecoder.decodeServices(servicesBody, reusing: state.services)
            state.mode = .etcd
            state.upstreams = Dictionary(upstreams.map { ($0.id, $0) }, uniquingKeysWith: { $1 })
            state.routes = Dictionary(routes.map { ($0.id, $0) }, uniquingKeysWith: { $1 })
            state.services = Dictionary(services.map { ($0.id, $0) }, uniquingKeysWith: { $1 })
            if routes.isEmpty && services.isEmpty { return upstreams }
            return APISIXRoutingResolver.resolve(upstreams: upstreams, routes: routes, services: services)
                .inUse.map(\.upstream)
        } catch {
            throw SourceFailure(.badResponse, error.description)
        }
    }

    /// One upstream in use, by the id ``controlRefresh(_:)`` gave it (`/v1/upstream/{id}`, or `/v1/route/{id}` and
    /// `/v1/service/{id}` for inline upstreams); nil when the worker no longer has it.
    public func controlUpstreamInUse(id: String) async throws(SourceFailure) -> APISIXUpstream? {
        let (kind, objectID) = Self.split(id)
        let escaped = objectID.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed.subtracting(["/"]))
        let data: Data
        do {
            data = try await get("/v1/\(kind ?? "upstream")/\(escaped ?? objectID)")
        } catch let failure where failure.reason == .notFound && failure.message.contains("not found") {
            return nil  // {"error_msg":"upstream[<id>] not found"}
        }
        do {
            guard let kind else { return try ControlAPIDecoder.decodeUpstream(data) }
            // Single items have the list items' shape, which is also the v3 Admin API's single-object shape.
            if kind == "route" {
                let route = try AdminAPIDecoder.decodeRoute(data)
                guard route.isEnabled, route.upstreamID == nil, let inline = route.upstream else { return nil }
                return APISIXUpstream(
                    id: id,
                    name: route.name ?? inline.name,
                    nodes: inline.nodes,
                    discovery: inline.discovery,
                    modifiedIndex: route.modifiedIndex
                )
            }
            let service = try AdminAPIDecoder.decodeService(data)
            guard service.upstreamID == nil, let inline = service.upstream else { return nil }
            return APISIXUpstream(
                id: id,
                name: service.name ?? inline.name,
                nodes: inline.nodes,
                discovery: inline.discovery,
                modifiedIndex: service.modifiedIndex
            )
        } catch {
            throw SourceFailure(.badResponse, error.description)
        }
    }

    /// `GET /v1/discovery/kubernetes/dump`: the endpoints the pod's Kubernetes discovery routes discovery upstreams
    /// with. The dump's `config` (which can hold a token) is never read; errors never quote the body.
    public func kubernetesDiscoveryDump() async throws(SourceFailure) -> APISIXKubernetesDiscoveryDump {
        let path = "/v1/discovery/kubernetes/dump"
        let response = try await fetch(path)
        guard response.status == 200 else {
            let reason = SourceFailure.reason(forStatus: response.status)
            throw SourceFailure(reason, "HTTP \(response.status) from \(path)")
        }
        do {
            return try KubernetesDiscoveryDumpDecoder.decode(response.body)
        } catch {
            throw SourceFailure(.badResponse, error.description)
        }
    }
}
