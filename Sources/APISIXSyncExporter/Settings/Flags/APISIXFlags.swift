import Foundation

/// The `--apisix.*` flags and `--map` as given; ``resolve(environment:readFiles:)`` checks them into
/// ``APISIXSettings``, reading the Admin API key (file or `APISIX_ADMIN_KEY`) and the etcd password file.
public struct APISIXFlags: Sendable, Equatable {
    /// `--apisix.admin-url`, repeatable.
    public var adminURLs: [String] = []
    /// `--apisix.admin-key-file`: else the environment's `APISIX_ADMIN_KEY`.
    public var adminKeyFile: String?
    /// `--apisix.control-url`, repeatable: one per admin URL, or alone.
    public var controlURLs: [String] = []
    /// `--apisix.view`: admin or control.
    public var view: String?
    /// `--apisix.discover-pods`: a label selector.
    public var discoverPods: String?
    /// `--apisix.namespace`, `--apisix.admin-port`, `--apisix.admin-scheme`, `--apisix.control-port`: with
    /// `discoverPods` only.
    public var namespace: String?
    public var adminPort: String?
    public var adminScheme: String?
    public var controlPort: String?
    /// `--apisix.etcd-endpoint` and the other `--apisix.etcd-*` flags (the others only with an endpoint).
    public var etcdEndpoints: [String] = []
    /// `--apisix.etcd-prefix`; nil: ``SettingDefaults/etcdPrefix``.
    public var etcdPrefix: String?
    /// `--apisix.etcd-username` and `--apisix.etcd-password-file`: both or neither.
    public var etcdUsername: String?
    public var etcdPasswordFile: String?
    /// `--apisix.etcd-ca-file`, `--apisix.etcd-cert-file` and `--apisix.etcd-key-file`: https members only.
    public var etcdCAFile: String?
    public var etcdCertFile: String?
    public var etcdKeyFile: String?
    /// `--apisix.etcd-tls-server-name`: the name https members' certificates are checked against.
    public var etcdTLSServerName: String?
    /// `--map`: namespace/service:portName=upstreamID.
    public var maps: [String] = []

    public init() {}

    /// What stands for a secret `--check-flags` does not read (never printed: the summary shows "(set)").
    static let unreadSecret = "(not read: --check-flags)"

    /// - Parameter readFiles: false (`--check-flags`) checks the flags only, without reading the key file.
    public func resolve(environment: [String: String], readFiles: Bool = true) throws(SettingsError) -> APISIXSettings {
        guard !adminURLs.isEmpty || !controlURLs.isEmpty || discoverPods != nil || !etcdEndpoints.isEmpty else {
            throw SettingsError(
                flag: "--apisix.admin-url",
                "at least one --apisix.admin-url, --apisix.control-url, --apisix.discover-pods or "
                    + "--apisix.etcd-endpoint is required"
            )
        }
        let etcd = try resolveEtcd(readFiles: readFiles)
        for (flag, urls) in [("--apisix.admin-url", adminURLs), ("--apisix.control-url", controlURLs)] {
            for url in urls where APISIXTarget.parse(url) == nil {
                throw SettingsError(flag: flag, "\"\(url)\" is not an http(s) URL without credentials or query")
            }
        }
        if !adminURLs.isEmpty, !controlURLs.isEmpty, adminURLs.count != controlURLs.count {
            throw SettingsError(
                flag: "--apisix.control-url",
                "\(controlURLs.count) given for \(adminURLs.count) --apisix.admin-url: give one per admin URL "
                    + "(paired in order) or none"
            )
        }
        let parsedView = try resolveView()
        let discovery = try resolvePodDiscovery(view: parsedView)
        let key = try resolveAdminKey(environment: environment, readFiles: readFiles)
        var overrides: [MappingOverride] = []
        for map in maps {
            guard let override = MappingOverride(parsing: map) else {
                throw SettingsError(flag: "--map", "\"\(map)\" is not namespace/service:portName=upstreamID")
            }
            overrides.append(override)
        }
        return APISIXSettings(
            adminURLs: adminURLs.compactMap { APISIXTarget.parse($0)?.url },
            controlURLs: controlURLs.compactMap { APISIXTarget.parse($0)?.url },
            view: parsedView,
            podDiscovery: discovery,
            etcd: etcd,
            client: APISIXClientSettings(adminKey: key),
            overrides: overrides
        )
    }

    func resolveView() throws(SettingsError) -> APISIXView? {
        guard let view else { return nil }
        guard let parsed = APISIXView(rawValue: view) else {
            throw SettingsError(flag: "--apisix.view", "\"\(view)\" must be admin or control")
        }
        if parsed == .admin, adminURLs.isEmpty, !controlURLs.isEmpty {
            throw SettingsError(flag: "--apisix.view", "admin needs --apisix.admin-url")
        }
        if parsed == .control, controlURLs.isEmpty, !adminURLs.isEmpty {
            throw SettingsError(flag: "--apisix.view", "control needs --apisix.control-url")
        }
        return parsed
    }

    /// The key from `--apisix.admin-key-file` (trimmed, not empty), else `APISIX_ADMIN_KEY`, else none.
    func resolveAdminKey(environment: [String: String], readFiles: Bool) throws(SettingsError) -> String? {
        if let adminKeyFile {
            guard readFiles else { return Self.unreadSecret }
            let text = try FlagValue.readSecretFile("--apisix.admin-key-file", adminKeyFile)
            let key = text.trimmingCharacters(in: .whitespacesAndNewlines)
            guard !key.isEmpty else { throw SettingsError(flag: "--apisix.admin-key-file", "\(adminKeyFile) is empty") }
            return key
        }
        if let key = environment["APISIX_ADMIN_KEY"], !key.isEmpty { return key }
        return nil
    }
}
