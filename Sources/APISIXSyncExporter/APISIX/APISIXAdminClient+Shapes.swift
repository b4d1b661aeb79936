import Foundation
import NIOCore
import NIOFoundationCompat
import NIOHTTP1

extension APISIXAdminClient {
    /// Reads everything the target routes with, in whichever shape it speaks: in etcd mode upstreams, routes and
    /// services (v2 or v3 envelope, per response), in standalone mode the whole `/apisix/admin/configs`; then keeps
    /// the upstream objects in use (an `upstream_id` beats an inline upstream, a route's beats its service's).
    /// Inline upstreams get the id `route/<id>` or `service/<id>`.
    public func refresh(_ state: inout APISIXRefreshState) async throws(SourceFailure) -> [APISIXUpstream] {
        let mode: APISIXAdminMode
        if let known = state.mode {
            mode = known
        } else {
            mode = try await detectMode()
            state.mode = mode
        }
        do throws(SourceFailure) {
            switch mode {
            case .standalone:
                let response = try await transport.fetch("/apisix/admin/configs")
                guard response.status == 200 else {
                    throw SourceFailure.http(
                        status: response.status,
                        headers: response.headers,
                        "HTTP \(response.status) from /apisix/admin/configs: \(APISIXHTTPTransport.summary(of: response.body))"
                    )
                }
                let config: APISIXStandaloneConfig
                do {
                    config = try StandaloneConfigDecoder.decode(response.body, reusing: state.standalone)
                } catch {
                    throw SourceFailure(.badResponse, error.description)
                }
                state.standalone = config
                state.configVersion = Self.configVersion(response.headers)
                return APISIXRoutingResolver.resolve(
                    upstreams: config.upstreams,
                    routes: config.routes,
                    services: config.services
                ).inUse.map(\.upstream)
            case .etcd, .undetermined:
                let upstreamsBody = try await transport.get("/apisix/admin/upstreams")
                let routesBody = try await transport.get("/apisix/admin/routes")
                let servicesBody = try await transport.get("/apisix/admin/services")
                do {
                    let upstreams = try AdminAPIDecoder.decodeUpstreamList(upstreamsBody, reusing: state.upstreams)
                    let routes = try AdminAPIDecoder.decodeRouteList(routesBody, reusing: state.routes).items
                    let services = try AdminAPIDecoder.decodeServiceList(servicesBody, reusing: state.services).items
                    return state.remember(upstreams: upstreams, routes: routes, services: services)
                } catch {
                    throw SourceFailure(.badResponse, error.description)
                }
            }
        } catch let failure where failure.reason == .notFound {
            state.mode = nil  // detect again next time: the target may have changed mode, or the URL is wrong
            throw failure
        }
    }

    /// Standalone mode: whether the config changed since the last refresh, by `HEAD /apisix/admin/configs`
    /// (`X-Digest`, else `X-Last-Modified`); a target without either header counts as changed.
    public func standaloneConfigChanged(since state: APISIXRefreshState) async throws(SourceFailure) -> Bool {
        let response = try await transport.fetch("/apisix/admin/configs", method: .HEAD)
        guard response.status == 200 else {
            throw SourceFailure.http(
                status: response.status,
                headers: response.headers,
                "HTTP \(response.status) from HEAD /apisix/admin/configs"
            )
        }
        guard let version = Self.configVersion(response.headers) else { return true }
        return version != state.configVersion
    }

    /// etcd or standalone, from `GET /apisix/admin/configs`: a config is standalone, a JSON 404 naming the resource
    /// type unsupported (or 2.x's `not found`) is etcd mode. Anything else is an error that says what was seen.
    func detectMode() async throws(SourceFailure) -> APISIXAdminMode {
        let probe = try await transport.fetch("/apisix/admin/configs")
        switch probe.status {
        case 401, 403, 429, 500...:
            throw SourceFailure.http(
                status: probe.status,
                headers: probe.headers,
                "HTTP \(probe.status) from /apisix/admin/configs: \(APISIXHTTPTransport.summary(of: probe.body))"
            )
        default: break
        }
        switch APISIXAdminMode.fromConfigsProbe(status: probe.status, body: probe.body) {
        case .etcd: return .etcd
        case .standalone: return .standalone
        case .undetermined(let seen):
            throw SourceFailure(.badResponse, "not an APISIX Admin API (etcd or standalone mode): \(seen)")
        }
    }

    static func configVersion(_ headers: HTTPHeaders) -> String? {
        headers.first(name: "X-Digest") ?? headers.first(name: "X-Last-Modified")
    }
}
