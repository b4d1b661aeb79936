import Hummingbird
import NIOCore

/// Answers the HTTP requests of ``FakeAPISIXAdmin``'s Control API, from the workers' view of the configuration
/// (``APISIXAdminState/workerObjects(now:)``) and the Kubernetes discovery endpoints.
struct ControlAPIRequestHandler: Sendable {
    /// The shared state of the fake.
    let state: ObservedState<APISIXAdminState>

    /// Produces the response to `request`.
    func respond(to request: Request, context: FakeRequestContext) async throws -> Response {
        let route = ControlAPIRoute(path: request.uri.path)
        let settings = self.state.withLock { state in
            state.statistics.controlRequests += 1
            switch route {
            case .upstreams:
                state.statistics.controlUpstreamListRequests += 1
            case .upstream(let id):
                state.statistics.controlUpstreamRequests[id, default: 0] += 1
            case .kubernetesDiscoveryDump:
                state.statistics.discoveryDumpRequests += 1
            case .services, .service, .routes, .route, .notFound:
                break
            }
            return state.settings
        }
        guard request.method == .get else {
            return Self.notFound
        }
        if !settings.controlAPIServesRoutesAndServices {
            switch route {
            case .services, .service, .routes, .route: return Self.notFound  // an APISIX without these paths
            default: break
            }
        }
        let mode = settings.mode
        // Copy out only what is needed under the lock, so that writes meanwhile do not copy the configuration.
        switch route {
        case .upstreams:
            let stored = self.state.withLock { Array($0.workerObjects().upstreams.values) }
            let items = stored.sorted { $0.key < $1.key }.map { APISIXWire.controlUpstream($0, mode: mode) }
            return Self.json(.ok, APISIXWire.controlList(items))
        case .upstream(let id):
            guard let stored = self.state.withLock({ $0.workerObjects().upstreams[id] }) else {
                return Self.missing("upstream", id)
            }
            return Self.json(.ok, APISIXWire.controlUpstream(stored, mode: mode))
        case .services:
            let stored = self.state.withLock { Array($0.workerObjects().services.values) }
            let items = stored.sorted { $0.key < $1.key }.map { APISIXWire.controlObject($0, mode: mode) }
            return Self.json(.ok, APISIXWire.controlList(items))
        case .service(let id):
            guard let stored = self.state.withLock({ $0.workerObjects().services[id] }) else {
                return Self.missing("service", id)
            }
            return Self.json(.ok, APISIXWire.controlObject(stored, mode: mode))
        case .routes:
            let stored = self.state.withLock { Array($0.workerObjects().routes.values) }
            let items = stored.sorted { $0.key < $1.key }.map { APISIXWire.controlObject($0, mode: mode) }
            return Self.json(.ok, APISIXWire.controlList(items))
        case .route(let id):
            guard let stored = self.state.withLock({ $0.workerObjects().routes[id] }) else {
                return Self.missing("route", id)
            }
            return Self.json(.ok, APISIXWire.controlObject(stored, mode: mode))
        case .kubernetesDiscoveryDump:
            guard let discoverySettings = settings.kubernetesDiscovery else { return Self.notFound }
            let discovery = self.state.withLock { $0.discovery }
            return Self.json(.ok, APISIXWire.discoveryDump(discovery, settings: discoverySettings))
        case .notFound:
            return Self.notFound
        }
    }

    /// 404 `{"error_msg":"<type>[<id>] not found"}`.
    private static func missing(_ type: String, _ id: String) -> Response {
        self.json(.notFound, APISIXWire.error("\(type)[\(id)] not found"))
    }

    private static func json(_ status: HTTPResponse.Status, _ document: JSONValue) -> Response {
        let body = ResponseBody(byteBuffer: ByteBuffer(bytes: document.serialized(escaping: APISIXWire.escaping)))
        return Response(status: status, headers: [.contentType: "application/json"], body: body)
    }

    private static var notFound: Response {
        let body = ResponseBody(byteBuffer: ByteBuffer(string: APISIXWire.htmlErrorPage(status: 404)))
        return Response(status: .notFound, headers: [.contentType: "text/html"], body: body)
    }
}
