import Hummingbird
import NIOCore

/// Answers the HTTP requests of ``FakeAPISIXAdmin``'s Admin API (on the admin listener and, when configured, on
/// the proxy-port listener).
struct APISIXRequestHandler: Sendable {
    /// A response before it becomes a Hummingbird `Response`, so that a fault can still alter its body.
    private struct Answer {
        var status: HTTPResponse.Status
        var body: [UInt8]
        var contentType = "application/json"
        /// Whether APISIX's resource handler produced it, which adds `X-API-VERSION` (except on 2.x).
        var fromResourceHandler = true
        /// Further headers.
        var headers: [(String, String)] = []

        init(status: HTTPResponse.Status, json: JSONValue, fromResourceHandler: Bool = true) {
            self.status = status
            self.body = json.serialized(escaping: APISIXWire.escaping)
            self.fromResourceHandler = fromResourceHandler
        }

        init(status: HTTPResponse.Status, text: String, contentType: String, fromResourceHandler: Bool) {
            self.status = status
            self.body = Array(text.utf8)
            self.contentType = contentType
            self.fromResourceHandler = fromResourceHandler
        }

        /// nginx's plain 404 page, as `ngx_exit(404)` produces it.
        static let nginxNotFound = Answer(
            status: .notFound,
            text: APISIXWire.htmlErrorPage(status: 404),
            contentType: "text/html",
            fromResourceHandler: false
        )

        func response(version: FakeAPISIXAdmin.AdminAPIVersion, includeBody: Bool = true) -> Response {
            var headers: HTTPFields = [.contentType: self.contentType]
            if self.fromResourceHandler, let value = version.headerValue {
                headers.set(named: "X-API-VERSION", to: value)
            }
            for (name, value) in self.headers {
                headers.set(named: name, to: value)
            }
            let body = ResponseBody(byteBuffer: ByteBuffer(bytes: includeBody ? self.body : []))
            return Response(status: self.status, headers: headers, body: body)
        }
    }

    /// The shared state of the fake.
    let state: ObservedState<APISIXAdminState>
    /// Whether this handler serves the proxy-port listener, where paths outside `/apisix/admin` are proxy routes.
    var isProxyPort = false

    /// Produces the response to `request`.
    func respond(to request: Request, context: FakeRequestContext) async throws -> Response {
        let route = APISIXRoute(path: request.uri.path)
        let query = RequestQuery(request)
        let (settings, fault) = self.state.withLock { state in
            (state.settings, route.faultScope.map(state.fault(for:)) ?? .none)
        }
        let version = settings.adminAPIVersion
        if self.isProxyPort, route == .notFound {
            self.record(route, method: request.method)
            return Answer(status: .notFound, json: APISIXWire.error("404 Route Not Found"), fromResourceHandler: false)
                .response(version: version)
        }
        if settings.mode == .standalone ? !Self.isStandaloneRoute(route) : request.method == .head {
            // No admin route matches: standalone mode has only `/configs`, and the etcd-mode resource routes do not
            // take HEAD.
            self.record(route, method: request.method)
            return Answer.nginxNotFound.response(version: version, includeBody: request.method != .head)
        }
        switch fault {
        case .delay(let delay):
            await context.sleep(for: delay)
        case .closeConnection:
            self.record(route, method: request.method, faulted: true)
            try? await context.channel.close().get()
            return Response(status: .internalServerError)
        case .htmlErrorPage(let code):
            self.record(route, method: request.method, faulted: true)
            return Answer(
                status: HTTPResponse.Status(code: code),
                text: APISIXWire.htmlErrorPage(status: code),
                contentType: "text/html",
                fromResourceHandler: false
            ).response(version: version)
        case .echoRequestHeaders(let code):
            self.record(route, method: request.method, faulted: true)
            let headers = request.headers.map { "\($0.name.canonicalName)=\($0.value)" }.joined(separator: " ")
            return Answer(
                status: HTTPResponse.Status(code: code),
                text: "request refused: \(request.method) \(request.uri.path) \(headers)",
                contentType: "text/plain",
                fromResourceHandler: false
            ).response(version: version)
        case .none, .status, .throttled, .truncatedJSON, .refuseConnections:
            break
        }
        let includeBody = request.method != .head
        if let key = settings.apiKey {
            let provided = Self.providedKey(request, query)
            guard provided == key else {
                self.record(route, method: request.method, unauthorized: true)
                let description = provided == nil ? "missing apikey" : "wrong apikey"
                let body = APISIXWire.error(
                    "failed to check token",
                    description: settings.unauthorizedBodyStyle == .withDescription ? description : nil
                )
                return Answer(status: .unauthorized, json: body, fromResourceHandler: false)
                    .response(version: version, includeBody: includeBody)
            }
        }
        let allowed: Bool
        switch (settings.mode, route) {
        case (.standalone, .configs): allowed = request.method == .get || request.method == .head
        case (.standalone, .adminRoot): allowed = request.method == .head
        default: allowed = request.method == .get
        }
        guard allowed else {
            let message = "method \(request.method) is not supported by the simulated Admin API"
            return Answer(status: .methodNotAllowed, json: APISIXWire.error(message), fromResourceHandler: false)
                .response(version: version, includeBody: includeBody)
        }
        if case .status(let code) = fault {
            self.record(route, method: request.method, faulted: true)
            return Answer(status: HTTPResponse.Status(code: code), json: APISIXWire.error(Self.errorMessage(code)))
                .response(version: version, includeBody: includeBody)
        }
        if case .throttled(let code, let seconds) = fault {
            self.record(route, method: request.method, faulted: true)
            var answer = Answer(
                status: HTTPResponse.Status(code: code),
                json: APISIXWire.error(Self.errorMessage(code))
            )
            answer.headers.append(("Retry-After", String(seconds)))
            return answer.response(version: version, includeBody: includeBody)
        }
        var answer =
            settings.mode == .standalone
            ? self.standaloneAnswer(route) : self.answer(route, query: query, settings: settings)
        if fault == .truncatedJSON {
            answer.body = Array(answer.body.prefix(answer.body.count / 2))
        }
        self.record(route, method: request.method, faulted: fault == .truncatedJSON)
        return answer.response(version: version, includeBody: includeBody)
    }

