/// The parts of an API-driven standalone configuration (`GET /apisix/admin/configs`, APISIX ≥ 3.13) that decide
/// routing, plus its version markers.
///
/// It is the desired state of the one APISIX pod that answered; every pod holds its own copy.
public struct APISIXStandaloneConfig: Sendable, Equatable {
    /// `upstreams[]`, `services[]` and `routes[]`, in config order.
    public var upstreams: [APISIXUpstream]
    public var services: [APISIXService]
    public var routes: [APISIXRoute]
    /// `<type>_conf_version` by type (`upstreams`, `routes`, `services`, …). The ingress controller's ADC writes its
    /// wall-clock time in milliseconds here; 0 everywhere means never configured.
    public var confVersions: [String: Int]
    /// The `X-Last-Modified` stored with the config (epoch seconds), when present.
    public var lastModified: Int?
    /// The `X-Digest` stored with the config (ADC sends a sha1 of the JSON), when present.
    public var digest: String?

    public init(
        upstreams: [APISIXUpstream] = [],
        services: [APISIXService] = [],
        routes: [APISIXRoute] = [],
        confVersions: [String: Int] = [:],
        lastModified: Int? = nil,
        digest: String? = nil
    ) {
        self.upstreams = upstreams
        self.services = services
        self.routes = routes
        self.confVersions = confVersions
        self.lastModified = lastModified
        self.digest = digest
    }
}
