/// Whether a source answers, and since when; logs only transitions.
struct SourceHealth: Sendable {
    var up = false
    var everSucceeded = false
    var lastSuccess: Timestamp?
    var lastFailure: SourceFailure?
    /// Failed requests since start.
    var errors = 0

    /// Records a success; returns true when the source came back (or answered for the first time).
    mutating func succeeded(at time: Timestamp) -> Bool {
        lastSuccess = time
        everSucceeded = true
        lastFailure = nil
        defer { up = true }
        return !up
    }

    /// Records a failure; returns true when this is a new state (up before, or a different reason).
    mutating func failed(_ failure: SourceFailure) -> Bool {
        errors += 1
        defer {
            up = false
            lastFailure = failure
        }
        return up || lastFailure?.reason != failure.reason
    }
}