    private static func isStandaloneRoute(_ route: APISIXRoute) -> Bool {
        route == .configs || route == .adminRoot
    }

    // MARK: etcd mode

    private func answer(
        _ route: APISIXRoute,
        query: RequestQuery,
        settings: FakeAPISIXAdmin.Configuration
    ) -> Answer {
        // Copy out only what is needed under the lock: holding a reference to the stored dictionaries while a write
        // happens would make that write copy them.
        switch route {
        case .list(.upstreams):
            return self.list(
                self.state.withLock { Array($0.objects.upstreams.values) },
                query: query,
                settings: settings
            )
        case .list(.services):
            return self.list(
                self.state.withLock { Array($0.objects.services.values) },
                query: query,
                settings: settings
            )
        case .list(.routes):
            return self.list(self.state.withLock { Array($0.objects.routes.values) }, query: query, settings: settings)
        case .object(.upstreams, let id):
            return Self.single(self.state.withLock { $0.objects.upstreams[id] }, settings: settings)
        case .object(.services, let id):
            return Self.single(self.state.withLock { $0.objects.services[id] }, settings: settings)
        case .object(.routes, let id):
            return Self.single(self.state.withLock { $0.objects.routes[id] }, settings: settings)
        case .otherList(let resource):
            let empty: [StoredUpstream] = []
            return settings.adminAPIVersion.isV2
                ? Answer(
                    status: .ok,
                    json: APISIXWire.v2List(empty, resource: resource, emptyEncoding: settings.emptyV2ListEncoding)
                )
                : Answer(status: .ok, json: APISIXWire.list(empty, total: 0))
        case .otherObject:
            return Answer(status: .notFound, json: APISIXWire.keyNotFound)
        case .configs:
            return Self.unsupported("configs", settings: settings)
        case .unsupported(let resource):
            return Self.unsupported(resource, settings: settings)
        case .adminRoot, .notFound:
            return Answer.nginxNotFound
        }
    }

    private static func unsupported(_ resource: String, settings: FakeAPISIXAdmin.Configuration) -> Answer {
        let message = settings.adminAPIVersion == .apisix2 ? "not found" : "Unsupported resource type: \(resource)"
        return Answer(status: .notFound, json: APISIXWire.error(message), fromResourceHandler: false)
    }

    private static func single<Object>(
        _ stored: StoredObject<Object>?,
        settings: FakeAPISIXAdmin.Configuration
    ) -> Answer {
        guard let stored else {
            return Answer(status: .notFound, json: APISIXWire.keyNotFound)
        }
        return Answer(
            status: .ok,
            json: settings.adminAPIVersion.isV2 ? APISIXWire.v2Single(stored) : APISIXWire.item(stored)
        )
    }

