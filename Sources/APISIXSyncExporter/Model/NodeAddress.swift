/// One backend as both Kubernetes and APISIX name it: an IP (or host) and a port.
public struct NodeAddress: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// The host without brackets (`10.0.0.1`, `fd00::1`).
    public let host: String
    public let port: Int

    public init(host: String, port: Int) {
        let host = host.unbracketedHost
        // IPs (the common case) need no case mapping; lowercased() goes through ICU.
        let needsLowercasing = host.utf8.contains { $0 >= UInt8(ascii: "A") && $0 <= UInt8(ascii: "Z") || $0 >= 0x80 }
        self.host = needsLowercasing ? host.lowercased() : host
        self.port = port
    }

    /// Parses `ip:port` or `[v6]:port`, the form of APISIX hash-node keys; nil when there is no valid port.
    public init?(parsing text: String) {
        guard let colon = text.lastIndex(of: ":") else { return nil }
        let hostPart = String(text[..<colon])
        guard let port = Int(text[text.index(after: colon)...]), (0...65_535).contains(port), !hostPart.isEmpty else {
            return nil
        }
        if hostPart.contains(":"), !(hostPart.hasPrefix("[") && hostPart.hasSuffix("]")) { return nil }
        self.init(host: hostPart, port: port)
    }

    /// `ip:port`, with brackets around IPv6 addresses.
    public var description: String { host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)" }

    public static func < (lhs: NodeAddress, rhs: NodeAddress) -> Bool {
        (lhs.host, lhs.port) < (rhs.host, rhs.port)
    }
}
