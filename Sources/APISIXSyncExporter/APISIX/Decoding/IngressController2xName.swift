/// What an apisix-ingress-controller 2.x object name says. 2.x names services, routes and (since ADC 0.22, which
/// splits a service's inline upstream out under the service's id and name) upstreams after the **route** object, so
/// only extra traffic-split backends of an HTTPRoute name the Kubernetes Service.
///
/// Forms (`api/adc/types.go` `Compose*Name`, `internal/adc/translator/*.go`):
/// - `Service_<ns>_<svc>_<port>`: an extra HTTPRoute backend; `port` is the Service port of the backendRef (0 when
///   the backendRef had none).
/// - `<ns>_<route>_<rule>`: HTTPRoute or ApisixRoute rule (service, and its split upstream);
///   `<ns>_<route>_<rule>-<match>`: HTTPRoute route, Ingress service and route;
///   `<ns>_<route>_<rule>_grpc` (GRPCRoute), `<ns>_<route>_<rule>_TCP` (TCPRoute).
/// - `<ns>_<route>_<rule>_<backend>`: an extra ApisixRoute backend.
///
/// Kubernetes names cannot contain `_`, so the split is unambiguous, but `<ns>_<route>_<rule>` has the shape of a 1.x
/// `<ns>_<svc>_<servicePort>` and `<ns>_<route>_<rule>_<backend>` that of a 1.x `<ns>_<svc>_<subset>_<port>` with a
/// numeric subset: the name alone cannot tell 1.x from 2.x there.
public enum IngressController2xName: Sendable, Equatable, Hashable {
    /// The protocol suffix of GRPCRoute and TCPRoute names.
    public enum Suffix: String, Sendable, Hashable {
        case grpc
        case tcp = "TCP"
    }

    /// `Service_<ns>_<svc>_<port>`.
    case serviceBackend(service: ServiceKey, port: Int)
    /// `<ns>_<route>_<rule>[-<match>][_grpc|_TCP]`.
    case routeRule(namespace: String, route: String, rule: Int, match: Int?, suffix: Suffix?)
    /// `<ns>_<route>_<rule>_<backend>`.
    case apisixRouteBackend(namespace: String, route: String, rule: Int, backend: Int)

    /// The Service port this name pins, when it names one (`Service_<ns>_<svc>_<port>` only).
    public var serviceBackend: (service: ServiceKey, port: Int)? {
        if case .serviceBackend(let service, let port) = self { return (service, port) }
        return nil
    }
}

extension UpstreamMapper {
    /// Parses an apisix-ingress-controller 2.x name (see ``IngressController2xName``); nil for other names.
    public static func ingressController2xName(_ name: String) -> IngressController2xName? {
        guard let parts = underscoreParts(name) else { return nil }
        if parts[0] == "Service" {
            guard parts.count == 4, let port = index(parts[3]), port <= 65_535 else { return nil }
            return .serviceBackend(service: ServiceKey(namespace: String(parts[1]), name: String(parts[2])), port: port)
        }
        guard let (rule, match) = ruleAndMatch(parts[2]) else { return nil }
        let (namespace, route) = (String(parts[0]), String(parts[1]))
        if parts.count == 3 {
            return .routeRule(namespace: namespace, route: route, rule: rule, match: match, suffix: nil)
        }
        if let suffix = IngressController2xName.Suffix(rawValue: String(parts[3])) {
            return .routeRule(namespace: namespace, route: route, rule: rule, match: match, suffix: suffix)
        }
        guard match == nil, let backend = index(parts[3]) else { return nil }
        return .apisixRouteBackend(namespace: namespace, route: route, rule: rule, backend: backend)
    }

    /// `N` or `N-M`.
    private static func ruleAndMatch(_ text: Substring) -> (Int, Int?)? {
        guard let dash = text.firstIndex(of: "-") else { return index(text).map { ($0, nil) } }
        let rest = text[text.index(after: dash)...]
        guard !rest.contains("-"), let rule = index(text[..<dash]), let match = index(rest) else { return nil }
        return (rule, match)
    }

    /// A decimal index without sign or leading zeros.
    private static func index(_ text: Substring) -> Int? {
        guard !text.isEmpty, text.utf8.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }),
            text == "0" || !text.hasPrefix("0")
        else { return nil }
        return Int(text)
    }
}
