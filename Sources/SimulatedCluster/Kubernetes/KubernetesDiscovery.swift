/// The legacy (unaggregated) discovery documents of the fake Kubernetes API, enough for `kubectl` to map
/// `endpointslices` to `discovery.k8s.io/v1`, `pods` (`po`) to `v1` and `replicasets` (`rs`) to `apps/v1`. Requests for aggregated discovery
/// (`Accept: application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,...,application/json`) get these
/// documents as plain `application/json`, which clients take as the legacy format, as from an API server without
/// aggregated discovery.
enum KubernetesDiscovery {
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
                ("resources", .array(settings.servesWorkloads ? [self.resource(.pods)] : [])),
            ])
        case .groups:
            return .object([
                ("kind", .string("APIGroupList")),
                ("apiVersion", .string("v1")),
                (
                    "groups",
                    .array(
                        [self.groupFields("discovery.k8s.io", typeMeta: false)]
                            + (settings.servesWorkloads ? [self.groupFields("apps", typeMeta: false)] : [])
                    )
                ),
            ])
        case .discoveryGroup:
            return self.groupFields("discovery.k8s.io", typeMeta: true)
        case .appsGroup:
            return self.groupFields("apps", typeMeta: true)
        case .appsResources, .collection(.replicaSets, _), .object(.replicaSets, _, _):
            return self.resources(.replicaSets)
        case .discoveryResources, .collection, .object:
            return self.resources(.endpointSlices)
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

    /// The `APIGroup` `name` (with one version, `v1`), with `kind`/`apiVersion` when served on its own.
    private static func groupFields(_ name: String, typeMeta: Bool) -> JSONValue {
        let groupVersion: JSONValue = .object([("groupVersion", .string("\(name)/v1")), ("version", .string("v1"))])
        var fields: [(String, JSONValue)] = []
        if typeMeta {
            fields += [("kind", .string("APIGroup")), ("apiVersion", .string("v1"))]
        }
        fields += [
            ("name", .string(name)),
            ("versions", .array([groupVersion])),
            ("preferredVersion", groupVersion),
        ]
        return .object(fields)
    }

    /// The `APIResourceList` of the group version of `resource`, which lists only it.
    private static func resources(_ resource: KubernetesResource) -> JSONValue {
        .object([
            ("kind", .string("APIResourceList")),
            ("apiVersion", .string("v1")),
            ("groupVersion", .string(resource.apiVersion)),
            ("resources", .array([self.resource(resource)])),
        ])
    }

    /// The `APIResource` of `resource`: namespaced, read-only verbs, short names when it has some.
    private static func resource(_ resource: KubernetesResource) -> JSONValue {
        .object(omittingNil: [
            ("name", .string(resource.rawValue)),
            ("singularName", .string(resource.singularName)),
            ("namespaced", .bool(true)),
            ("kind", .string(resource.kind)),
            ("verbs", .array([.string("get"), .string("list"), .string("watch")])),
            ("shortNames", resource.shortNames.isEmpty ? nil : .array(resource.shortNames.map { .string($0) })),
        ])
    }
}
