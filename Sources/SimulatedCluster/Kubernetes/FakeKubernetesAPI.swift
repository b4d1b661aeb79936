import Logging

/// An in-process fake of the Kubernetes API server's EndpointSlice, Pod and ReplicaSet endpoints, speaking the real
/// wire format over HTTP on `127.0.0.1`.
///
/// Script it with ``apply(_:)`` and ``delete(namespace:name:)``; each mutation bumps a global resource version
/// and is delivered to open watches. It serves:
/// - `GET /apis/discovery.k8s.io/v1/endpointslices` and `…/namespaces/{ns}/endpointslices`: lists with `limit`,
///   `continue` (snapshot-consistent pages) and `labelSelector`;
/// - the same paths with `watch=1` (or `watch=true`): chunked JSON-lines watches honouring `resourceVersion`,
///   `allowWatchBookmarks`, `timeoutSeconds` and `sendInitialEvents`;
/// - `GET …/namespaces/{ns}/endpointslices/{name}`;
/// - the same for `v1` pods (`/api/v1/pods`, `/api/v1/namespaces/{ns}/pods[/{name}]`) and `apps/v1` ReplicaSets
///   (`/apis/apps/v1/replicasets`, …), scripted with ``apply(_:)-(FakePod)``, ``deletePod(namespace:name:)`` and the
///   ReplicaSet counterparts; every resource shares the one resource-version counter;
/// - enough legacy discovery for `kubectl get endpointslices [-A] [--watch]`: `/version` (without credentials),
///   `/api`, `/api/v1`, `/apis`, `/apis/discovery.k8s.io` and `/apis/discovery.k8s.io/v1` (aggregated-discovery
///   `Accept` headers get the legacy documents as `application/json`);
/// - server-side printing: lists, gets and watches asking for `as=Table` (`meta.k8s.io` `v1` or `v1beta1`) get a
///   `Table` with the API server's EndpointSlice columns (NAME, ADDRESSTYPE, PORTS, ENDPOINTS, AGE).
///
/// Faults can be injected at run time (``injectWatchError410()``, ``cutWatches()``,
/// ``failNext(requests:status:retryAfterSeconds:)``, ``compactHistory()``, ``splitEventsAcrossChunks``), and
/// ``statistics`` plus the `wait…` methods let tests synchronise on what the server saw instead of sleeping.
///
/// The type is thread-safe; all methods can be called from any task.
public final class FakeKubernetesAPI: Sendable {
    let state: ObservedState<KubernetesClusterState>
    private let server: FakeHTTPServer
    private let requestedPort: Int

    /// Creates a stopped fake.
    ///
    /// - Parameters:
    ///   - configuration: The settings.
    ///   - logger: The logger of the HTTP server; by default one that only logs warnings and errors.
    public init(configuration: Configuration = Configuration(), logger: Logger? = nil) {
        let state = ObservedState(KubernetesClusterState(settings: configuration))
        let handler = KubernetesRequestHandler(state: state)
        self.state = state
        self.requestedPort = configuration.port
        self.server = FakeHTTPServer(
            host: configuration.host,
            serverName: nil,
            logger: logger ?? Logger.quiet(label: "SimulatedCluster.FakeKubernetesAPI"),
            handler: { request, context in try await handler.respond(to: request, context: context) }
        )
    }

    // MARK: Lifecycle

    /// Starts listening and returns once the server accepts connections.
    ///
    /// - Throws: ``SimulatedClusterError/serverFailedToStart(_:)`` when the address cannot be bound.
    public func start() async throws {
        let port = try await self.server.start(port: self.requestedPort)
        self.state.withLock { $0.port = port }
    }

    /// Ends every open watch cleanly, closes all connections and stops listening.
    public func stop() async {
        self.state.withLock { $0.endAllWatches(.clean) }
        // Let the watch streams write their terminating chunk before the connections are closed.
        try? await self.state.wait(timeout: .seconds(1), for: "watches to end") { $0.statistics.openWatches == 0 }
        await self.server.stop()
        self.state.withLock { $0.port = 0 }
    }

    /// The bound port, or 0 while the fake is not running.
    public var port: Int {
        self.state.withLock { $0.port }
    }

    /// The base URL, e.g. `http://127.0.0.1:40123` (with port 0 while the fake is not running).
    public var baseURL: String {
        let (host, port) = self.state.withLock { ($0.settings.host, $0.port) }
        return host.contains(":") ? "http://[\(host)]:\(port)" : "http://\(host):\(port)"
    }

    // MARK: Scripting

    /// Creates or replaces a slice (an `ADDED` or `MODIFIED` event) and returns the new resource version.
    @discardableResult
    public func apply(_ slice: FakeEndpointSlice) -> Int {
        self.state.withLock { $0.apply(.endpointSlice(slice)) }
    }

    /// Deletes a slice (a `DELETED` event carrying its last state at the new resource version) and returns the
    /// new resource version, or `nil` when the slice does not exist.
    @discardableResult
    public func delete(namespace: String, name: String) -> Int? {
        self.state.withLock { $0.delete(.endpointSlices, namespace: namespace, name: name) }
    }

    /// The slice `namespace/name` as last applied, or `nil`.
    public func slice(namespace: String, name: String) -> FakeEndpointSlice? {
        self.state.withLock { state in
            guard
                case .endpointSlice(let slice) = state.store.object(.endpointSlices, namespace: namespace, name: name)?
                    .payload
            else { return nil }
            return slice
        }
    }

