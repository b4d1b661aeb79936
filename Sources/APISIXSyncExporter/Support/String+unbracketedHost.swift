import Foundation

extension String {
    /// The host without an IPv6 literal's brackets (`[::1]` is `::1`); any other host as it is.
    var unbracketedHost: String { hasPrefix("[") && hasSuffix("]") ? String(dropFirst().dropLast()) : self }
}

extension URLComponents {
    /// The host of an `https` URL without an IPv6 literal's brackets (some Foundations keep them in `host`, some do
    /// not); nil for another scheme or an empty host.
    var httpsHost: String? {
        guard scheme?.lowercased() == "https", let host, !host.isEmpty else { return nil }
        return host.unbracketedHost
    }
}
