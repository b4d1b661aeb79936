extension Task where Success == Never, Failure == Never {
    /// Sleeps for a number of seconds (NaN and negative: not at all; at most a day, so that no value can overflow the
    /// nanosecond count); throws `CancellationError` when the task is cancelled.
    static func sleep(seconds: Double) async throws {
        guard seconds > 0 else { return }
        try await Task.sleep(for: .nanoseconds(Int64(min(seconds, 86_400) * 1e9)))
    }
}
