import Foundation

/// The Control API (a client made by ``APISIXAdminClient/controlAPI()``): what one worker of the pod routes with.
/// Single upstreams, routes and services in use come from ``upstreamInUse(id:)`` and ``upstreamsInUse(ids:now:)``,
/// which use the Control API's paths (`/v1/upstream/{id}`, `/v1/route/{id}`, `/v1/service/{id}`) on such a client.
extension APISIXAdminClient {
    /// Reads `/v1/upstreams`, `/v1/routes` and `/v1/services` (bare arrays, etcd or standalone item shapes) and keeps
    /// the upstream objects in use, as ``refresh(_:)`` does for the Admin API.
    ///
    /// A Control API without `/v1/routes` or `/v1/services` (404: an older APISIX) has no inline upstreams to resolve:
    /// the missing list reads as empty and its path is noted in ``APISIXRefreshState/missingControlLists`` (the caller
    /// logs the change). A 404 on `/v1/upstreams` is a failure.
    public func controlRefresh(_ state: inout APISIXRefreshState) async throws(SourceFailure) -> [APISIXUpstream] {
        let upstreamsBody = try await get("/v1/upstreams")
        var missing: [String] = []
        let routesBody = try await optionalList("/v1/routes", missing: &missing)
        let servicesBody = try await optionalList("/v1/services", missing: &missing)
        do {
            let upstreams = try ControlAPIDecoder.decodeUpstreams(upstreamsBody, reusing: state.upstreams)
            var routes: [APISIXRoute] = []
            if let routesBody { routes = try ControlAPIDecoder.decodeRoutes(routesBody, reusing: state.routes) }
            var services: [APISIXService] = []
            if let servicesBody {
                services = try ControlAPIDecoder.decodeServices(servicesBody, reusing: state.services)
            }
            state.mode = .etcd
            state.missingControlLists = missing
            return state.remember(upstreams: upstreams, routes: routes, services: services)
        } catch {
            throw SourceFailure(.badResponse, error.description)
        }
    }

    /// The body of a list the Control API may lack, or nil (and `path` appended to `missing`) when it answers 404.
    private func optionalList(_ path: String, missing: inout [String]) async throws(SourceFailure) -> Data? {
        do {
            return try await get(path)
        } catch let failure where failure.reason == .notFound {
            missing.append(path)
            return nil
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
