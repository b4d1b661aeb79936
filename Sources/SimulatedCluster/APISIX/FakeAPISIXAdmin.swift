import Logging

/// An in-process fake of the APISIX 3.x Admin API (etcd mode, `admin_api_version: v3`), speaking the real wire
/// format over HTTP on `127.0.0.1`.
///
/// It serves `GET /apisix/admin/upstreams` (`{"list":[…],"total":N}`, in etcd key order, with APISIX's `name`,
/// `label`, `page` and `page_size` handling) and `GET /apisix/admin/upstreams/{id}` (`{"key","value",
/// "createdIndex","modifiedIndex"}`, or 404 `{"message":"Key not found"}`), with `X-API-VERSION: v3` and the
/// `X-API-KEY` check. Other known resource types answer as empty. Upstreams are written in-process with
/// ``putUpstream(_:)``, ``setNodes(id:nodes:shape:)`` and ``deleteUpstream(id:)`` (what a simulated ingress
/// controller calls); each write bumps a global etcd-like revision.
///
/// Faults can be injected per request kind with ``setFault(_:scope:)``, and ``statistics`` plus the `wait…`
/// methods let tests synchronise on served requests instead of sleeping.
///
/// The type is thread-safe; all methods can be called from any task.
public final class FakeAPISIXAdmin: Sendable {
    let state: ObservedState<APISIXAdminState>
    private let server: FakeHTTPServer
    private let requestedPort: Int

    /// Creates a stopped fake.
    ///
    /// - Parameters:
    ///   - configuration: The settings.
    ///   - logger: The logger of the HTTP server; by default one that only logs warnings and errors.
    public init(configuration: Configuration = Configuration(), logger: Logger? = nil) {
        let state = ObservedState(APISIXAdminState(settings: configuration))
        let handler = APISIXRequestHandler(state: state)
        self.state = state
        self.requestedPort = configuration.port
        self.server = FakeHTTPServer(
            host: configuration.host,
            serverName: configuration.serverHeader,
            logger: logger ?? Logger.quiet(label: "SimulatedCluster.FakeAPISIXAdmin"),
            handler: { request, context in try await handler.respond(to: request, context: context) }
        )
    }

    // MARK: Lifecycle

    /// Starts listening and returns once the server accepts connections. If a ``Fault/refuseConnections`` fault
    /// is set, the port is bound and released again, so that ``port`` is known.
    ///
    /// - Throws: ``SimulatedClusterError/serverFailedToStart(_:)`` when the address cannot be bound.
    public func start() async throws {
        let requestedPort = self.state.withLock { $0.port > 0 ? $0.port : self.requestedPort }
        let port = try await self.server.start(port: requestedPort)
        let shouldListen = self.state.withLock { state in
            state.port = port
            state.isStarted = true
            return state.shouldListen
        }
        if !shouldListen {
            await self.server.stop()
        }
    }

    /// Closes all connections and stops listening.
    public func stop() async {
        self.state.withLock { $0.isStarted = false }
        await self.server.stop()
    }

    /// The port, or 0 before the first start. It stays the same while a ``Fault/refuseConnections`` fault is set
    /// and after a restart.
    public var port: Int {
        self.state.withLock { $0.port }
    }

    /// The base URL, e.g. `http://127.0.0.1:40123`.
    public var baseURL: String {
        let (host, port) = self.state.withLock { ($0.settings.host, $0.port) }
        return host.contains(":") ? "http://[\(host)]:\(port)" : "http://\(host):\(port)"
    }

    // MARK: Upstreams

    /// Creates or replaces an upstream. An existing upstream keeps its `create_time` and `createdIndex`.
    public func putUpstream(_ upstream: FakeUpstream) {
        self.state.withLock { $0.put(upstream) }
    }

    /// Replaces the nodes of upstream `id`, writing them in `shape`, or in the upstream's current shape when
    /// `shape` is `nil` (hash for `{…}`/`{}`, array otherwise, including discovery upstreams, which become
    /// static ones). Returns `false` when there is no such upstream.
    @discardableResult
    public func setNodes(
        id: FakeUpstream.ID,
        nodes: [FakeUpstream.Node],
        shape: FakeUpstream.NodeShape? = nil
    ) -> Bool {
        self.state.withLock { state in
            guard var upstream = state.upstreams[id.description]?.upstream else { return false }
            var currentShape = FakeUpstream.NodeShape.array
            if case .nodes(let current) = upstream.backend {
                currentShape = current.shape
            }
            upstream.backend = .nodes(FakeUpstream.Nodes(nodes, shape: shape ?? currentShape))
            state.put(upstream)
            return true
        }
    }

