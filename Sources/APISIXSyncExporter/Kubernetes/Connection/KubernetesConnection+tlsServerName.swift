import Foundation

extension KubernetesConnection {
    /// What request paths are appended to: ``server``, or with a ``tlsServerName`` the same URL with that name as
    /// its host (so it is the SNI, the `Host` and the name the certificate must hold), which ``dnsOverride`` maps to
    /// the server's host.
    public var requestServer: String {
        guard let target = tlsServerTarget, var components = URLComponents(string: server) else { return server }
        components.host = target.name
        return components.string ?? server
    }

    /// The HTTP client's DNS override: the TLS server name to the server's host; empty without a name.
    public var dnsOverride: [String: String] {
        tlsServerTarget.map { [$0.name: $0.host] } ?? [:]
    }

    /// The TLS server name and the host it stands for, for an https server with a name.
    private var tlsServerTarget: (name: String, host: String)? {
        guard let tlsServerName, let host = URLComponents(string: server)?.httpsHost else { return nil }
        return (tlsServerName, host)
    }

    /// A kubeconfig's `tls-server-name`: a DNS name, lower-cased. Not an IP address: without a name to send, the
    /// certificate is checked against the address connected to.
    static func tlsServerName(_ name: String, what: String) throws -> String {
        guard !FlagValue.isIPAddress(name) else {
            throw KubernetesConnectionError(
                "\(what) tls-server-name '\(name)' is an IP address, which is not supported; give a DNS name the "
                    + "server's certificate holds"
            )
        }
        guard FlagValue.isDNSName(name) else {
            throw KubernetesConnectionError("\(what) tls-server-name '\(name)' is not a DNS name")
        }
        return name.lowercased()
    }
}
