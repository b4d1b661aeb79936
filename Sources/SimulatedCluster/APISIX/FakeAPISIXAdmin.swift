import Logging

/// An in-process fake of one APISIX instance's Admin API (and optionally its Control API), speaking the real wire
/// formats over HTTP on `127.0.0.1` (or any loopback address given as ``Configuration/host``).
///
/// By default it is APISIX 3.x in etcd mode with `admin_api_version: v3`. It serves
/// `GET /apisix/admin/{upstreams|services|routes}` (`{"list":[…],"total":N}`, in etcd key order, with APISIX's
/// `name`, `label`, `page` and `page_size` handling) and `GET /apisix/admin/{upstreams|services|routes}/{id}`
/// (`{"key","value","createdIndex","modifiedIndex"}`, or 404 `{"message":"Key not found"}`), with
/// `X-API-VERSION: v3` and the `X-API-KEY` check; other known resource types answer as empty, and
/// `/apisix/admin/configs` answers 404 `{"error_msg":"Unsupported resource type: configs"}`.
///
/// The configuration selects the other shapes of a real deployment:
/// - ``Configuration/adminAPIVersion``: the v2 envelope of APISIX 2.x or of 3.x with `admin_api_version: v2`;
///   ``Configuration/proxyPort`` opens a second listener serving the same Admin API, as 2.x did on its proxy port;
/// - ``Configuration/mode`` ``DeploymentMode/standalone``: API-driven standalone mode (3.13 and later), where only
///   `GET`/`HEAD /apisix/admin/configs` exist (the whole configuration, with `X-Digest` and `X-Last-Modified`) and
///   every other Admin API path answers nginx's plain 404;
/// - ``Configuration/controlPort``: the Control API (`/v1/upstreams`, `/v1/upstream/{id}`, `/v1/routes`,
///   `/v1/services`, `/v1/discovery/kubernetes/dump`), which shows the workers' view: each write reaches it
///   ``Configuration/workerDelay`` after the Admin API; ``Configuration/controlAPIServesRoutesAndServices`` `false`
///   answers 404 on the routes and services paths, as an older APISIX.
///
/// Objects are written in-process (what a simulated ingress controller or ADC does): ``putUpstream(_:)``,
/// ``setNodes(id:nodes:shape:)``, ``deleteUpstream(id:)``, ``putService(_:)``, ``putRoute(_:)``,
/// ``put(upstreams:services:routes:)`` (one standalone push) and ``replaceConfiguration(upstreams:services:routes:)``.
/// In etcd mode each object write bumps a global etcd-like revision; in standalone mode each call is one push.
///
/// Faults can be injected per request kind with ``setFault(_:scope:)``, and ``statistics`` plus the `wait…`
/// methods let tests synchronise on served requests instead of sleeping.
///
/// The type is thread-safe; all methods can be called from any task.
public final class FakeAPISIXAdmin: Sendable {
    let state: ObservedState<APISIXAdminState>
    private let server: FakeHTTPServer
    private let proxyServer: FakeHTTPServer?
    private let controlServer: FakeHTTPServer?
    private let requestedPort: Int

    /// Creates a stopped fake.
    ///
    /// - Parameters:
    ///   - configuration: The settings.
    ///   - logger: The logger of the HTTP servers; by default one that only logs warnings and errors.
    public init(configuration: Configuration = Configuration(), logger: Logger? = nil) {
        let state = ObservedState(APISIXAdminState(settings: configuration))
        let handler = APISIXRequestHandler(state: state)
        let logger = logger ?? Logger.quiet(label: "SimulatedCluster.FakeAPISIXAdmin")
        self.state = state
        self.requestedPort = configuration.port
        self.server = FakeHTTPServer(
            host: configuration.host,
            serverName: configuration.serverHeader,
            logger: logger,
            handler: { request, context in try await handler.respond(to: request, context: context) }
        )
        self.proxyServer = configuration.proxyPort.map { _ in
            let proxyHandler = APISIXRequestHandler(state: state, isProxyPort: true)
            return FakeHTTPServer(
                host: configuration.host,
                serverName: configuration.serverHeader,
                logger: logger,
                handler: { request, context in try await proxyHandler.respond(to: request, context: context) }
            )
        }
        self.controlServer = configuration.controlPort.map { _ in
            let controlHandler = ControlAPIRequestHandler(state: state)
            return FakeHTTPServer(
                host: configuration.host,
                serverName: configuration.serverHeader,
                logger: logger,
                handler: { request, context in try await controlHandler.respond(to: request, context: context) }
            )
        }
    }

