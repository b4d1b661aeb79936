import AsyncHTTPClient
import Foundation
import NIOSSL

/// One etcd member as ``EtcdGatewayClient`` reaches it: the URL its requests go to and the HTTP client that
/// connects them. With a TLS server name, an https member's requests are addressed to the server name (so it is the
/// SNI, the `Host` and the name the certificate must hold) and the member's own client resolves that name to the
/// member's host; members without one share a client.
struct EtcdMember: Sendable {
    /// The member as `--apisix.etcd-endpoint` gives it (what logs and failover speak of).
    let endpoint: String
    /// What request paths are appended to: `endpoint`, or `https://<server name>:<port>`.
    let base: String
    let http: HTTPClient

    /// The members of `settings`, in order.
    static func members(_ settings: EtcdSettings, tls: TLSConfiguration?) -> [EtcdMember] {
        var shared: HTTPClient?
        return settings.endpoints.map { endpoint in
            if let serverName = settings.tlsServerName, let (host, port) = httpsHostAndPort(endpoint) {
                var configuration = configuration(tls: tls)
                configuration.dnsOverride = [serverName: host]
                return EtcdMember(
                    endpoint: endpoint,
                    base: "https://\(serverName)" + (port.map { ":\($0)" } ?? ""),
                    http: HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
                )
            }
            let http = shared ?? HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration(tls: tls))
            shared = http
            return EtcdMember(endpoint: endpoint, base: endpoint, http: http)
        }
    }

    private static func configuration(tls: TLSConfiguration?) -> HTTPClient.Configuration {
        var configuration = HTTPClient.Configuration(
            tlsConfiguration: tls,
            // Reads of the watch stream may be idle until the next event or progress notification (etcd sends one
            // every 10 minutes by default): a longer idle timeout still notices a connection that died silently.
            timeout: .init(connect: .seconds(5), read: .seconds(11 * 60))
        )
        configuration.httpVersion = .http1Only  // one watch per connection
        return configuration
    }

    /// The host (without an IPv6 literal's brackets) and port of an https URL; nil for any other.
    static func httpsHostAndPort(_ url: String) -> (host: String, port: Int?)? {
        guard let components = URLComponents(string: url), let host = components.httpsHost else { return nil }
        return (host, components.port)
    }
}
