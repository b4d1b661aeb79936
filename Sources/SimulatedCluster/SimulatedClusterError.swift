/// Errors thrown by the simulated cluster's fake servers.
public enum SimulatedClusterError: Error, Sendable, Equatable, CustomStringConvertible {
    /// A `wait…` call did not see its condition become true before its timeout.
    case timedOut(waitingFor: String)
    /// A fake server could not bind its listening socket or stopped before it was listening.
    case serverFailedToStart(String)

    /// A human-readable description of the error.
    public var description: String {
        switch self {
        case .timedOut(let what):
            return "timed out waiting for \(what)"
        case .serverFailedToStart(let reason):
            return "fake server failed to start: \(reason)"
        }
    }
}
