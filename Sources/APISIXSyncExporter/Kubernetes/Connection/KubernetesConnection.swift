import NIOSSL

/// Where the Kubernetes API is and how to authenticate to it.
///
/// Build one with ``resolve(kubeconfigPath:context:environment:inClusterFiles:)``, which follows the same rules as
/// client-go based exporters: the pod's service account when running in a cluster, otherwise a kubeconfig.
public struct KubernetesConnection: Sendable {
    /// The API server's base URL without a trailing slash, e.g. `https://10.0.0.1:443` or `http://127.0.0.1:8001`.
    /// It may carry a path prefix (Rancher-style proxies).
    public var server: String
    /// TLS settings (trust roots, client certificate, verification) for `https://` servers; `nil` for `http://`.
    public var tlsConfiguration: TLSConfiguration?
    /// The name the server's certificate is checked against and sent as SNI and `Host`, instead of the server's
    /// host (kubeconfig `tls-server-name`); `nil` for the host.
    public var tlsServerName: String?
    /// Supplies the `Authorization` header for each request.
    public var credentials: any KubernetesCredentialSource
    /// A human-readable summary for logs, e.g. `in-cluster (https://10.0.0.1:443)`. Never contains secrets.
    public var description: String

    /// Creates a connection from its parts.
    /// - Parameters:
    ///   - server: The API server's base URL, without a trailing slash.
    ///   - tlsConfiguration: TLS settings for `https://` servers; `nil` for `http://`.
    ///   - tlsServerName: The name the certificate is checked against, if not the server's host.
    ///   - credentials: Supplies the `Authorization` header.
    ///   - description: A summary for logs; must not contain secrets.
    public init(
        server: String,
        tlsConfiguration: TLSConfiguration?,
        tlsServerName: String? = nil,
        credentials: any KubernetesCredentialSource,
        description: String
    ) {
        self.server = server
        self.tlsConfiguration = tlsConfiguration
        self.tlsServerName = tlsServerName
        self.credentials = credentials
        self.description = description
    }
}

extension KubernetesConnection: CustomStringConvertible {}
