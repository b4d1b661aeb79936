extension FakeKubernetesAPI {
    /// Settings of a ``FakeKubernetesAPI``. The ones also exposed as properties of the fake can be changed while
    /// it runs; a change applies to watches and requests that start afterwards.
    public struct Configuration: Sendable {
        /// The address to listen on.
        public var host: String
        /// The port to listen on; 0 picks an ephemeral port.
        public var port: Int
        /// The resource version of the empty store. Watching from an older one fails with 410.
        public var initialResourceVersion: Int
        /// The bearer token every request must carry, or `nil` to accept unauthenticated requests.
        public var requiredBearerToken: String?
        /// How often a watch with `allowWatchBookmarks=true` receives a BOOKMARK event.
        public var bookmarkInterval: Duration
        /// The duration of a watch that does not send `timeoutSeconds`. The real API server picks 30–60 min.
        public var defaultWatchTimeout: Duration
        /// A server-side cap on every watch's duration, to force short watches in tests; `nil` for no cap.
        public var maxWatchTimeout: Duration?
        /// A server-side cap on the number of items per list page, applied even when the client sends no `limit`;
        /// `nil` for no cap. Clients must follow `continue` tokens either way.
        public var maxPageSize: Int?
        /// How many changes the watch history keeps before the oldest are compacted away; `nil` keeps all.
        public var historyLimit: Int?
        /// Whether each watch event line is written as 2–3 HTTP chunks split at random byte offsets.
        public var splitEventsAcrossChunks: Bool
        /// Whether `sendInitialEvents=true` watches (the WatchList feature) are served. When `false` they are
        /// rejected with 422, like an API server with the `WatchList` feature gate off.
        public var watchListEnabled: Bool
        /// Whether BOOKMARK objects also carry the fields a Go zero-value EndpointSlice encodes
        /// (`"addressType":"","endpoints":null,"ports":null`) instead of only kind, apiVersion and metadata.
        public var bookmarksIncludeZeroValueFields: Bool
        /// The `gitVersion` served at `/version` (major and minor are derived from it). Some kubectl builds pick
        /// their client version from it.
        public var serverVersion: String
        /// Whether pods (`/api/v1/…/pods`) and ReplicaSets (`/apis/apps/v1/…/replicasets`) are served and listed in
        /// discovery. `false` is the fake before pods: those paths are 404 and discovery lists only EndpointSlices.
        public var servesWorkloads: Bool

        /// Creates a configuration.
        ///
        /// - Parameters:
        ///   - host: The address to listen on, `127.0.0.1` by default.
        ///   - port: The port, 0 (ephemeral) by default.
        ///   - initialResourceVersion: The resource version of the empty store.
        ///   - requiredBearerToken: The required bearer token, or `nil`.
        ///   - bookmarkInterval: The bookmark period, 1 s by default.
        ///   - defaultWatchTimeout: The watch duration without `timeoutSeconds`, 30 min by default.
        ///   - maxWatchTimeout: A cap on every watch's duration, or `nil`.
        ///   - maxPageSize: A cap on list page sizes, or `nil`.
        ///   - historyLimit: The number of changes kept for resuming watches, 10 000 by default.
        ///   - splitEventsAcrossChunks: Whether to split event lines across chunks.
        ///   - watchListEnabled: Whether `sendInitialEvents=true` is supported.
        ///   - bookmarksIncludeZeroValueFields: Whether bookmarks carry the Go zero-value slice fields.
        ///   - serverVersion: The version served at `/version`, `v1.32.4` by default.
        ///   - servesWorkloads: Whether pods and ReplicaSets are served, `true` by default.
        public init(
            host: String = "127.0.0.1",
            port: Int = 0,
            initialResourceVersion: Int = 1000,
            requiredBearerToken: String? = nil,
            bookmarkInterval: Duration = .seconds(1),
            defaultWatchTimeout: Duration = .seconds(1800),
            maxWatchTimeout: Duration? = nil,
            maxPageSize: Int? = nil,
            historyLimit: Int? = 10_000,
            splitEventsAcrossChunks: Bool = false,
            watchListEnabled: Bool = true,
            bookmarksIncludeZeroValueFields: Bool = false,
            serverVersion: String = "v1.32.4",
            servesWorkloads: Bool = true
        ) {
            self.host = host
            self.port = port
            self.initialResourceVersion = initialResourceVersion
            self.requiredBearerToken = requiredBearerToken
            self.bookmarkInterval = bookmarkInterval
            self.defaultWatchTimeout = defaultWatchTimeout
            self.maxWatchTimeout = maxWatchTimeout
            self.maxPageSize = maxPageSize
            self.historyLimit = historyLimit
            self.splitEventsAcrossChunks = splitEventsAcrossChunks
            self.watchListEnabled = watchListEnabled
            self.bookmarksIncludeZeroValueFields = bookmarksIncludeZeroValueFields
            self.serverVersion = serverVersion
            self.servesWorkloads = servesWorkloads
        }
    }
}
