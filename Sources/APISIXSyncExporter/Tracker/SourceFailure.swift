/// A failed request to Kubernetes or APISIX, with the `reason` label it is counted under.
public struct SourceFailure: Error, Sendable, Equatable, CustomStringConvertible {
    /// The `reason` label of `apisix_sync_source_errors_total`.
    public enum Reason: String, Sendable, CaseIterable {
        case connection
        case timeout
        case unauthorized
        case forbidden
        case notFound = "not_found"
        case rateLimited = "rate_limited"
        case serverError = "server_error"
        case clientError = "client_error"
        case badResponse = "bad_response"
        case tooLarge = "too_large"
        case expired
        case streamCut = "stream_cut"
    }

    public var reason: Reason
    /// A one-line explanation, free of secrets.
    public var message: String
    /// Seconds the server asked to wait (`Retry-After`).
    public var retryAfter: Double?

    public init(_ reason: Reason, _ message: String, retryAfter: Double? = nil) {
        self.reason = reason
        self.message = message
        self.retryAfter = retryAfter
    }

    public var description: String { "\(reason.rawValue): \(message)" }

    /// The reason for an HTTP status code that is not a success.
    public static func reason(forStatus status: Int) -> Reason {
        switch status {
        case 401: .unauthorized
        case 403: .forbidden
        case 404: .notFound
        case 410: .expired
        case 413: .tooLarge
        case 429: .rateLimited
        case 500...: .serverError
        default: .clientError
        }
    }
}
