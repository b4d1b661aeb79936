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
        /// The instance's name, e.g. the APISIX pod name: the `instance` of the truth records a
        /// ``SimulatedIngressController`` writes for it, and the pod name of its endpoint when a ``SimulatedWorld``
        /// publishes it (``SimulatedAPISIXService``).
        public var name: String
        /// The Admin API envelope (etcd mode only).
        public var adminAPIVersion: AdminAPIVersion
        /// How an empty v2 list's `node.nodes` is encoded.
        public var emptyV2ListEncoding: EmptyListEncoding
        /// etcd-backed or API-driven standalone.
        public var mode: DeploymentMode
        /// The port of a second listener that serves the same Admin API, as APISIX 2.x did on its proxy port
        /// (9080) unless `port_admin` was set; paths outside `/apisix/admin` answer 404
        /// `{"error_msg":"404 Route Not Found"}` there. `nil` (the default) opens none; 0 picks an ephemeral port.
        public var proxyPort: Int?
        /// The port of the instance's Control API (the real default is `127.0.0.1:9090`), which serves the
        /// workers' view: `/v1/upstreams`, `/v1/upstream/{id}`, `/v1/routes`, `/v1/route/{id}`, `/v1/services`,
        /// `/v1/service/{id}` and, with ``kubernetesDiscovery``, `/v1/discovery/kubernetes/dump`. `nil` (the
        /// default) opens none; 0 picks an ephemeral port. With a Control API or a ``workerDelay`` the fake keeps
        /// the workers' view apart, which costs a copy of the configuration per write (fine for tests and demos,
        /// not for scale runs).
        public var controlPort: Int?
        /// Whether the Control API serves `/v1/routes`, `/v1/route/{id}`, `/v1/services` and `/v1/service/{id}`
        /// (the default); `false` answers 404 there, as an older APISIX whose Control API lacks them.
        public var controlAPIServesRoutesAndServices: Bool
        /// How long after a write the workers route with it (what the Control API shows): the time an APISIX
        /// worker takes to apply a change from its etcd watch or from the standalone shared dict. The Admin API
        /// shows a write at once.
        public var workerDelay: Duration
        /// The `discovery.kubernetes` settings, or `nil` when Kubernetes discovery is not configured (then the
        /// dump path answers 404).
        public var kubernetesDiscovery: KubernetesDiscoverySettings?

        /// Creates a configuration.
        ///
        /// - Parameters:
        ///   - host: The address to listen on, `127.0.0.1` by default.
        ///   - port: The port, 0 (ephemeral) by default.
        ///   - apiKey: The required admin key, or `nil`.
        ///   - unauthorizedBodyStyle: The 401 body shape, the 3.10+ one by default.
        ///   - initialRevision: The etcd revision before the first write.
        ///   - serverHeader: The `Server` header.
        ///   - name: The instance's name, `apisix` by default.
        ///   - adminAPIVersion: The envelope, ``AdminAPIVersion/v3`` by default.
        ///   - emptyV2ListEncoding: How an empty v2 list is encoded, `[]` by default.
        ///   - mode: etcd (the default) or API-driven standalone.
        ///   - proxyPort: The port of a second Admin API listener as on APISIX 2.x's proxy port, or `nil` (the
        ///     default) for none.
        ///   - controlPort: The Control API port, or `nil` (the default) for none.
        ///   - controlAPIServesRoutesAndServices: Whether the Control API serves routes and services, `true` by
        ///     default.
        ///   - workerDelay: How long the workers take to apply a write, 0 by default.
        ///   - kubernetesDiscovery: The Kubernetes discovery settings, or `nil` (the default).
        public init(
            host: String = "127.0.0.1",
            port: Int = 0,
            apiKey: String? = nil,
            unauthorizedBodyStyle: UnauthorizedBodyStyle = .withDescription,
            initialRevision: Int = 1,
            serverHeader: String? = "APISIX/3.13.0",
            name: String = "apisix",
            adminAPIVersion: AdminAPIVersion = .v3,
            emptyV2ListEncoding: EmptyListEncoding = .array,
            mode: DeploymentMode = .etcd,
            proxyPort: Int? = nil,
            controlPort: Int? = nil,
            controlAPIServesRoutesAndServices: Bool = true,
            workerDelay: Duration = .zero,
            kubernetesDiscovery: KubernetesDiscoverySettings? = nil
        ) {
            self.host = host
            self.port = port
            self.apiKey = apiKey
            self.unauthorizedBodyStyle = unauthorizedBodyStyle
            self.initialRevision = initialRevision
            self.serverHeader = serverHeader
            self.name = name
            self.adminAPIVersion = adminAPIVersion
            self.emptyV2ListEncoding = emptyV2ListEncoding
            self.mode = mode
            self.proxyPort = proxyPort
            self.controlPort = controlPort
            self.controlAPIServesRoutesAndServices = controlAPIServesRoutesAndServices
            self.workerDelay = workerDelay
            self.kubernetesDiscovery = kubernetesDiscovery
        }
    }
}
