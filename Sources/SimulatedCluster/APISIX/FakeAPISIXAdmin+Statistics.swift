extension FakeAPISIXAdmin {
    /// Counters of a ``FakeAPISIXAdmin``. A request is counted once its answer has been produced, whatever the
    /// answer was (including 401s and injected faults); refused connections are not counted.
    public struct Statistics: Sendable, Equatable {
        /// `GET /apisix/admin/upstreams` requests answered.
        public internal(set) var listRequests = 0
        /// `GET /apisix/admin/upstreams/{id}` requests answered, per id.
        public internal(set) var singleRequests: [String: Int] = [:]
        /// Requests answered with 401.
        public internal(set) var unauthorizedRequests = 0
        /// Requests answered (or dropped) by an injected fault other than a delay.
        public internal(set) var faultedRequests = 0

        /// All single-upstream GET requests answered.
        public var totalSingleRequests: Int { self.singleRequests.values.reduce(0, +) }

        /// Single-upstream GET requests answered for `id`.
        public func singleRequests(id: FakeUpstream.ID) -> Int {
            self.singleRequests[id.description, default: 0]
        }
    }
}