    // MARK: Lifecycle

    /// Starts listening (the Admin API, and the proxy-port and Control API listeners when configured) and returns
    /// once the servers accept connections. If a ``Fault/refuseConnections`` fault is set, the admin port is bound
    /// and released again, so that ``port`` is known.
    ///
    /// - Throws: ``SimulatedClusterError/serverFailedToStart(_:)`` when an address cannot be bound.
    public func start() async throws {
        let (requestedPort, proxyPort, controlPort) = self.state.withLock { state in
            (
                state.port > 0 ? state.port : self.requestedPort,
                state.proxyPort > 0 ? state.proxyPort : state.settings.proxyPort ?? 0,
                state.controlPort > 0 ? state.controlPort : state.settings.controlPort ?? 0
            )
        }
        let port = try await self.server.start(port: requestedPort)
        var boundProxy = 0
        var boundControl = 0
        do {
            if let proxyServer = self.proxyServer {
                boundProxy = try await proxyServer.start(port: proxyPort)
            }
            if let controlServer = self.controlServer {
                boundControl = try await controlServer.start(port: controlPort)
            }
        } catch {
            await self.server.stop()
            await self.proxyServer?.stop()
            throw error
        }
        let shouldListen = self.state.withLock { state in
            state.port = port
            state.proxyPort = boundProxy
            state.controlPort = boundControl
            state.isStarted = true
            return state.shouldListen
        }
        if !shouldListen {
            await self.server.stop()
            await self.proxyServer?.stop()
        }
    }

    /// Closes all connections and stops listening (on every port of the instance).
    public func stop() async {
        self.state.withLock { $0.isStarted = false }
        await self.server.stop()
        await self.proxyServer?.stop()
        await self.controlServer?.stop()
    }

    /// The port, or 0 before the first start. It stays the same while a ``Fault/refuseConnections`` fault is set
    /// and after a restart.
    public var port: Int {
        self.state.withLock { $0.port }
    }

    /// The base URL, e.g. `http://127.0.0.1:40123`.
    public var baseURL: String {
        let (host, port) = self.state.withLock { ($0.settings.host, $0.port) }
        return Self.url(host: host, port: port)
    }

    /// The address the servers listen on (``Configuration/host``).
    public var host: String {
        self.state.withLock { $0.settings.host }
    }

    /// The instance's name (``Configuration/name``).
    public var name: String {
        self.state.withLock { $0.settings.name }
    }

    /// The settings as given (runtime changes such as ``apiKey`` included).
    public var configuration: Configuration {
        self.state.withLock { $0.settings }
    }

    /// The proxy-port listener's port, or 0 before the first start or without one.
    public var proxyPort: Int {
        self.state.withLock { $0.proxyPort }
    }

    /// The base URL of the proxy-port listener (which serves the Admin API too), or `nil` without one.
    public var proxyBaseURL: String? {
        let (host, port, configured) = self.state.withLock {
            ($0.settings.host, $0.proxyPort, $0.settings.proxyPort != nil)
        }
        return configured ? Self.url(host: host, port: port) : nil
    }

    /// The Control API's port, or 0 before the first start or without one.
    public var controlPort: Int {
        self.state.withLock { $0.controlPort }
    }

    /// The base URL of the Control API, e.g. `http://127.0.0.1:40124`, or `nil` without one.
    public var controlBaseURL: String? {
        let (host, port, configured) = self.state.withLock {
            ($0.settings.host, $0.controlPort, $0.settings.controlPort != nil)
        }
        return configured ? Self.url(host: host, port: port) : nil
    }

    private static func url(host: String, port: Int) -> String {
        host.contains(":") ? "http://[\(host)]:\(port)" : "http://\(host):\(port)"
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
    /// Setting ``Fault/refuseConnections`` (in any scope) stops the Admin API listeners (not the Control API);
    /// clearing it listens again on the same ports. The same ports are requested with `SO_REUSEADDR`; if another
    /// process took one meanwhile, this throws and the fake stays stopped.
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
            if let proxyServer = self.proxyServer {
                _ = try await proxyServer.start(port: self.proxyPort)
            }
        } else {
            await self.server.stop()
            await self.proxyServer?.stop()
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