    /// Replaces the nodes of upstream `id` with exactly `nodes` (any form, including `.null`). Returns `false`
    /// when there is no such upstream.
    @discardableResult
    public func setNodes(id: FakeUpstream.ID, nodes: FakeUpstream.Nodes) -> Bool {
        self.state.withLock { state in
            guard var upstream = state.upstreams[id.description]?.upstream else { return false }
            upstream.backend = .nodes(nodes)
            state.put(upstream)
            return true
        }
    }

    /// Deletes upstream `id`. Returns `false` when there is no such upstream.
    @discardableResult
    public func deleteUpstream(id: FakeUpstream.ID) -> Bool {
        self.state.withLock { $0.delete(id: id) }
    }

    /// The upstream `id` as last written, or `nil`.
    public func upstream(id: FakeUpstream.ID) -> FakeUpstream? {
        self.state.withLock { $0.upstreams[id.description]?.upstream }
    }

    /// All upstreams in etcd key order.
    public var upstreams: [FakeUpstream] {
        self.state.withLock { state in
            state.upstreams.values.sorted { $0.key < $1.key }.map(\.upstream)
        }
    }

    /// The etcd revision of the last write.
    public var revision: Int {
        self.state.withLock { $0.revision }
    }

    // MARK: Settings

    /// The admin key requests must carry, or `nil` to accept every request.
    public var apiKey: String? {
        get { self.state.withLock { $0.settings.apiKey } }
        set { self.state.withLock { $0.settings.apiKey = newValue } }
    }

    // MARK: Fault injection

    /// Sets the fault for the requests in `scope` (replacing the previous one there; ``Fault/none`` clears it).
    ///
    /// Setting ``Fault/refuseConnections`` (in any scope) stops the listener; clearing it listens again on the
    /// same port. The same port is requested with `SO_REUSEADDR`; if another process took it meanwhile, this
    /// throws and the fake stays stopped.
    ///
    /// - Throws: ``SimulatedClusterError/serverFailedToStart(_:)`` when listening again fails.
    public func setFault(_ fault: Fault, scope: FaultScope = .all) async throws {
        let (shouldListen, port) = self.state.withLock { state in
            if scope != .single {
                state.listFault = fault
            }
            if scope != .list {
                state.singleFault = fault
            }
            return (state.shouldListen, state.port)
        }
        if shouldListen {
            _ = try await self.server.start(port: port)
        } else {
            await self.server.stop()
        }
    }

    /// The current fault for list requests.
    public var listFault: Fault {
        self.state.withLock { $0.listFault }
    }

    /// The current fault for single-upstream requests.
    public var singleFault: Fault {
        self.state.withLock { $0.singleFault }
    }

    // MARK: Observability

    /// The request counters.
    public var statistics: Statistics {
        self.state.withLock { $0.statistics }
    }

    /// Waits until `condition` holds for the statistics.
    ///
    /// - Throws: ``SimulatedClusterError/timedOut(waitingFor:)`` after `timeout`, or `CancellationError`.
    public func waitUntil(
        timeout: Duration = .seconds(10),
        _ description: String = "a condition on the Admin API statistics",
        _ condition: @escaping @Sendable (Statistics) -> Bool
    ) async throws {
        try await self.state.wait(timeout: timeout, for: description) { condition($0.statistics) }
    }

    /// Waits until at least `count` list requests have been answered in total.
    public func waitForListRequests(atLeast count: Int, timeout: Duration = .seconds(10)) async throws {
        try await self.waitUntil(timeout: timeout, "\(count) list request(s)") { $0.listRequests >= count }
    }

    /// Waits until at least `count` GET requests for upstream `id` have been answered in total.
    public func waitForSingleRequests(
        id: FakeUpstream.ID,
        atLeast count: Int,
        timeout: Duration = .seconds(10)
    ) async throws {
        try await self.waitUntil(timeout: timeout, "\(count) GET request(s) for upstream \(id)") {
            $0.singleRequests(id: id) >= count
        }
    }
}
