import Foundation
import Yams

extension WebConfig {
    /// exporter-toolkit keys this exporter does not implement: an error naming the key, as unknown keys are.
    static let unsupportedKeys: Set<String> = [
        "http_server_config", "rate_limit",
        "tls_server_config.cert", "tls_server_config.key", "tls_server_config.client_ca",
        "tls_server_config.client_allowed_sans", "tls_server_config.cipher_suites",
        "tls_server_config.curve_preferences", "tls_server_config.prefer_server_cipher_suites",
    ]

    /// Reads and validates the file at `path`; relative file names in it are resolved against its directory.
    public static func load(path: String) throws(WebConfigError) -> WebConfig {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw WebConfigError(key: nil, "cannot read the file (missing or not readable)")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw WebConfigError(key: nil, "not UTF-8 text")
        }
        let directory = URL(fileURLWithPath: path).deletingLastPathComponent().path
        return try parse(yaml: text, directory: directory)
    }

    /// Parses and validates exporter-toolkit web configuration YAML. Unknown and unsupported keys are errors.
    ///
    /// - Parameter directory: the directory relative `cert_file`, `key_file` and `client_ca_file` are resolved in.
    public static func parse(yaml: String, directory: String) throws(WebConfigError) -> WebConfig {
        let root: Node?
        do {
            root = try Yams.compose(yaml: yaml)
        } catch {
            throw WebConfigError(key: nil, Self.describe(yamlError: error))
        }
        var config = WebConfig()
        guard let root, root.null == nil else { return config }  // an empty file: plain HTTP, no authentication
        for (key, value) in try mapping(root, key: nil) {
            switch key {
            case "tls_server_config":
                config.tls = try parseTLS(value, directory: directory)
            case "basic_auth_users":
                config.basicAuthUsers = try parseUsers(value)
            default:
                throw unknown(key)
            }
        }
        return config
    }

    private static func parseTLS(_ node: Node, directory: String) throws(WebConfigError) -> TLSServerConfig? {
        let prefix = "tls_server_config"
        if node.null != nil { return nil }
        var certFile: String?
        var keyFile: String?
        var clientCAFile: String?
        var clientAuth: String?
        var minVersion: TLSVersionName?
        var maxVersion: TLSVersionName?
        for (key, value) in try mapping(node, key: prefix) {
            let path = "\(prefix).\(key)"
            switch key {
            case "cert_file": certFile = try string(value, key: path)
            case "key_file": keyFile = try string(value, key: path)
            case "client_ca_file": clientCAFile = try string(value, key: path)
            case "client_auth_type": clientAuth = try string(value, key: path)
            case "min_version": minVersion = try version(value, key: path)
            case "max_version": maxVersion = try version(value, key: path)
            default: throw unknown(path)
            }
        }
        let authType: ClientAuthType
        switch clientAuth ?? "" {
        case "", "NoClientCert": authType = .noClientCert
        case "RequireClientCert": authType = .requireAnyClientCert  // exporter-toolkit's backward-compatible alias
        case let name:
            guard let type = ClientAuthType(rawValue: name) else {
                throw WebConfigError(
                    key: "\(prefix).client_auth_type",
                    "\"\(name)\" is not one of "
                        + ClientAuthType.allCases.map(\.rawValue).joined(separator: ", ")
                )
            }
            authType = type
        }
        let nothingSet =
            certFile == nil && keyFile == nil && clientCAFile == nil && clientAuth == nil && minVersion == nil
            && maxVersion == nil
        if nothingSet { return nil }  // `tls_server_config: {}`: TLS stays off, as with exporter-toolkit
        guard let certFile else { throw WebConfigError(key: "\(prefix).cert_file", "missing (key_file needs it)") }
        guard let keyFile else { throw WebConfigError(key: "\(prefix).key_file", "missing (cert_file needs it)") }
        if clientCAFile != nil, authType == .noClientCert {
            throw WebConfigError(
                key: "\(prefix).client_auth_type",
                "client_ca_file is set but client_auth_type is NoClientCert (set e.g. RequireAndVerifyClientCert)"
            )
        }
        if authType.verifies, clientCAFile == nil {
            throw WebConfigError(key: "\(prefix).client_ca_file", "required by client_auth_type \(authType.rawValue)")
        }
        if let minVersion, let maxVersion, maxVersion < minVersion {
            throw WebConfigError(key: "\(prefix).max_version", "\(maxVersion.rawValue) is below min_version")
        }
        return TLSServerConfig(
            certFile: resolve(certFile, in: directory),
            keyFile: resolve(keyFile, in: directory),
            clientCAFile: clientCAFile.map { resolve($0, in: directory) },
            clientAuthType: authType,
            minVersion: minVersion ?? .tls12,
            maxVersion: maxVersion
        )
    }

    private static func parseUsers(_ node: Node) throws(WebConfigError) -> [String: BcryptHash] {
        let prefix = "basic_auth_users"
        if node.null != nil { return [:] }
        var users: [String: BcryptHash] = [:]
        for (user, value) in try mapping(node, key: prefix) {
            guard !user.isEmpty, !user.contains(":") else {
                throw WebConfigError(key: prefix, "user names must be non-empty and must not contain ':'")
            }
            // The value is a secret: the message names the user, never the value.
            guard case .scalar = value, let text = value.string, let hash = BcryptHash(text) else {
                throw WebConfigError(
                    key: "\(prefix).\(user)",
                    "not a bcrypt hash ($2a$, $2b$ or $2y$, cost 04-31, 60 characters; e.g. from htpasswd -nBC 10)"
                )
            }
            users[user] = hash
        }
        return users
    }

    // MARK: YAML helpers

    private static func mapping(_ node: Node, key: String?) throws(WebConfigError) -> [(String, Node)] {
        guard case .mapping(let mapping) = node else {
            throw WebConfigError(key: key, "must be a mapping")
        }
        var seen: Set<String> = []
        var pairs: [(String, Node)] = []
        for (keyNode, value) in mapping {
            guard case .scalar(let scalar) = keyNode else {
                throw WebConfigError(key: key, "keys must be strings")
            }
            guard seen.insert(scalar.string).inserted else {
                throw WebConfigError(key: key.map { "\($0).\(scalar.string)" } ?? scalar.string, "duplicate key")
            }
            pairs.append((scalar.string, value))
        }
        return pairs
    }

    private static func string(_ node: Node, key: String) throws(WebConfigError) -> String {
        guard case .scalar(let scalar) = node, node.null == nil, !scalar.string.isEmpty else {
            throw WebConfigError(key: key, "must be a non-empty string")
        }
        return scalar.string
    }

    private static func version(_ node: Node, key: String) throws(WebConfigError) -> TLSVersionName {
        let name = try string(node, key: key)
        guard let version = TLSVersionName(rawValue: name) else {
            throw WebConfigError(key: key, "\"\(name)\" is not supported; use TLS12 or TLS13")
        }
        return version
    }

    private static func unknown(_ key: String) -> WebConfigError {
        if unsupportedKeys.contains(key) {
            return WebConfigError(key: key, "not supported by apisix-sync-exporter (see docs/web-config.md)")
        }
        return WebConfigError(key: key, "unknown key")
    }

    private static func resolve(_ path: String, in directory: String) -> String {
        if path.hasPrefix("/") || directory.isEmpty { return path }
        return URL(fileURLWithPath: directory).appendingPathComponent(path).path
    }

    /// A YAML syntax error as position and problem only: Yams' own description quotes the offending line, which
    /// could hold a hash.
    private static func describe(yamlError error: any Error) -> String {
        guard let yamlError = error as? YamlError else { return "not valid YAML" }
        switch yamlError {
        case .scanner(_, let problem, let mark, _), .parser(_, let problem, let mark, _),
            .composer(_, let problem, let mark, _):
            return "not valid YAML: \(problem) at line \(mark.line), column \(mark.column)"
        case .reader(let problem, _, _, _):
            return "not valid YAML: \(problem)"
        case .duplicatedKeysInMapping(_, let context):
            return "not valid YAML: duplicate key at line \(context.mark.line)"
        default:
            return "not valid YAML"
        }
    }
}
