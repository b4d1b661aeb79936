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

/// `tls_server_config`. File paths are absolute (relative ones are resolved against the config file's directory).
public struct TLSServerConfig: Sendable, Equatable {
    public var certFile: String
    public var keyFile: String
    public var clientCAFile: String?
    public var clientAuthType: ClientAuthType
    public var minVersion: TLSVersionName
    public var maxVersion: TLSVersionName?

    public init(
        certFile: String,
        keyFile: String,
        clientCAFile: String? = nil,
        clientAuthType: ClientAuthType = .noClientCert,
        minVersion: TLSVersionName = .tls12,
        maxVersion: TLSVersionName? = nil
    ) {
        self.certFile = certFile
        self.keyFile = keyFile
        self.clientCAFile = clientCAFile
        self.clientAuthType = clientAuthType
        self.minVersion = minVersion
        self.maxVersion = maxVersion
    }
}

/// `client_auth_type`, with Go's `crypto/tls` meanings.
public enum ClientAuthType: String, Sendable, CaseIterable {
    /// No client certificate is requested.
    case noClientCert = "NoClientCert"
    /// A certificate is requested but neither required nor verified.
    case requestClientCert = "RequestClientCert"
    /// A certificate is required but not verified.
    case requireAnyClientCert = "RequireAnyClientCert"
    /// A certificate, if sent, must be signed by `client_ca_file`.
    case verifyClientCertIfGiven = "VerifyClientCertIfGiven"
    /// A certificate signed by `client_ca_file` is required.
    case requireAndVerifyClientCert = "RequireAndVerifyClientCert"

    /// Whether certificates are checked against `client_ca_file`.
    public var verifies: Bool { self == .verifyClientCertIfGiven || self == .requireAndVerifyClientCert }
}

/// `min_version` / `max_version`.
public enum TLSVersionName: String, Sendable, CaseIterable, Comparable {
    case tls12 = "TLS12"
    case tls13 = "TLS13"

    public static func < (lhs: Self, rhs: Self) -> Bool { lhs == .tls12 && rhs == .tls13 }
}

/// A bcrypt hash from `basic_auth_users`: a secret, never shown by `description` or a mirror.
public struct BcryptHash: Sendable, Equatable, CustomStringConvertible, CustomReflectable {
    /// The hash, `$2a$`, `$2b$` or `$2y$`, cost 04-31, 60 characters.
    public let value: String

    /// Nil unless `value` is a well-formed bcrypt hash.
    public init?(_ value: String) {
        guard Bcrypt.isWellFormed(value) else { return nil }
        self.value = value
    }

    public var description: String { "<bcrypt hash>" }
    public var customMirror: Mirror { Mirror(self, children: []) }
}

/// A problem in the web configuration: names the key, never shows a value that could be a secret.
public struct WebConfigError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The dotted key, e.g. `tls_server_config.client_auth_type`; nil for problems with the whole file.
    public let key: String?
    public let problem: String

    public init(key: String?, _ problem: String) {
        self.key = key
        // One line, always: the command line prints it as a single line.
        self.problem = problem.split(whereSeparator: \.isNewline).joined(separator: " ")
    }

    public var description: String { key.map { "\($0): \(problem)" } ?? problem }
}
