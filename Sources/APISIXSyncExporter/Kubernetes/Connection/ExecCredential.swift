import Foundation

/// The `client.authentication.k8s.io` ExecCredential objects exchanged with a credential plugin.
enum ExecCredential {
    /// The API versions of the exec protocol this package speaks.
    static let supportedAPIVersions = [
        "client.authentication.k8s.io/v1",
        "client.authentication.k8s.io/v1beta1",
    ]

    /// The cluster details sent to plugins that set `provideClusterInfo: true`.
    struct Cluster: Encodable, Sendable {
        var server: String
        var certificateAuthorityData: String?
        var insecureSkipTLSVerify: Bool?
        var tlsServerName: String?

        enum CodingKeys: String, CodingKey {
            case server
            case certificateAuthorityData = "certificate-authority-data"
            case insecureSkipTLSVerify = "insecure-skip-tls-verify"
            case tlsServerName = "tls-server-name"
        }
    }

    /// The object passed to the plugin in `KUBERNETES_EXEC_INFO`.
    struct Request: Encodable {
        struct Spec: Encodable {
            var cluster: Cluster?
            var interactive: Bool
        }

        var apiVersion: String
        var kind = "ExecCredential"
        var spec: Spec
    }

    /// The object the plugin prints on stdout.
    struct Response: Decodable {
        struct Status: Decodable {
            var token: String?
            var expirationTimestamp: String?
            var clientCertificateData: String?
            var clientKeyData: String?
        }

        var apiVersion: String?
        var kind: String?
        var status: Status?
    }

    /// A token returned by a plugin, with its expiry (`nil`: valid until invalidated).
    struct Token: Sendable {
        var token: String
        var expiry: Date?
    }

    /// The JSON for `KUBERNETES_EXEC_INFO`, e.g.
    /// `{"apiVersion":"client.authentication.k8s.io/v1","kind":"ExecCredential","spec":{"interactive":false}}`.
    /// - Parameters:
    ///   - apiVersion: The plugin's configured API version.
    ///   - cluster: The cluster details, when the plugin asked for them.
    static func execInfo(apiVersion: String, cluster: Cluster?) -> String {
        let request = Request(apiVersion: apiVersion, spec: .init(cluster: cluster, interactive: false))
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        // Encoding strings and booleans cannot fail.
        let data = (try? encoder.encode(request)) ?? Data()
        return String(decoding: data, as: UTF8.self)
    }

    /// Extracts the token from a plugin's stdout. Errors never quote stdout, which holds the credential.
    /// - Parameters:
    ///   - stdout: What the plugin printed.
    ///   - apiVersion: The API version the plugin was configured with.
    ///   - command: The plugin's command, for error messages.
    static func token(from stdout: Data, apiVersion: String, command: String) throws -> Token {
        let response: Response
        do {
            response = try JSONDecoder().decode(Response.self, from: stdout)
        } catch {
            throw KubernetesConnectionError("exec plugin '\(command)' did not print a valid ExecCredential JSON object")
        }
        if let kind = response.kind, kind != "ExecCredential" {
            throw KubernetesConnectionError("exec plugin '\(command)' returned kind '\(kind)', expected ExecCredential")
        }
        if let version = response.apiVersion, version != apiVersion {
            throw KubernetesConnectionError(
                "exec plugin '\(command)' returned apiVersion '\(version)' but is configured with '\(apiVersion)'"
            )
        }
        guard let status = response.status else {
            throw KubernetesConnectionError("exec plugin '\(command)' returned no status")
        }
        if nonEmpty(status.clientCertificateData) != nil || nonEmpty(status.clientKeyData) != nil {
            throw KubernetesConnectionError(
                "exec plugin '\(command)' returned a client certificate (status.clientCertificateData), "
                    + "which is not supported; use a plugin that returns status.token"
            )
        }
        guard let token = nonEmpty(status.token) else {
            throw KubernetesConnectionError("exec plugin '\(command)' returned no status.token")
        }
        guard KubernetesConnectionFiles.isValidHeaderToken(token) else {
            throw KubernetesConnectionError("exec plugin '\(command)' returned a token with control characters")
        }
        var expiry: Date?
        if let timestamp = nonEmpty(status.expirationTimestamp) {
            guard let date = parseRFC3339(timestamp) else {
                throw KubernetesConnectionError(
                    "exec plugin '\(command)' returned status.expirationTimestamp '\(timestamp)', "
                        + "which is not an RFC 3339 time"
                )
            }
            expiry = date
        }
        return Token(token: token, expiry: expiry)
    }

    /// Parses an RFC 3339 time such as `2024-05-01T12:00:00Z` or `2024-05-01T12:00:00.123+02:00`.
    static func parseRFC3339(_ text: String) -> Date? {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        if let date = formatter.date(from: text) {
            return date
        }
        formatter.formatOptions = [.withInternetDateTime]
        return formatter.date(from: text)
    }

    private static func nonEmpty(_ value: String?) -> String? {
        guard let value, !value.isEmpty else { return nil }
        return value
    }
}
