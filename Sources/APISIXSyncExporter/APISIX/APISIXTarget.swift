import Foundation

/// One APISIX instance the exporter polls: its Admin API, its Control API, or both, and the view lag is measured
/// against. Named (label `apisix`) `host:port` of its first URL, or the Pod name when found by pod discovery.
public struct APISIXTarget: Sendable, Hashable, CustomStringConvertible {
    /// The Admin API base URL without a trailing slash; nil for a Control-API-only target.
    public let adminURL: String?
    /// The Control API base URL without a trailing slash (e.g. `http://127.0.0.1:9090`); nil without one.
    public let controlURL: String?
    /// The `apisix` label value.
    public let name: String
    /// What lag is measured against: the workers' view (Control API) or what is stored (Admin API).
    public let view: APISIXView

    /// Parses an Admin API URL; nil unless it is an absolute http(s) URL with a host.
    public init?(adminURL: String) {
        self.init(adminURL: adminURL, controlURL: nil)
    }

    /// A target from its URLs (at least one); nil unless each given URL is an absolute http(s) URL with a host and
    /// no credentials or query. `view` nil picks the Control API when there is one (the workers' view), else the
    /// Admin API; a view whose URL is missing is nil too. `name` nil names it after its first URL's `host:port`.
    public init?(adminURL: String?, controlURL: String?, view: APISIXView? = nil, name: String? = nil) {
        var admin: (url: String, name: String)?
        var control: (url: String, name: String)?
        if let adminURL {
            guard let parsed = Self.parse(adminURL) else { return nil }
            admin = parsed
        }
        if let controlURL {
            guard let parsed = Self.parse(controlURL) else { return nil }
            control = parsed
        }
        guard let first = admin ?? control else { return nil }
        let resolved = view ?? (control == nil ? .admin : .control)
        guard resolved == .admin ? admin != nil : control != nil else { return nil }
        self.adminURL = admin?.url
        self.controlURL = control?.url
        self.name = name ?? first.name
        self.view = resolved
    }

    /// `(url without trailing slash, host:port)` of an absolute http(s) URL with a host, no credentials, no query.
    public static func parse(_ url: String) -> (url: String, name: String)? {
        var text = url
        while text.hasSuffix("/") { text.removeLast() }
        guard let components = URLComponents(string: text), let scheme = components.scheme?.lowercased(),
            scheme == "http" || scheme == "https", let host = components.host, !host.isEmpty,
            components.query == nil, components.user == nil
        else { return nil }
        let port = components.port ?? (scheme == "https" ? 443 : 80)
        let bare = host.unbracketedHost
        return (text, bare.contains(":") ? "[\(bare)]:\(port)" : "\(bare):\(port)")
    }

    public var description: String { name }
}

/// Which of a target's APIs the lag is measured against (`--apisix.view`).
public enum APISIXView: String, Sendable, Hashable, CaseIterable {
    /// The Admin API: what is stored in etcd or in the standalone config.
    case admin
    /// The Control API: what the workers route with (`/v1/upstreams`).
    case control
}
