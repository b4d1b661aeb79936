extension Task where Success == Never, Failure == Never {
    /// Sleeps for a number of seconds; throws `CancellationError` when the task is cancelled.
    static func sleep(seconds: Double) async throws {
        guard seconds > 0 else { return }
        try await Task.sleep(for: .nanoseconds(Int64(seconds * 1e9)))
    }
}
