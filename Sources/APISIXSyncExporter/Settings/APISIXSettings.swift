/// Which APISIX instances to read and how (`--apisix.*`, `--map`).
public struct APISIXSettings: Sendable, Equatable {
    /// Admin API base URLs, e.g. `http://apisix-admin.ingress-apisix:9180`.
    public internal(set) var adminURLs: [String]
    /// Control API base URLs (`--apisix.control-url`): paired in order with `adminURLs`, or, without admin URLs,
    /// Control-API-only targets.
    public internal(set) var controlURLs: [String]
    /// `--apisix.view`: what lag is measured against; nil means the Control API where a target has one.
    public internal(set) var view: APISIXView?
    /// `--apisix.discover-pods`: find APISIX pods through the Kubernetes API and poll each; nil polls only the URLs.
    public internal(set) var podDiscovery: APISIXPodDiscoverySettings?
    /// `--apisix.etcd-endpoint` and related flags: watch APISIX's etcd prefix (the stored view); nil without.
    public internal(set) var etcd: EtcdSettings?
    /// What each Admin/Control API client gets, the Admin API key included.
    public internal(set) var client: APISIXClientSettings
    /// `--map`: upstreams pinned to a Service port.
    public internal(set) var overrides: [MappingOverride]

    public init(
        adminURLs: [String] = [],
        controlURLs: [String] = [],
        view: APISIXView? = nil,
        podDiscovery: APISIXPodDiscoverySettings? = nil,
        etcd: EtcdSettings? = nil,
        client: APISIXClientSettings = APISIXClientSettings(),
        overrides: [MappingOverride] = []
    ) {
        self.adminURLs = adminURLs
        self.controlURLs = controlURLs
        self.view = view
        self.podDiscovery = podDiscovery
        self.etcd = etcd
        self.client = client
        self.overrides = overrides
    }

    /// The targets given by URL: admin and control URLs paired in order, or control URLs alone; nil when the URLs
    /// do not pair up or one does not parse (flag parsing reports which).
    public var staticTargets: [APISIXTarget]? {
        if adminURLs.isEmpty {
            let targets = controlURLs.compactMap { APISIXTarget(adminURL: nil, controlURL: $0, view: view) }
            return targets.count == controlURLs.count ? targets : nil
        }
        guard controlURLs.isEmpty || controlURLs.count == adminURLs.count else { return nil }
        let targets = adminURLs.indices.compactMap { index in
            APISIXTarget(
                adminURL: adminURLs[index],
                controlURL: controlURLs.isEmpty ? nil : controlURLs[index],
                view: view
            )
        }
        return targets.count == adminURLs.count ? targets : nil
    }
}
