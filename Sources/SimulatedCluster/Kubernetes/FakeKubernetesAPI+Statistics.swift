extension FakeKubernetesAPI {
    /// A request the fake received, as recorded for assertions.
    public struct RecordedRequest: Sendable, Equatable {
        /// The request path, e.g. `/apis/discovery.k8s.io/v1/endpointslices`.
        public let path: String
        /// The decoded query parameters (the last value wins for a repeated parameter).
        public let query: [String: String]
        /// The `Authorization` header, if any.
        public let authorization: String?
        /// The `Accept` header, if any.
        public let accept: String?
    }

    /// Counters and recent requests of a ``FakeKubernetesAPI``.
    public struct Statistics: Sendable, Equatable {
        /// Authenticated EndpointSlice list requests (including those answered with an injected failure).
        public internal(set) var listRequests = 0
        /// Authenticated EndpointSlice watch requests (including those answered with an injected failure).
        public internal(set) var watchRequests = 0
        /// Authenticated pod and ReplicaSet list requests (never answered with an injected failure).
        public internal(set) var workloadListRequests = 0
        /// Authenticated pod and ReplicaSet watch requests (never answered with an injected failure).
        public internal(set) var workloadWatchRequests = 0
        /// Authenticated single-object GET requests.
        public internal(set) var getRequests = 0
        /// Discovery requests (`/version`, `/api`, `/apis`, ...).
        public internal(set) var discoveryRequests = 0
        /// List, watch and get requests answered with a `Table` (as `kubectl get` asks for).
        public internal(set) var tableRequests = 0
        /// Requests rejected with 401.
        public internal(set) var unauthorizedRequests = 0
        /// Requests answered with a failure injected by
        /// ``FakeKubernetesAPI/failNext(requests:status:retryAfterSeconds:)``.
        public internal(set) var injectedFailures = 0
        /// Watch streams that are currently open.
        public internal(set) var openWatches = 0
        /// The most recent EndpointSlice list request.
        public internal(set) var lastListRequest: RecordedRequest?
        /// The most recent EndpointSlice watch request.
        public internal(set) var lastWatchRequest: RecordedRequest?

        /// The query parameters of the most recent list request.
        public var lastListQuery: [String: String]? { self.lastListRequest?.query }
        /// The query parameters of the most recent watch request.
        public var lastWatchQuery: [String: String]? { self.lastWatchRequest?.query }
    }
}
