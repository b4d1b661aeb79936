/// The legacy (unaggregated) discovery documents of the fake Kubernetes API, enough for `kubectl` to map
/// `endpointslices` to `discovery.k8s.io/v1`. Requests for aggregated discovery
/// (`Accept: application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,...,application/json`) get these
/// documents as plain `application/json`, which clients take as the legacy format, as from an API server without
/// aggregated discovery.
enum KubernetesDiscovery {
    /// The `discovery.k8s.io/v1` group version.
    private static let groupVersion: JSONValue = .object([
        ("groupVersion", .string(KubernetesWire.apiVersion)),
        ("version", .string("v1")),
    ])

    /// The document served for `route`, which must be a discovery route.
    static func document(
        for route: KubernetesRoute,
        settings: FakeKubernetesAPI.Configuration,
        port: Int
    ) -> JSONValue {
        switch route {
        case .version:
            return self.version(settings.serverVersion)
        case .coreVersions:
            let address = settings.host.contains(":") ? "[\(settings.host)]:\(port)" : "\(settings.host):\(port)"
            return .object([
                ("kind", .string("APIVersions")),
                ("versions", .array([.string("v1")])),
                (
                    "serverAddressByClientCIDRs",
                    .array([.object([("clientCIDR", .string("0.0.0.0/0")), ("serverAddress", .string(address))])])
                ),
            ])
        case .coreResources:
            return .object([
                ("kind", .string("APIResourceList")),
                ("groupVersion", .string("v1")),
                ("resources", .array([])),
            ])
        case .groups:
            return .object([
                ("kind", .string("APIGroupList")),
                ("apiVersion", .string("v1")),
                ("groups", .array([self.groupFields(typeMeta: false)])),
            ])
        case .discoveryGroup:
            return self.groupFields(typeMeta: true)
        case .discoveryResources, .collection, .object:
            return self.resources
        }
    }

    /// `/version` for `gitVersion` (e.g. `v1.32.4`): major and minor are taken from it.
    private static func version(_ gitVersion: String) -> JSONValue {
        let numbers = gitVersion.drop { $0 == "v" }.split(separator: ".")
        let major = numbers.first.map(String.init) ?? "1"
        let minor = numbers.dropFirst().first.map { String($0.prefix { $0.isNumber }) } ?? "0"
        return .object([
            ("major", .string(major)),
            ("minor", .string(minor)),
            ("gitVersion", .string(gitVersion)),
            ("gitCommit", .string("0000000000000000000000000000000000000000")),
            ("gitTreeState", .string("clean")),
            ("buildDate", .string("2025-01-01T00:00:00Z")),
            ("goVersion", .string("go1.23.6")),
            ("compiler", .string("gc")),
            ("platform", .string("linux/amd64")),
        ])
    }

    /// The `discovery.k8s.io` `APIGroup`, with `kind`/`apiVersion` when served on its own.
    private static func groupFields(typeMeta: Bool) -> JSONValue {
        var fields: [(String, JSONValue)] = []
        if typeMeta {
            fields += [("kind", .string("APIGroup")), ("apiVersion", .string("v1"))]
        }
        fields += [
            ("name", .string("discovery.k8s.io")),
            ("versions", .array([self.groupVersion])),
            ("preferredVersion", self.groupVersion),
        ]
        return .object(fields)
    }

    /// The `APIResourceList` of `discovery.k8s.io/v1`: `endpointslices`, namespaced, read-only verbs.
    private static let resources: JSONValue = .object([
        ("kind", .string("APIResourceList")),
        ("apiVersion", .string("v1")),
        ("groupVersion", .string(KubernetesWire.apiVersion)),
        (
            "resources",
            .array([
                .object([
                    ("name", .string("endpointslices")),
                    ("singularName", .string("endpointslice")),
                    ("namespaced", .bool(true)),
                    ("kind", .string(KubernetesWire.kind)),
                    ("verbs", .array([.string("get"), .string("list"), .string("watch")])),
                ])
            ])
        ),
    ])
}
