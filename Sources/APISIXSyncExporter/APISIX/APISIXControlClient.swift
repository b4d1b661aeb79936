import Foundation
import NIOHTTP1

/// Reads one target's Control API (made by ``APISIXAdminClient/controlAPI()``): what one worker of the pod routes
/// with, and the endpoints its Kubernetes discovery holds. Single upstreams, routes and services in use are read at
/// `/v1/upstream/{id}`, `/v1/route/{id}` and `/v1/service/{id}`.
public struct APISIXControlClient: APISIXUpstreamReader, CustomStringConvertible {
    public let target: APISIXTarget
    /// The requests to the target's Control API (no key: it has none).
    let transport: APISIXHTTPTransport

    init(target: APISIXTarget, transport: APISIXHTTPTransport) {
        self.target = target
        self.transport = transport
    }

    public var description: String { "APISIXControlClient(\(target.name))" }

    /// Closes the client's connections.
    public func shutdown() {
        transport.shutdown()
    }

    /// Reads `/v1/upstreams`, `/v1/routes` and `/v1/services` (bare arrays, etcd or standalone item shapes) and keeps
    /// the upstream objects in use, as ``APISIXAdminClient/refresh(_:)`` does for the Admin API.
    ///
    /// A Control API without `/v1/routes` or `/v1/services` (404: an older APISIX) has no inline upstreams to resolve:
    /// the missing list reads as empty and its path is noted in ``APISIXRefreshState/missingControlLists`` (the caller
    /// logs the change). A 404 on `/v1/upstreams` is a failure.
    public func refresh(_ state: inout APISIXRefreshState) async throws(SourceFailure) -> [APISIXUpstream] {
        let upstreamsBody = try await transport.get("/v1/upstreams")
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
            return try await transport.get(path)
        } catch let failure where failure.reason == .notFound {
            missing.append(path)
            return nil
        }
    }

    /// `GET /v1/discovery/kubernetes/dump`: the endpoints the pod's Kubernetes discovery routes discovery upstreams
    /// with. The dump's `config` (which can hold a token) is never read; errors never quote the body.
    public func kubernetesDiscoveryDump() async throws(SourceFailure) -> APISIXKubernetesDiscoveryDump {
        let path = "/v1/discovery/kubernetes/dump"
        let response = try await transport.fetch(path)
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

    /// `/v1/upstream/<id>`, or the route or service holding an inline upstream.
    func inUsePath(_ id: String) -> String {
        let (kind, objectID) = APISIXUpstreamID.split(id)
        return "/v1/\(kind ?? "upstream")/\(APISIXUpstreamID.escapePathSegment(objectID))"
    }

    /// Anything missing from the Control API answers 404 `{"error_msg":"upstream[<id>] not found"}`.
    func goneMessage(kind: String?) -> String { "not found" }

    func decodeUpstream(
        _ body: Data,
        reusing previous: [String: APISIXUpstream]
    ) throws(SourceFailure) -> APISIXUpstream {
        do {
            return try ControlAPIDecoder.decodeUpstream(body)
        } catch {
            throw SourceFailure(.badResponse, error.description)
        }
    }
}