    /// The list, in v2 (everything, in etcd key order) or v3, with the `name`/`label` filters and `page`/
    /// `page_size` paging APISIX applies after reading all keys. Without paging the order is etcd key order; with
    /// paging it is `createdIndex` order.
    private func list<Object>(
        _ stored: [StoredObject<Object>],
        query: RequestQuery,
        settings: FakeAPISIXAdmin.Configuration
    ) -> Answer {
        let sorted = stored.sorted { $0.key < $1.key }
        if settings.adminAPIVersion.isV2 {
            let document = APISIXWire.v2List(
                sorted,
                resource: Object.resourceType,
                emptyEncoding: settings.emptyV2ListEncoding
            )
            return Answer(status: .ok, json: document)
        }
        var items = sorted
        if let name = query["name"], !name.isEmpty {
            items = items.filter { $0.object.name?.contains(name) ?? false }
        }
        if let label = query["label"], !label.isEmpty {
            items = items.filter { $0.object.labels[label] != nil }
        }
        let total = items.count
        if let page = query["page"].flatMap({ Int($0) }), let pageSize = query["page_size"].flatMap({ Int($0) }) {
            guard (10...500).contains(pageSize) else {
                return Answer(
                    status: .badRequest,
                    text: "page_size must be between 10 and 500",
                    contentType: "text/plain",
                    fromResourceHandler: true
                )
            }
            let start = (max(page, 1) - 1) * pageSize
            items = Array(items.sorted { $0.createdIndex < $1.createdIndex }.dropFirst(start).prefix(pageSize))
        }
        return Answer(status: .ok, json: APISIXWire.list(items, total: total))
    }

    // MARK: Standalone mode

    /// `GET`/`HEAD /apisix/admin/configs` (the body is dropped for `HEAD`) and `HEAD /apisix/admin`.
    private func standaloneAnswer(_ route: APISIXRoute) -> Answer {
        guard route == .configs else {
            return Answer(status: .ok, text: "", contentType: "text/plain", fromResourceHandler: false)
        }
        // Encoded under the lock, so that the body, its digest and the headers belong to the same push.
        let (body, headers) = self.state.withLock { state -> (JSONValue, (lastModified: Int, digest: String)?) in
            var headers: (lastModified: Int, digest: String)?
            if let digest = state.standaloneDigest(), let lastModified = state.standalone.lastModified {
                headers = (lastModified, digest)
            }
            let body = APISIXWire.standaloneConfig(
                state.objects,
                confVersions: state.standalone.confVersions,
                headers: headers
            )
            return (body, headers)
        }
        var answer = Answer(status: .ok, json: body, fromResourceHandler: false)
        if let headers {
            answer.headers = [("X-Last-Modified", String(headers.lastModified)), ("X-Digest", headers.digest)]
        }
        return answer
    }

    // MARK: Helpers

    private func record(
        _ route: APISIXRoute,
        method: HTTPRequest.Method,
        unauthorized: Bool = false,
        faulted: Bool = false
    ) {
        self.state.withLock { state in
            switch route {
            case .list(.upstreams):
                state.statistics.listRequests += 1
            case .list(.services):
                state.statistics.serviceListRequests += 1
            case .list(.routes):
                state.statistics.routeListRequests += 1
            case .object(.upstreams, let id):
                state.statistics.singleRequests[id, default: 0] += 1
            case .object(.services, let id):
                state.statistics.singleServiceRequests[id, default: 0] += 1
            case .object(.routes, let id):
                state.statistics.singleRouteRequests[id, default: 0] += 1
            case .configs where method == .head:
                state.statistics.configHeadRequests += 1
            case .configs:
                state.statistics.configGetRequests += 1
            case .adminRoot, .otherList, .otherObject, .unsupported, .notFound:
                break
            }
            if self.isProxyPort {
                state.statistics.proxyPortRequests += 1
            }
            if unauthorized {
                state.statistics.unauthorizedRequests += 1
            }
            if faulted {
                state.statistics.faultedRequests += 1
            }
        }
    }

    /// The admin key from the `X-API-KEY` header, the `api_key` query parameter or the `X-API-KEY` cookie, in
    /// APISIX's lookup order (query parameter first).
    private static func providedKey(_ request: Request, _ query: RequestQuery) -> String? {
        if let key = query["api_key"] {
            return key
        }
        if let key = request.headers.value(named: "X-API-KEY") {
            return key
        }
        let cookies = request.headers[.cookie]?.split(separator: ";") ?? []
        for cookie in cookies {
            let parts = cookie.split(separator: "=", maxSplits: 1).map { String($0).trimmingWhitespace() }
            if parts.count == 2, parts[0] == "X-API-KEY" {
                return parts[1]
            }
        }
        return nil
    }

    private static func errorMessage(_ code: Int) -> String {
        switch code {
        case 503: return "has no healthy etcd endpoint available"
        case 500: return "failed to read data from etcd"
        default: return "simulated failure"
        }
    }
}
