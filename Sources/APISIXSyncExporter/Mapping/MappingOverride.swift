/// `--map namespace/service:portName=upstreamID`: pins an upstream to a Service port.
public struct MappingOverride: Sendable, Equatable, CustomStringConvertible {
    public var key: ServicePortKey
    public var upstreamID: String

    public init(key: ServicePortKey, upstreamID: String) {
        self.key = key
        self.upstreamID = upstreamID
    }

    /// Parses `namespace/service:portName=upstreamID`; nil when malformed.
    public init?(parsing text: String) {
        guard let equals = text.lastIndex(of: "=") else { return nil }
        let id = String(text[text.index(after: equals)...])
        guard !id.isEmpty, let key = Self.parseKey(String(text[..<equals])) else { return nil }
        self.init(key: key, upstreamID: id)
    }

    /// Parses `namespace/service:portName` (the port name may be empty for an unnamed port).
    public static func parseKey(_ text: String) -> ServicePortKey? {
        guard let slash = text.firstIndex(of: "/"), let colon = text.lastIndex(of: ":"), slash < colon else {
            return nil
        }
        let namespace = String(text[..<slash])
        let service = String(text[text.index(after: slash)..<colon])
        let port = String(text[text.index(after: colon)...])
        guard !namespace.isEmpty, !service.isEmpty, !service.contains("/") else { return nil }
        return ServicePortKey(namespace: namespace, service: service, port: port)
    }

    public var description: String { "\(key)=\(upstreamID)" }
}
