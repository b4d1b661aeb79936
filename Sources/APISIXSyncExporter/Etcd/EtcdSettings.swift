/// How to reach the etcd that APISIX stores its configuration in (`--apisix.etcd-*`).
public struct EtcdSettings: Sendable, Equatable, CustomStringConvertible, CustomReflectable {
    /// Base URLs of the cluster's members (`http(s)://host:port`, no trailing slash), tried in turn.
    public var endpoints: [String]
    /// APISIX's `etcd.prefix`.
    public var prefix: String = SettingDefaults.etcdPrefix
    public var username: String?
    /// The password (secret: never logged, never shown in state); read from `--apisix.etcd-password-file`.
    public var password: String?
    /// PEM file of the certificate authorities that sign the members' certificates (else the system's).
    public var caFile: String?
    /// PEM files of a client certificate and its key, for etcd's `--client-cert-auth`.
    public var certFile: String?
    public var keyFile: String?
    /// The name https members' certificates are checked against and sent as SNI and `Host`, instead of each member's
    /// own host (members reached by IP or by a name their certificate does not hold); a DNS name.
    public var tlsServerName: String?
    /// Seconds one unary call (authenticate, a range page) may take.
    public var requestTimeout: Double = 10
    /// Keys per range page.
    public var pageSize: Int = 1000
    /// The largest answer or watch message accepted.
    public var maxResponseBytes: Int = SettingDefaults.maxResponseBytes

    public init(endpoints: [String], prefix: String = SettingDefaults.etcdPrefix) {
        self.endpoints = endpoints
        self.prefix = prefix
    }

    /// What the names of etcd sources start with.
    public static let targetNamePrefix = "etcd:"

    /// The `apisix` label of the source: `etcd:` and the first member's host:port.
    public var targetName: String {
        Self.targetNamePrefix + (endpoints.first.flatMap { APISIXTarget.parse($0)?.name } ?? "unknown")
    }

    /// Without the password, whatever prints the settings.
    public var description: String { "EtcdSettings(\(redactedSummary))" }
    public var customMirror: Mirror { Mirror(self, children: ["summary": redactedSummary]) }

    /// Settings for the start-up log and `/api/v1/state`, without the password.
    public var redactedSummary: String {
        var parts = ["endpoints \(endpoints.joined(separator: ","))", "prefix \(prefix)"]
        if let username { parts.append("user \(username), password (set)") }
        if let caFile { parts.append("ca \(caFile)") }
        if let certFile { parts.append("cert \(certFile)") }
        if let tlsServerName { parts.append("server-name \(tlsServerName)") }
        return parts.joined(separator: " ")
    }
}
