extension FakeAPISIXAdmin {
    /// Counters of a ``FakeAPISIXAdmin``. A request is counted once its answer has been produced, whatever the
    /// answer was (including 401s and injected faults); refused connections are not counted.
    public struct Statistics: Sendable, Equatable {
        /// `GET /apisix/admin/upstreams` requests answered.
        public internal(set) var listRequests = 0
        /// `GET /apisix/admin/upstreams/{id}` requests answered, per id.
        public internal(set) var singleRequests: [String: Int] = [:]
        /// `GET /apisix/admin/services` requests answered.
        public internal(set) var serviceListRequests = 0
        /// `GET /apisix/admin/services/{id}` requests answered, per id.
        public internal(set) var singleServiceRequests: [String: Int] = [:]
        /// `GET /apisix/admin/routes` requests answered.
        public internal(set) var routeListRequests = 0
        /// `GET /apisix/admin/routes/{id}` requests answered, per id.
        public internal(set) var singleRouteRequests: [String: Int] = [:]
        /// `GET /apisix/admin/configs` requests answered (in either mode).
        public internal(set) var configGetRequests = 0
        /// `HEAD /apisix/admin/configs` requests answered (in either mode).
        public internal(set) var configHeadRequests = 0
        /// Requests answered on the proxy-port listener (``Configuration/proxyPort``).
        public internal(set) var proxyPortRequests = 0
        /// Requests answered with 401.
        public internal(set) var unauthorizedRequests = 0
        /// Requests answered (or dropped) by an injected fault other than a delay.
        public internal(set) var faultedRequests = 0
        /// Control API `GET /v1/upstreams` requests answered.
        public internal(set) var controlUpstreamListRequests = 0
        /// Control API `GET /v1/upstream/{id}` requests answered, per id.
        public internal(set) var controlUpstreamRequests: [String: Int] = [:]
        /// Control API `GET /v1/discovery/kubernetes/dump` requests answered.
        public internal(set) var discoveryDumpRequests = 0
        /// Control API requests answered, of any path.
        public internal(set) var controlRequests = 0

        /// All single-upstream GET requests answered.
        public var totalSingleRequests: Int { self.singleRequests.values.reduce(0, +) }

        /// Single-upstream GET requests answered for `id`.
        public func singleRequests(id: FakeUpstream.ID) -> Int {
            self.singleRequests[id.description, default: 0]
        }
    }
}
