/// A Kubernetes `Status` object, as sent for errors (decoded with ``JSONReader``: `KubernetesStatus.decode(_:)`).
public struct KubernetesStatus: Sendable, Equatable {
    /// `Failure` or `Success`.
    public var status: String?
    /// A human-readable description.
    public var message: String?
    /// A machine-readable reason, such as `Expired` or `TooManyRequests`.
    public var reason: String?
    /// The HTTP status code it stands for (410: the resourceVersion expired).
    public var code: Int?

    public init(status: String? = "Failure", message: String? = nil, reason: String? = nil, code: Int? = nil) {
        self.status = status
        self.message = message
        self.reason = reason
        self.code = code
    }
}
