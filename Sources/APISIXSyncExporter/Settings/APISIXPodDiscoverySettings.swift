/// `--apisix.discover-pods` and its companions: how to find APISIX pods through the Kubernetes API and reach each.
public struct APISIXPodDiscoverySettings: Sendable, Equatable {
    /// Label selector on the EndpointSlices of the APISIX Service (slices carry their Service's labels).
    public var selector: String
    /// Namespace of the APISIX Service.
    public var namespace: String
    /// The Admin API port on each pod: a number, or the name of a port of the slices.
    public var adminPort: PortReference = .number(SettingDefaults.discoveredAdminPort)
    /// `http` or `https`.
    public var adminScheme: String = SettingDefaults.discoveredAdminScheme
    /// The Control API port on each pod (it must listen on the pod IP, not 127.0.0.1); nil reads no Control API.
    public var controlPort: PortReference?

    public init(selector: String, namespace: String) {
        self.selector = selector
        self.namespace = namespace
    }

    /// A port by number or by the name of an EndpointSlice port.
    public enum PortReference: Sendable, Equatable, CustomStringConvertible {
        case number(Int)
        case name(String)

        /// `9180` or `apisix-admin`; nil for anything else (a number outside 1-65535, an empty name).
        public init?(parsing text: String) {
            if let number = Int(text) {
                guard (1...65_535).contains(number) else { return nil }
                self = .number(number)
                return
            }
            guard (1...63).contains(text.count),
                text.allSatisfy({ $0.isASCII && ($0.isLowercase || $0.isNumber || $0 == "-") }),
                text.first != "-", text.last != "-"
            else { return nil }
            self = .name(text)
        }

        public var description: String {
            switch self {
            case .number(let number): "\(number)"
            case .name(let name): name
            }
        }

        /// The port number on a pod of `slice`: the number itself, or the slice's port of that name.
        func resolve(in slice: EndpointSlice) -> Int? {
            switch self {
            case .number(let number): number
            case .name(let name): slice.ports.first { $0.name == name }?.port
            }
        }
    }
}