    /// All slices, ordered by namespace/name.
    public var slices: [FakeEndpointSlice] {
        self.state.withLock { state in
            state.store.sortedObjects(of: .endpointSlices).compactMap { stored in
                if case .endpointSlice(let slice) = stored.payload { return slice }
                return nil
            }
        }
    }

    /// The resource version of the last write.
    public var resourceVersion: Int {
        self.state.withLock { $0.store.resourceVersion }
    }

    /// The oldest resource version that can still be watched from; older ones get 410 Gone.
    public var compactedResourceVersion: Int {
        self.state.withLock { $0.store.compactedResourceVersion }
    }

    // MARK: Runtime settings

    /// The bearer token requests must carry (`nil` accepts unauthenticated requests). Change it to simulate a
    /// token rotation; open watches are not affected.
    public var requiredBearerToken: String? {
        get { self.state.withLock { $0.settings.requiredBearerToken } }
        set { self.state.withLock { $0.settings.requiredBearerToken = newValue } }
    }

    /// Whether watch event lines (of open and future watches) are written as 2–3 chunks split at random byte
    /// offsets, so that clients must reassemble lines.
    public var splitEventsAcrossChunks: Bool {
        get { self.state.withLock { $0.settings.splitEventsAcrossChunks } }
        set { self.state.withLock { $0.settings.splitEventsAcrossChunks = newValue } }
    }

    /// The bookmark period of watches opened from now on.
    public var bookmarkInterval: Duration {
        get { self.state.withLock { $0.settings.bookmarkInterval } }
        set { self.state.withLock { $0.settings.bookmarkInterval = newValue } }
    }

    /// The server-side cap on the duration of watches opened from now on (`nil` for none).
    public var maxWatchTimeout: Duration? {
        get { self.state.withLock { $0.settings.maxWatchTimeout } }
        set { self.state.withLock { $0.settings.maxWatchTimeout = newValue } }
    }

    /// The server-side cap on list page sizes (`nil` for none).
    public var maxPageSize: Int? {
        get { self.state.withLock { $0.settings.maxPageSize } }
        set { self.state.withLock { $0.settings.maxPageSize = newValue } }
    }

    /// Whether `sendInitialEvents=true` watches are served (otherwise they get 422).
    public var watchListEnabled: Bool {
        get { self.state.withLock { $0.settings.watchListEnabled } }
        set { self.state.withLock { $0.settings.watchListEnabled = newValue } }
    }

    // MARK: Fault injection

    /// Sends `{"type":"ERROR","object":<Status 410 Expired>}` on every open watch, then ends those streams
    /// cleanly. Combine with ``compactHistory()`` to make a resumed watch fail too.
    public func injectWatchError410() {
        self.state.withLock { $0.endAllWatches(.expired) }
    }

    /// Aborts every open watch mid-stream: the connection is closed without the chunked body's terminating chunk.
    public func cutWatches() {
        self.state.withLock { $0.endAllWatches(.abort) }
    }

    /// Ends every open watch cleanly, as if its timeout had elapsed (without a final bookmark).
    public func endWatches() {
        self.state.withLock { $0.endAllWatches(.clean) }
    }

    /// Answers the next `requests` EndpointSlice list or watch requests with `status` (e.g. 429 or 503) and a `Status` body,
    /// plus a `Retry-After` header when `retryAfterSeconds` is set. Replaces any failures still pending.
    public func failNext(requests: Int, status: Int, retryAfterSeconds: Int? = nil) {
        self.state.withLock { state in
            state.pendingFailure =
                requests > 0
                ? .init(remaining: requests, status: status, retryAfterSeconds: retryAfterSeconds)
                : nil
        }
    }

    /// Moves the compaction point to the current resource version: watches resuming from any older version and
    /// continue tokens of older list snapshots now get 410.
    public func compactHistory() {
        self.state.withLock { $0.store.compact() }
    }

    // MARK: Observability

    /// The counters and recent requests.
    public var statistics: Statistics {
        self.state.withLock { $0.statistics }
    }

    /// Waits until `condition` holds for the statistics.
    ///
    /// - Throws: ``SimulatedClusterError/timedOut(waitingFor:)`` after `timeout`, or `CancellationError`.
    public func waitUntil(
        timeout: Duration = .seconds(10),
        _ description: String = "a condition on the Kubernetes API statistics",
        _ condition: @escaping @Sendable (Statistics) -> Bool
    ) async throws {
        try await self.state.wait(timeout: timeout, for: description) { condition($0.statistics) }
    }

    /// Waits until at least `count` watch streams are open (registered and receiving live events).
    public func waitForOpenWatches(count: Int, timeout: Duration = .seconds(10)) async throws {
        try await self.waitUntil(timeout: timeout, "\(count) open watch(es)") { $0.openWatches >= count }
    }

    /// Waits until no watch stream is open.
    public func waitForNoOpenWatches(timeout: Duration = .seconds(10)) async throws {
        try await self.waitUntil(timeout: timeout, "all watches to close") { $0.openWatches == 0 }
    }

    /// Waits until at least `count` watch requests have been received in total.
    public func waitForWatchRequests(atLeast count: Int, timeout: Duration = .seconds(10)) async throws {
        try await self.waitUntil(timeout: timeout, "\(count) watch request(s)") { $0.watchRequests >= count }
    }

    /// Waits until at least `count` list requests have been received in total.
    public func waitForListRequests(atLeast count: Int, timeout: Duration = .seconds(10)) async throws {
        try await self.waitUntil(timeout: timeout, "\(count) list request(s)") { $0.listRequests >= count }
    }
}
