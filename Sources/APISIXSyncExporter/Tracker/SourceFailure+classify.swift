import AsyncHTTPClient

extension SourceFailure {
    /// Maps a transport error to a failure reason, with a message that holds no secrets.
    static func classify(_ error: any Error) -> SourceFailure {
        if let failure = error as? SourceFailure { return failure }
        if let client = error as? HTTPClientError {
            switch client {
            case .deadlineExceeded, .readTimeout, .connectTimeout, .writeTimeout:
                return SourceFailure(.timeout, "\(client)")
            case .remoteConnectionClosed:
                return SourceFailure(.streamCut, "connection closed by the server")
            default:
                return SourceFailure(.connection, "\(client)")
            }
        }
        if error is CancellationError { return SourceFailure(.connection, "cancelled") }
        let text = String(describing: error)
        if text.contains("eadline") || text.contains("imeout") || text.contains("imedOut") {
            return SourceFailure(.timeout, text)
        }
        return SourceFailure(.connection, text)
    }
}
