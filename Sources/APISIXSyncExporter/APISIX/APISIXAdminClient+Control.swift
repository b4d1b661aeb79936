import Foundation

/// The Control API (a client made by ``APISIXAdminClient/controlAPI()``): what one worker of the pod routes with.
/// Single upstreams, routes and services in use come from ``upstreamInUse(id:)`` and ``upstreamsInUse(ids:now:)``,
/// which use the Control API's paths (`/v1/upstream/{id}`, `/v1/route/{id}`, `/v1/service/{id}`) on such a client.
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
            return state.remember(upstreams: upstreams, routes: routes, services: services)
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
            throw SourceFailure.http(
                status: response.status,
                headers: response.headers,
                "HTTP \(response.status) from \(path)"
            )
        }
        do {
            return try KubernetesDiscoveryDumpDecoder.decode(response.body)
        } catch {
            throw SourceFailure(.badResponse, error.description)
        }
    }
}
