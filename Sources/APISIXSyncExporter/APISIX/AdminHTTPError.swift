/// Why a request on an ``AdminHTTPConnection`` failed; ``failure`` is what callers count it as.
enum AdminHTTPError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The body exceeds the limit; the connection is closed rather than read to the end.
    case tooLarge(limit: Int)
    /// No complete answer before the request's deadline; the connection is closed.
    case timeout
    /// The connection closed before any byte of the answer arrived: the request may be sent again on a new one.
    case closedBeforeResponse
    /// The connection closed while the answer was arriving.
    case closedMidResponse
    /// The caller gave up (its task was cancelled).
    case cancelled
    /// The bytes were not HTTP/1.1.
    case invalidResponse(String)
    /// TLS failed: the handshake (an untrusted certificate, a name mismatch) or the record layer.
    case tls(String)

    var description: String {
        switch self {
        case .tooLarge(let limit): "response body larger than \(limit) bytes"
        case .timeout: "deadline exceeded"
        case .closedBeforeResponse, .closedMidResponse: "connection closed by the server"
        case .cancelled: "cancelled"
        case .invalidResponse(let reason): "invalid HTTP response: \(reason)"
        case .tls(let reason): "TLS: \(reason)"
        }
    }

    /// The reasons and messages the AsyncHTTPClient path had (see `SourceFailure.classify`).
    var failure: SourceFailure {
        switch self {
        case .tooLarge: SourceFailure(.tooLarge, description)
        case .timeout: SourceFailure(.timeout, description)
        case .closedBeforeResponse, .closedMidResponse: SourceFailure(.streamCut, description)
        case .cancelled, .invalidResponse, .tls: SourceFailure(.connection, description)
        }
    }
}
