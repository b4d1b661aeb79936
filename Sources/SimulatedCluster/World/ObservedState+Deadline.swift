extension ObservedState {
    /// Suspends until `condition` holds for the value or `deadline` passes, whichever comes first; the run loops of
    /// the simulated world use it to sleep until their next scheduled event unless something new was scheduled.
    ///
    /// - Returns: Whether `condition` held (`false` when the deadline passed first).
    /// - Throws: `CancellationError`.
    func wait(
        until deadline: ContinuousClock.Instant,
        orUntil condition: @escaping @Sendable (Value) -> Bool
    ) async throws -> Bool {
        let timeout = ContinuousClock.now.duration(to: deadline)
        guard timeout > .zero else {
            return self.withLock { condition($0) }
        }
        do {
            try await self.wait(timeout: timeout, for: "the next scheduled event", until: condition)
            return true
        } catch SimulatedClusterError.timedOut {
            return false
        }
    }
}

extension Duration {
    /// The duration in seconds.
    var inSeconds: Double {
        let (seconds, attoseconds) = self.components
        return Double(seconds) + Double(attoseconds) * 1e-18
    }
}
