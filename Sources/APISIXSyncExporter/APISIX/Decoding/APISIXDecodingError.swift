/// Why an APISIX response body was rejected: which API answered and what was wrong with the body.
///
/// The reason names what the body looked like ("an HTML error page", "a JSON object with keys …", "an error response
/// \"Unsupported resource type: configs\"") so an operator can tell a wrong URL from a wrong mode from a broken proxy.
/// Reasons about the Kubernetes discovery dump never quote the body: it echoes the discovery configuration, which can
/// hold a token.
public struct APISIXDecodingError: Error, CustomStringConvertible, Sendable, Equatable {
    /// The API whose response was rejected.
    public enum API: String, Sendable, Equatable {
        case adminAPI = "Admin API"
        case standaloneConfig = "standalone /apisix/admin/configs"
        case controlAPI = "Control API"
        case kubernetesDiscoveryDump = "Kubernetes discovery dump"
    }

    /// The API whose response was rejected.
    public let api: API
    /// What was wrong, naming what the body looked like.
    public let reason: String

    public init(_ api: API, reason: String) {
        self.api = api
        self.reason = reason
    }

    public var description: String { "unexpected \(api.rawValue) response: \(reason)" }
}
