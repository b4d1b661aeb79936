extension FakeAPISIXAdmin {
    /// The `discovery.kubernetes` settings of a fake instance (single-cluster mode), echoed as `config` by
    /// `GET /v1/discovery/kubernetes/dump` on the Control API.
    public struct KubernetesDiscoverySettings: Sendable, Hashable {
        /// The inline `client.token`, which the real dump echoes verbatim (an exporter must never expose it), or
        /// `nil` for `client.token_file`.
        public var token: String?
        /// `default_weight`, the weight of every node.
        public var defaultWeight: Int
        /// `watch_endpoint_slices`.
        public var watchEndpointSlices: Bool

        /// Creates the settings.
        ///
        /// - Parameters:
        ///   - token: The inline token, a recognisable fake secret by default.
        ///   - defaultWeight: The node weight, 50 by default (APISIX's default).
        ///   - watchEndpointSlices: `watch_endpoint_slices`, `false` by default (APISIX's default).
        public init(token: String? = "fake-token-SECRET", defaultWeight: Int = 50, watchEndpointSlices: Bool = false) {
            self.token = token
            self.defaultWeight = defaultWeight
            self.watchEndpointSlices = watchEndpointSlices
        }
    }
}
