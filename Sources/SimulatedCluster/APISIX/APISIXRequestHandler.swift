import Hummingbird
import NIOCore

/// Answers the HTTP requests of ``FakeAPISIXAdmin``.
struct APISIXRequestHandler: Sendable {
    /// A response before it becomes a Hummingbird `Response`, so that a fault can still alter its body.
    private struct Answer {
        var status: HTTPResponse.Status
        var body: [UInt8]
        var contentType = "application/json"
        /// Whether APISIX's resource handler produced it, which adds `X-API-VERSION: v3`.
        var fromResourceHandler = true

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

        var response: Response {
            var headers: HTTPFields = [.contentType: self.contentType]
            if self.fromResourceHandler {
                headers.set(named: "X-API-VERSION", to: "v3")
            }
            let body = ResponseBody(byteBuffer: ByteBuffer(bytes: self.body))
            return Response(status: self.status, headers: headers, body: body)
        }
    }

    /// The shared state of the fake.
    let state: ObservedState<APISIXAdminState>

    /// Produces the response to `request`.
    func respond(to request: Request, context: FakeRequestContext) async throws -> Response {
        let route = APISIXRoute(path: request.uri.path)
        let query = RequestQuery(request)
        let (settings, fault) = self.state.withLock { state in
            (state.settings, route.faultScope.map(state.fault(for:)) ?? .none)
        }
        switch fault {
        case .delay(let delay):
            await context.sleep(for: delay)
        case .closeConnection:
            self.record(route, faulted: true)
            try? await context.channel.close().get()
            return Response(status: .internalServerError)
        case .htmlErrorPage(let code):
            self.record(route, faulted: true)
            return Answer(
                status: HTTPResponse.Status(code: code),
                text: APISIXWire.htmlErrorPage(status: code),
                contentType: "text/html",
                fromResourceHandler: false
            ).response
        case .none, .status, .truncatedJSON, .refuseConnections:
            break
        }
        if let key = settings.apiKey {
            let provided = Self.providedKey(request, query)
            guard provided == key else {
                self.record(route, unauthorized: true)
                let description = provided == nil ? "missing apikey" : "wrong apikey"
                let body = APISIXWire.error(
                    "failed to check token",
                    description: settings.unauthorizedBodyStyle == .withDescription ? description : nil
                )
                return Answer(status: .unauthorized, json: body, fromResourceHandler: false).response
            }
        }
        guard request.method == .get else {
            let message = "method \(request.method) is not supported by the simulated Admin API"
            return Answer(status: .methodNotAllowed, json: APISIXWire.error(message), fromResourceHandler: false)
                .response
        }
        if case .status(let code) = fault {
            self.record(route, faulted: true)
            return Answer(status: HTTPResponse.Status(code: code), json: APISIXWire.error(Self.errorMessage(code)))
                .response
        }
        var answer = self.answer(route, query: query)
        if fault == .truncatedJSON {
            answer.body = Array(answer.body.prefix(answer.body.count / 2))
        }
        self.record(route, faulted: fault == .truncatedJSON)
        return answer.response
    }

    private func answer(_ route: APISIXRoute, query: RequestQuery) -> Answer {
        switch route {
        case .upstreamList:
            return self.list(query: query)
        case .upstream(let id):
            guard let stored = self.state.withLock({ $0.upstreams[id] }) else {
                return Answer(status: .notFound, json: APISIXWire.keyNotFound)
            }
            return Answer(status: .ok, json: APISIXWire.item(stored))
        case .otherList:
            return Answer(status: .ok, json: APISIXWire.list([], total: 0))
        case .otherObject:
            return Answer(status: .notFound, json: APISIXWire.keyNotFound)
        case .unsupported(let resource):
            return Answer(
                status: .notFound,
                json: APISIXWire.error("Unsupported resource type: \(resource)"),
                fromResourceHandler: false
            )
        case .notFound:
            return Answer(
                status: .notFound,
                text: APISIXWire.htmlErrorPage(status: 404),
                contentType: "text/html",
                fromResourceHandler: false
            )
        }
    }

    /// The v3 list, with the `name`/`label` filters and `page`/`page_size` paging APISIX applies after reading
    /// all keys. Without paging the order is etcd key order; with paging it is `createdIndex` order.
    private func list(query: RequestQuery) -> Answer {
        var items = self.state.withLock { Array($0.upstreams.values) }.sorted { $0.key < $1.key }
        if let name = query["name"], !name.isEmpty {
            items = items.filter { $0.upstream.name?.contains(name) ?? false }
        }
        if let label = query["label"], !label.isEmpty {
            items = items.filter { $0.upstream.labels[label] != nil }
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

    private func record(_ route: APISIXRoute, unauthorized: Bool = false, faulted: Bool = false) {
        self.state.withLock { state in
            switch route {
            case .upstreamList:
                state.statistics.listRequests += 1
            case .upstream(let id):
                state.statistics.singleRequests[id, default: 0] += 1
            case .otherList, .otherObject, .unsupported, .notFound:
                break
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
