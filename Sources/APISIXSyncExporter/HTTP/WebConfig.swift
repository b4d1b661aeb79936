/// The `--web.config.file` contents: the subset of the Prometheus exporter-toolkit web configuration this exporter
/// supports (see `docs/web-config.md`). Parsed and validated by ``WebConfig/parse(yaml:directory:)``.
///
/// Bcrypt hashes are secrets: neither `description` nor a mirror of this value shows them.
public struct WebConfig: Sendable, Equatable, CustomStringConvertible, CustomReflectable {
    /// `tls_server_config`; nil serves plain HTTP.
    public var tls: TLSServerConfig?
    /// `basic_auth_users`: user name to bcrypt hash; empty means no authentication.
    public var basicAuthUsers: [String: BcryptHash]

    public init(tls: TLSServerConfig? = nil, basicAuthUsers: [String: BcryptHash] = [:]) {
        self.tls = tls
        self.basicAuthUsers = basicAuthUsers
    }

    /// Every path the configuration reads, besides the configuration file itself: watched for changes.
    public var referencedFiles: [String] {
        guard let tls else { return [] }
        return [tls.certFile, tls.keyFile] + (tls.clientCAFile.map { [$0] } ?? [])
    }

    public var description: String {
        var parts: [String] = []
        if let tls {
            parts.append(
                "tls(cert_file=\(tls.certFile) key_file=\(tls.keyFile) client_ca_file=\(tls.clientCAFile ?? "-") "
                    + "client_auth_type=\(tls.clientAuthType.rawValue) min_version=\(tls.minVersion.rawValue) "
                    + "max_version=\(tls.maxVersion?.rawValue ?? "-"))"
            )
        } else {
            parts.append("tls(off)")
        }
        parts.append("basic_auth_users=\(basicAuthUsers.keys.sorted().joined(separator: ","))")
        return "WebConfig(" + parts.joined(separator: " ") + ")"
    }

    public var customMirror: Mirror { Mirror(self, children: ["description": description]) }
}
