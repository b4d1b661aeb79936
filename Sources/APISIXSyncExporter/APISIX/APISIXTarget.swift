import Foundation

/// One APISIX instance the exporter polls, named `host:port` in metrics (label `apisix`).
public struct APISIXTarget: Sendable, Hashable, CustomStringConvertible {
    /// The Admin API base URL without a trailing slash.
    public let adminURL: String
    /// `host:port` of the URL.
    public let name: String

    /// Parses an Admin API URL; nil unless it is an absolute http(s) URL with a host.
    public init?(adminURL: String) {
        var text = adminURL
        while text.hasSuffix("/") { text.removeLast() }
        guard let components = URLComponents(string: text), let scheme = components.scheme?.lowercased(),
            scheme == "http" || scheme == "https", let host = components.host, !host.isEmpty,
            components.query == nil, components.user == nil
        else { return nil }
        let port = components.port ?? (scheme == "https" ? 443 : 80)
        self.adminURL = text
        self.name = host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)"
    }

    public var description: String { name }
}
