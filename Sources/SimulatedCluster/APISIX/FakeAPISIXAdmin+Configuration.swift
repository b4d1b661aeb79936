extension FakeAPISIXAdmin {
    /// The body of a 401 answer, which changed in APISIX 3.10.
    public enum UnauthorizedBodyStyle: Sendable, Hashable {
        /// `{"error_msg":"failed to check token","description":"missing apikey"|"wrong apikey"}` (3.10 and later).
        case withDescription
        /// `{"error_msg":"failed to check token"}` (2.x to 3.9).
        case legacy
    }

    /// Settings of a ``FakeAPISIXAdmin``.
    public struct Configuration: Sendable {
        /// The address to listen on.
        public var host: String
        /// The port to listen on; 0 picks an ephemeral port.
        public var port: Int
        /// The admin key requests must carry (`X-API-KEY` header, `api_key` query parameter or `X-API-KEY`
        /// cookie), or `nil` to accept every request.
        public var apiKey: String?
        /// The shape of 401 bodies.
        public var unauthorizedBodyStyle: UnauthorizedBodyStyle
        /// The etcd revision before the first write.
        public var initialRevision: Int
        /// The `Server` header, or `nil` for none.
        public var serverHeader: String?

        /// Creates a configuration.
        ///
        /// - Parameters:
        ///   - host: The address to listen on, `127.0.0.1` by default.
        ///   - port: The port, 0 (ephemeral) by default.
        ///   - apiKey: The required admin key, or `nil`.
        ///   - unauthorizedBodyStyle: The 401 body shape, the 3.10+ one by default.
        ///   - initialRevision: The etcd revision before the first write.
        ///   - serverHeader: The `Server` header.
        public init(
            host: String = "127.0.0.1",
            port: Int = 0,
            apiKey: String? = nil,
            unauthorizedBodyStyle: UnauthorizedBodyStyle = .withDescription,
            initialRevision: Int = 1,
            serverHeader: String? = "APISIX/3.13.0"
        ) {
            self.host = host
            self.port = port
            self.apiKey = apiKey
            self.unauthorizedBodyStyle = unauthorizedBodyStyle
            self.initialRevision = initialRevision
            self.serverHeader = serverHeader
        }
    }
}
