import Foundation
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
                let response = try await fetch("/apisix/admin/configs")
                guard response.status == 200 else {
                    throw SourceFailure(
                        SourceFailure.reason(forStatus: response.status),
                        "HTTP \(response.status) from /apisix/admin/configs: \(Self.summary(of: response.body))"
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
                let upstreamsBody = try await get("/apisix/admin/upstreams")
                let routesBody = try await get("/apisix/admin/routes")
                let servicesBody = try await get("/apisix/admin/services")
                do {
                    let upstreams = try AdminAPIDecoder.decodeUpstreamList(upstreamsBody, reusing: state.upstreams)
                    let routes = try AdminAPIDecoder.decodeRouteList(routesBody, reusing: state.routes).items
                    let services = try AdminAPIDecoder.decodeServiceList(servicesBody, reusing: state.services).items
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
        } catch let failure where failure.reason == .notFound {
            state.mode = nil  // detect again next time: the target may have changed mode, or the URL is wrong
            throw failure
        }
    }

    /// One upstream in use, by the id ``refresh(_:)`` gave it; nil when it is gone or no longer in use there.
    public func upstreamInUse(id: String) async throws(SourceFailure) -> APISIXUpstream? {
        let (kind, objectID) = Self.split(id)
        guard let kind else { return try await upstream(id: id) }
        let escaped = objectID.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed.subtracting(["/"]))
        let path = "/apisix/admin/\(kind)s/\(escaped ?? objectID)"
        let data: Data
        do {
            data = try await get(path)
        } catch let failure where failure.reason == .notFound && failure.message.contains("not found") {
            return nil
        }
        let holder: (name: String?, upstreamID: String?, inline: APISIXInlineUpstream?, modifiedIndex: Int?)
        do {
            if kind == "route" {
                let route = try AdminAPIDecoder.decodeRoute(data)
                guard route.isEnabled else { return nil }
                holder = (route.name, route.upstreamID, route.upstream, route.modifiedIndex)
            } else {
                let service = try AdminAPIDecoder.decodeService(data)
                holder = (service.name, service.upstreamID, service.upstream, service.modifiedIndex)
            }
        } catch {
            throw SourceFailure(.badResponse, error.description)
        }
        // An `upstream_id` set since the refresh wins over the inline upstream: this one is no longer in use.
        guard holder.upstreamID == nil, let inline = holder.inline else { return nil }
        return APISIXUpstream(
            id: id,
            name: holder.name ?? inline.name,
            nodes: inline.nodes,
            discovery: inline.discovery,
            modifiedIndex: holder.modifiedIndex
        )
    }

    /// Standalone mode: whether the config changed since the last refresh, by `HEAD /apisix/admin/configs`
    /// (`X-Digest`, else `X-Last-Modified`); a target without either header counts as changed.
    public func standaloneConfigChanged(since state: APISIXRefreshState) async throws(SourceFailure) -> Bool {
        let response = try await fetch("/apisix/admin/configs", method: .HEAD)
        guard response.status == 200 else {
            throw SourceFailure(
                SourceFailure.reason(forStatus: response.status),
                "HTTP \(response.status) from HEAD /apisix/admin/configs"
            )
        }
        guard let version = Self.configVersion(response.headers) else { return true }
        return version != state.configVersion
    }

    /// etcd or standalone, from `GET /apisix/admin/configs`: a config is standalone, a JSON 404 naming the resource
    /// type unsupported (or 2.x's `not found`) is etcd mode. Anything else is an error that says what was seen.
    func detectMode() async throws(SourceFailure) -> APISIXAdminMode {
        let probe = try await fetch("/apisix/admin/configs")
        switch probe.status {
        case 401, 403, 429, 500...:
            throw SourceFailure(
                SourceFailure.reason(forStatus: probe.status),
                "HTTP \(probe.status) from /apisix/admin/configs: \(Self.summary(of: probe.body))"
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

    /// `route/<id>` → ("route", id); a plain upstream id → (nil, id).
    static func split(_ id: String) -> (kind: String?, id: String) {
        for kind in ["route", "service"] where id.hasPrefix(kind + "/") {
            return (kind, String(id.dropFirst(kind.count + 1)))
        }
        return (nil, id)
    }
}
