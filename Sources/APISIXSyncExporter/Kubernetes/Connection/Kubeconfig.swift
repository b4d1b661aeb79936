/// The parts of a kubeconfig file (`apiVersion: v1`, `kind: Config`) that a connection is built from.
/// Unknown fields are ignored.
struct Kubeconfig: Decodable, Sendable {
    var currentContext: String?
    var clusters: [NamedCluster]?
    var contexts: [NamedContext]?
    var users: [NamedUser]?

    enum CodingKeys: String, CodingKey {
        case currentContext = "current-context"
        case clusters
        case contexts
        case users
    }

    /// An entry of `clusters`.
    struct NamedCluster: Decodable, Sendable {
        var name: String
        var cluster: Cluster?
    }

    /// An entry of `contexts`.
    struct NamedContext: Decodable, Sendable {
        var name: String
        var context: Context?
    }

    /// An entry of `users`.
    struct NamedUser: Decodable, Sendable {
        var name: String
        var user: User?
    }

    /// `clusters[].cluster`.
    struct Cluster: Decodable, Sendable {
        var server: String?
        var certificateAuthority: String?
        var certificateAuthorityData: String?
        var insecureSkipTLSVerify: Bool?
        var tlsServerName: String?
        var proxyURL: String?

        enum CodingKeys: String, CodingKey {
            case server
            case certificateAuthority = "certificate-authority"
            case certificateAuthorityData = "certificate-authority-data"
            case insecureSkipTLSVerify = "insecure-skip-tls-verify"
            case tlsServerName = "tls-server-name"
            case proxyURL = "proxy-url"
        }
    }

    /// `contexts[].context`.
    struct Context: Decodable, Sendable {
        var cluster: String?
        var user: String?
        var namespace: String?
    }

    /// `users[].user`.
    struct User: Decodable, Sendable {
        var token: String?
        var tokenFile: String?
        var clientCertificate: String?
        var clientCertificateData: String?
        var clientKey: String?
        var clientKeyData: String?
        var username: String?
        var password: String?
        var exec: Exec?
        var authProvider: AuthProvider?
        var impersonate: String?

        enum CodingKeys: String, CodingKey {
            case token
            case tokenFile
            case clientCertificate = "client-certificate"
            case clientCertificateData = "client-certificate-data"
            case clientKey = "client-key"
            case clientKeyData = "client-key-data"
            case username
            case password
            case exec
            case authProvider = "auth-provider"
            case impersonate = "as"
        }
    }

    /// `users[].user.exec`: a client-go credential plugin.
    struct Exec: Decodable, Sendable {
        var command: String?
        var args: [String]?
        var env: [EnvVar]?
        var apiVersion: String?
        var installHint: String?
        var provideClusterInfo: Bool?
        var interactiveMode: String?
    }

    /// An entry of `exec.env`.
    struct EnvVar: Decodable, Sendable {
        var name: String?
        var value: String?
    }

    /// `users[].user.auth-provider` (legacy, unsupported); only its name is read, for the error message.
    struct AuthProvider: Decodable, Sendable {
        var name: String?
    }
}
